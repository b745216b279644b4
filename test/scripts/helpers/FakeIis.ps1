# A small in-memory IIS for the Pester tests: Pester mocks of the stub cmdlets read and write this
# state the way IIS would (new pools get IIS's defaults, New-Website binds one address, values come
# back as strings for enums and as .Value-wrapped TimeSpan/bool for the rest), so a second run sees
# what the first one did and the tests can assert both the calls and the resulting configuration.
# Dot-source it in BeforeAll, call New-FakeIis, then Register-FakeIisMock inside BeforeAll/BeforeEach.
# Mock bodies run in the module's session state, so the state and helpers are global (prefixed
# HcmFake*/…-FakeIis*), and Remove-FakeIis clears them in AfterAll.

$global:HcmFakeIisModule = 'HybridConnectionManager'
$global:HcmFakeRepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))
. (Join-Path $PSScriptRoot 'FakeIisHttp.ps1')
. (Join-Path $PSScriptRoot 'FakeIisTasks.ps1')
$global:HcmFakeTimeSpanKeys = @('processModel/@idleTimeout', 'recycling/periodicRestart/@time', 'failure/@rapidFailProtectionInterval')
$global:HcmFakeBoolKeys = @('@autoStart', 'failure/@rapidFailProtection', 'processModel/@loadUserProfile', "application[@path='/']/@preloadEnabled", '@serverAutoStart')
$global:HcmFakeIntKeys = @('failure/@rapidFailProtectionMaxCrashes')

function global:New-FakeIis {
    # A healthy server: IIS running, iisnode/URL Rewrite/Application Initialization installed, no sites yet.
    param([string] $HcmHome)
    $global:HcmFakeIis = @{
        HcmHome  = $HcmHome
        Pools    = @{}
        Sites    = @{}
        Modules  = [System.Collections.ArrayList] @('iisnode', 'RewriteModule', 'ApplicationInitializationModule')
        Features = @{ 'Web-Server' = $true; 'Web-AppInit' = $true }
        Services = @{ W3SVC = 'Running'; WAS = 'Running' }
        Acls     = @{}
        AclLog   = [System.Collections.ArrayList] @()   # each Set-Acl: the path, and whether hcm.json existed at that moment
        Events   = [System.Collections.ArrayList] @()
        # What the sites answer over HTTP (IIS would serve them): per site, an override of status/body.
        Http     = @{}
        Connections = @{}   # entity path -> state the listener's /status reports (default Connected)
        Unlocks  = @{}      # site -> sections unlocked by <location path="site" overrideMode="Allow"> in applicationHost.config
        Tasks    = @{}      # scheduled tasks: "<path><name>" -> registration
    }
    # site -> $true once a request reached its iisnode handler (outside the state the suites snapshot)
    $global:HcmFakeNodeStarted = @{}
    return $global:HcmFakeIis
}

function global:ConvertFrom-FakeIisFilter {
    # "system.applicationHost/applicationPools/add[@name='P']/processModel" -> Kind Pool, Name P, Rest processModel
    param([string] $Filter)
    if ($Filter -match "^system\.applicationHost/applicationPools/add\[@name='([^']+)'\](?:/(.*))?$") { return @{ Kind = 'Pools'; Name = $Matches[1]; Rest = [string] $Matches[2] } }
    if ($Filter -match "^system\.applicationHost/sites/site\[@name='([^']+)'\](?:/(.*))?$") { return @{ Kind = 'Sites'; Name = $Matches[1]; Rest = [string] $Matches[2] } }
    throw "FakeIis does not understand the filter '$Filter'."
}

function global:Get-FakeIisKey {
    param([string] $Rest, [string] $Attribute)
    if ($Rest) { return "$Rest/@$Attribute" }
    return "@$Attribute"
}

function global:ConvertTo-FakeIisValue {
    # What Get-WebConfigurationProperty hands back for a stored string.
    param([string] $Key, [string] $Text)
    if ($global:HcmFakeTimeSpanKeys -contains $Key) { return [pscustomobject]@{ Name = $Key; Value = [timespan]::Parse($Text) } }
    if ($global:HcmFakeBoolKeys -contains $Key) { return [pscustomobject]@{ Name = $Key; Value = [bool]::Parse($Text) } }
    if ($global:HcmFakeIntKeys -contains $Key) { return [pscustomobject]@{ Name = $Key; Value = [int] $Text } }
    return $Text
}

function global:New-FakeIisAcl {
    # What Get-Acl returns, reduced to what the module uses: explicit rules by SID, protection, SDDL in.
    param([string] $Path)
    $stored = $global:HcmFakeIis.Acls[$Path]
    if ($null -eq $stored) { $stored = @{ Protected = $false; Rules = @() } }
    $acl = [pscustomobject]@{ Path = $Path; AreAccessRulesProtected = $stored.Protected; Rules = @($stored.Rules); Sddl = $null }
    $acl | Add-Member -MemberType ScriptMethod -Name GetAccessRules -Value {
        param($includeExplicit, $includeInherited, $targetType)
        foreach ($rule in $this.Rules) {
            [pscustomobject]@{ IdentityReference = [pscustomobject]@{ Value = $rule.Sid }; FileSystemRights = $rule.Rights; InheritanceFlags = 'ContainerInherit, ObjectInherit'; AccessControlType = 'Allow' }
        }
    }
    $acl | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorSddlForm -Value {
        param($sddl, $sections)
        $this.Sddl = $sddl
        if ($sddl -notmatch '^D:(P?)AI') { throw "unexpected SDDL $sddl" }
        $this.AreAccessRulesProtected = ($Matches[1] -eq 'P')
        $this.Rules = @([regex]::Matches($sddl, '\(A;OICI;0x([0-9a-f]+);;;([^)]+)\)') | ForEach-Object {
                @{ Sid = $_.Groups[2].Value; Rights = [Convert]::ToInt32($_.Groups[1].Value, 16) }
            })
    }
    return $acl
}

function global:Get-FakeSiteResponse {
    # What IIS would serve on 127.0.0.1:<Port><Path> (FakeIisHttp.ps1 runs the request through the site's web.config).
    param([int] $Port, [string] $Path)
    foreach ($name in $global:HcmFakeIis.Sites.Keys) {
        $site = $global:HcmFakeIis.Sites[$name]
        if (@($site.Bindings | Where-Object { $_ -like "http/127.0.0.1:$($Port):*" }).Count -eq 0) { continue }
        $pool = $global:HcmFakeIis.Pools[$site.Attributes["application[@path='/']/@applicationPool"]]
        if ($site.State -ne 'Started' -or $null -eq $pool -or $pool.State -ne 'Started') { return [pscustomobject]@{ StatusCode = 503; Body = 'Service Unavailable'; Error = '' } }
        if ($global:HcmFakeIis.Http.ContainsKey($name)) { return $global:HcmFakeIis.Http[$name] }
        return Invoke-FakeIisPipeline -Site $name -Folder $site.Attributes["application[@path='/']/virtualDirectory[@path='/']/@physicalPath"] -Path $Path
    }
    return [pscustomobject]@{ StatusCode = 0; Body = ''; Error = 'Connection refused (127.0.0.1:{0})' -f $Port }
}

function global:Assert-FakeIisApphostWrite {
    # Set-WebConfigurationProperty on applicationHost.config, checked against the IIS facts as IIS
    # would: the element path and attribute must exist in the schema and the value must parse.
    param([string] $Kind, [string] $Rest, [string] $Attribute, [string] $Value)
    $section = if ($Kind -eq 'Pools') { 'system.applicationHost/applicationPools' } else { 'system.applicationHost/sites' }
    $node = (Get-HcmIisSectionFact -Name $section).schema.collection.item
    foreach ($segment in @($Rest -split '/(?![^\[]*\])' | Where-Object { $_ })) {
        $name = $segment -replace '\[.*$', ''
        if ($node.PSObject.Properties['elements'] -and $node.elements.PSObject.Properties[$name]) { $node = $node.elements.PSObject.Properties[$name].Value }
        elseif ($node.PSObject.Properties['collection'] -and $node.collection.add -eq $name) { $node = $node.collection.item }
        else { throw "Unrecognized element '$name' below $section (0x8007000d)." }
    }
    $fact = $node.attributes.PSObject.Properties[$Attribute]
    if ($null -eq $fact) { throw "Unrecognized attribute '$Attribute' of $section/$Rest (0x8007000d)." }
    $text = if ($fact.Value.type -eq 'bool') { $Value.ToLowerInvariant() } else { $Value }
    if (-not (Test-HcmIisValue -Attribute $fact.Value -Text $text)) { throw "The value '$Value' is not a valid $($fact.Value.type) for $section/$Rest/@$Attribute (0x8007000d)." }
}

function global:Register-FakeIisMock {
    # The mocks, each a few lines of what IIS does. Call inside BeforeAll or BeforeEach.
    $m = $global:HcmFakeIisModule
    Mock Get-WebConfiguration -ModuleName $m {
        $f = [string] $Filter[0]
        if ($Metadata) {
            # A section's override mode at <location path="site">: Allow when a test or the installer unlocked it.
            $site = [string] $Location[0]
            $fact = Get-HcmIisSectionFact -Name $f
            if ($null -eq $fact) { throw "Filter '$f' is not a configuration section (0x80070490)." }
            $unlocked = $global:HcmFakeIis.Unlocks.ContainsKey($site) -and @($global:HcmFakeIis.Unlocks[$site]) -contains $f
            $mode = if ($unlocked) { 'Allow' } else { 'Inherit' }
            $effective = if ($unlocked) { 'Allow' } else { $fact.overrideModeDefault }
            return [pscustomobject]@{ Metadata = [pscustomobject]@{ overrideMode = $mode; effectiveOverrideMode = $effective } }
        }
        if ($f -match "^system\.webServer/globalModules/add\[@name='([^']+)'\]$") { if ($global:HcmFakeIis.Modules -contains $Matches[1]) { return [pscustomobject]@{ name = $Matches[1] } } else { return $null } }
        if ($f -eq 'system.applicationHost/sites/site') { return @($global:HcmFakeIis.Sites.Keys | ForEach-Object { [pscustomobject]@{ name = $_ } }) }
        $target = ConvertFrom-FakeIisFilter $f
        if ($global:HcmFakeIis[$target.Kind].ContainsKey($target.Name)) { return [pscustomobject]@{ name = $target.Name } }
        return $null
    }
    Mock Get-WebConfigurationProperty -ModuleName $m {
        $target = ConvertFrom-FakeIisFilter ([string] $Filter[0])
        $key = Get-FakeIisKey -Rest $target.Rest -Attribute ([string] $Name[0])
        $item = $global:HcmFakeIis[$target.Kind][$target.Name]
        if ($null -eq $item -or -not $item.Attributes.ContainsKey($key)) { return $null }
        ConvertTo-FakeIisValue -Key $key -Text $item.Attributes[$key]
    }
    Mock Set-WebConfiguration -ModuleName $m {
        $f = [string] $Filter[0]
        if ($Metadata -ne 'overrideMode' -or @('Allow', 'Deny', 'Inherit') -notcontains [string] $Value) { throw "FakeIis supports only -Metadata overrideMode -Value Allow|Deny|Inherit (got $Metadata $Value)." }
        if ($null -eq (Get-HcmIisSectionFact -Name $f)) { throw "Filter '$f' is not a configuration section (0x80070490)." }
        $site = [string] $Location[0]
        $list = @()
        if ($global:HcmFakeIis.Unlocks.ContainsKey($site)) { $list = @($global:HcmFakeIis.Unlocks[$site] | Where-Object { $_ -ne $f }) }
        if ([string] $Value -eq 'Allow') { $list += $f }
        if ($list.Count -gt 0) { $global:HcmFakeIis.Unlocks[$site] = $list } else { $global:HcmFakeIis.Unlocks.Remove($site) }
    }
    Mock Set-WebConfigurationProperty -ModuleName $m {
        $target = ConvertFrom-FakeIisFilter ([string] $Filter[0])
        $item = $global:HcmFakeIis[$target.Kind][$target.Name]
        if ($null -eq $item) { throw "Filter '$($Filter[0])' matches no configuration element." }
        Assert-FakeIisApphostWrite -Kind $target.Kind -Rest $target.Rest -Attribute $Name -Value ([string] $Value)
        $item.Attributes[(Get-FakeIisKey -Rest $target.Rest -Attribute $Name)] = [string] $Value
    }
    Mock New-WebAppPool -ModuleName $m {
        if ($global:HcmFakeIis.Pools.ContainsKey($Name)) { throw "Cannot create a file when that file already exists. (Exception from HRESULT: 0x800700B7)" }
        $global:HcmFakeIis.Pools[$Name] = @{ State = 'Started'; Attributes = @{
                '@managedRuntimeVersion' = 'v4.0'; 'processModel/@identityType' = 'ApplicationPoolIdentity'; 'processModel/@loadUserProfile' = 'True'
                'processModel/@idleTimeout' = '00:20:00'; '@startMode' = 'OnDemand'; '@autoStart' = 'True'; 'recycling/periodicRestart/@time' = '1.05:00:00'
                'failure/@rapidFailProtection' = 'True'; 'failure/@rapidFailProtectionInterval' = '00:05:00'; 'failure/@rapidFailProtectionMaxCrashes' = '5'
            }
        }
        [pscustomobject]@{ name = $Name; state = 'Started' }
    }
    Mock Remove-WebAppPool -ModuleName $m { $global:HcmFakeIis.Pools.Remove($Name) }
    Mock Get-WebAppPoolState -ModuleName $m { [pscustomobject]@{ Value = $global:HcmFakeIis.Pools[$Name].State } }
    Mock Start-WebAppPool -ModuleName $m { $global:HcmFakeIis.Pools[$Name].State = 'Started' }
    Mock New-Website -ModuleName $m {
        if ($global:HcmFakeIis.Sites.ContainsKey($Name)) { throw "Cannot create a file when that file already exists. (Exception from HRESULT: 0x800700B7)" }
        if (-not (Test-Path -LiteralPath $PhysicalPath)) { throw "Parameter 'PhysicalPath' should point to existing path." }
        $global:HcmFakeIis.Sites[$Name] = @{ State = 'Started'; Bindings = [System.Collections.ArrayList] @("http/$($IPAddress):$($Port):$HostHeader"); Attributes = @{
                "application[@path='/']/@applicationPool" = $ApplicationPool; "application[@path='/']/virtualDirectory[@path='/']/@physicalPath" = $PhysicalPath
                "application[@path='/']/@preloadEnabled" = 'False'; '@serverAutoStart' = 'True'
            }
        }
        [pscustomobject]@{ name = $Name; state = 'Started' }
    }
    Mock Remove-Website -ModuleName $m { $global:HcmFakeIis.Sites.Remove($Name) }
    Mock Get-WebsiteState -ModuleName $m { [pscustomobject]@{ Value = $global:HcmFakeIis.Sites[$Name].State } }
    Mock Start-Website -ModuleName $m { $global:HcmFakeIis.Sites[$Name].State = 'Started' }
    Mock Get-WebBinding -ModuleName $m {
        $site = $global:HcmFakeIis.Sites[$Name]
        if ($null -eq $site) { return }
        foreach ($binding in $site.Bindings) { $protocol, $information = $binding -split '/', 2; [pscustomobject]@{ protocol = $protocol; bindingInformation = $information } }
    }
    Mock New-WebBinding -ModuleName $m { [void] $global:HcmFakeIis.Sites[$Name].Bindings.Add("$($Protocol)/$($IPAddress):$($Port):$HostHeader") }
    Mock Remove-WebBinding -ModuleName $m { $global:HcmFakeIis.Sites[$Name].Bindings.Remove("$Protocol/$BindingInformation") }
    Mock Get-Service -ModuleName $m {
        foreach ($service in $Name) { if ($global:HcmFakeIis.Services.ContainsKey($service)) { [pscustomobject]@{ Name = $service; Status = $global:HcmFakeIis.Services[$service] } } }
    }
    Mock Get-WindowsFeature -ModuleName $m { foreach ($feature in $Name) { [pscustomobject]@{ Name = $feature; Installed = [bool] $global:HcmFakeIis.Features[$feature]; InstallState = $(if ($global:HcmFakeIis.Features[$feature]) { 'Installed' } else { 'Available' }) } } }
    Mock Get-Acl -ModuleName $m { New-FakeIisAcl -Path ([string] $LiteralPath[0]) }
    Mock Set-Acl -ModuleName $m {
        $path = [string] $LiteralPath[0]
        [void] $global:HcmFakeIis.AclLog.Add(@{ Path = $path; ManifestExisted = (Test-Path -LiteralPath (Join-Path $global:HcmFakeIis.HcmHome 'hcm.json')) })
        $global:HcmFakeIis.Acls[$path] = @{ Protected = $AclObject.AreAccessRulesProtected; Rules = @($AclObject.Rules) }
    }
    Mock Get-WinEvent -ModuleName $m {
        $query = $FilterHashtable[0]
        $found = @($global:HcmFakeIis.Events | Where-Object { $_.LogName -eq $query.LogName -and $_.TimeCreated -ge $query.StartTime })
        if ($found.Count -eq 0) {
            $exception = New-Object System.Exception('No events were found that match the specified selection criteria.')
            throw (New-Object System.Management.Automation.ErrorRecord($exception, 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand', 'ObjectNotFound', $null))
        }
        $found
    }
    Mock Invoke-HcmSiteRequest -ModuleName $m { Get-FakeSiteResponse -Port $Port -Path $Path }
    Register-FakeIisTaskMock
}

function global:Remove-FakeIis {
    Remove-Variable -Name HcmFakeIis -Scope Global -ErrorAction SilentlyContinue
    Remove-Variable -Name HcmFakeForbiddenPage -Scope Global -ErrorAction SilentlyContinue
    Remove-Variable -Name HcmFakeConfigChecks, HcmFakeNodeStarted -Scope Global -ErrorAction SilentlyContinue
}
