# What must be on the server before anything is installed, each check saying what to install and
# where to get it. The same checks open the troubleshooting script's report.

# Windows 10/11: -All enables a feature's parents, not the role's usual children (Windows Server's
# Web-Server installs those by default), so every feature the sites rely on is named.
$script:ClientIisFeatures = 'IIS-WebServerRole,IIS-WebServer,IIS-CommonHttpFeatures,IIS-StaticContent,IIS-DefaultDocument,IIS-DirectoryBrowsing,IIS-HttpErrors,IIS-Security,IIS-RequestFiltering,IIS-ApplicationDevelopment,IIS-ApplicationInit,IIS-WebServerManagementTools,IIS-ManagementScriptingTools'
$script:IisInstallHint = 'Install IIS with its PowerShell module: on Windows Server "Install-WindowsFeature Web-Server,Web-AppInit,Web-Scripting-Tools -IncludeManagementTools"; on Windows 10/11 "Enable-WindowsOptionalFeature -Online -All -FeatureName ' + $script:ClientIisFeatures + '".'

function New-HcmCheck {
    # The one shape of every check result: Name, Passed, Detail, Fix (shown as a table).
    param([string] $Name, [bool] $Passed, [string] $Detail, [string] $Fix = '')
    $check = [pscustomobject]@{ Name = $Name; Passed = $Passed; Detail = $Detail; Fix = $(if ($Passed) { '' } else { $Fix }) }
    $check.PSObject.TypeNames.Insert(0, 'HybridConnectionManager.Check')
    return $check
}

function Test-HcmElevated {
    # Changing IIS and folder ACLs needs an elevated (Run as administrator) session on Windows.
    if (-not (Test-HcmWindows)) { return $true }
    $principal = New-Object System.Security.Principal.WindowsPrincipal([System.Security.Principal.WindowsIdentity]::GetCurrent())
    return $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Get-HcmWindowsFeatureState {
    # Windows Server has Get-WindowsFeature (ServerManager); Windows 10/11 only the optional features (DISM).
    param([Parameter(Mandatory = $true)][string] $ServerFeature, [Parameter(Mandatory = $true)][string] $ClientFeature)
    if (Get-Command -Name Get-WindowsFeature -ErrorAction SilentlyContinue) {
        $feature = Get-WindowsFeature -Name $ServerFeature
        return [pscustomobject]@{ Name = $ServerFeature; Installed = ($null -ne $feature -and [bool] $feature.Installed) }
    }
    $optional = Get-WindowsOptionalFeature -Online -FeatureName $ClientFeature
    return [pscustomobject]@{ Name = $ClientFeature; Installed = ($null -ne $optional -and [string] $optional.State -eq 'Enabled') }
}

function Test-HcmIisModuleAvailable {
    # The WebAdministration cmdlets; PowerShell 7 loads them through its Windows PowerShell compatibility session.
    if (Get-Command -Name Get-WebConfiguration -ErrorAction SilentlyContinue) { return $true }
    Import-Module -Name WebAdministration -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    return [bool] (Get-Command -Name Get-WebConfiguration -ErrorAction SilentlyContinue)
}

function Get-HcmNodeVersion {
    param([Parameter(Mandatory = $true)][string] $NodePath)
    $result = Invoke-HcmProcess -FilePath $NodePath -ArgumentList @('--version') -TimeoutSeconds 60
    $text = $result.StdOut.Trim()
    if ($result.ExitCode -ne 0 -or $text -notmatch '^v?(\d+)\.(\d+)\.(\d+)') { return $null }
    return [version] ('{0}.{1}.{2}' -f $Matches[1], $Matches[2], $Matches[3])
}

function Get-HcmPrerequisite {
    <#
    .SYNOPSIS
    Checks everything the Hybrid Connection Manager needs on this server.
    .DESCRIPTION
    One check object per prerequisite: an elevated session, IIS with W3SVC running and its PowerShell
    module, iisnode, URL Rewrite and Application Initialization registered in IIS, Node.js 20 or later.
    A failed check's Fix says what to install and where to get it.
    .PARAMETER NodePath
    node.exe to check; default: the one on PATH (the installer writes the checked path into each site's web.config for iisnode).
    .OUTPUTS
    HybridConnectionManager.Check objects: Name, Passed, Detail, Fix.
    .EXAMPLE
    Get-HcmPrerequisite | Where-Object { -not $_.Passed }
    #>
    [CmdletBinding()]
    param([string] $NodePath)

    $elevated = Test-HcmElevated
    New-HcmCheck -Name 'Administrator' -Passed $elevated -Detail $(if ($elevated) { 'running elevated' } else { 'not running as administrator' }) -Fix 'Start PowerShell with "Run as administrator" and run the script again.'

    $w3svc = Get-Service -Name W3SVC -ErrorAction SilentlyContinue
    if ($null -eq $w3svc) {
        New-HcmCheck -Name 'IIS (W3SVC)' -Passed $false -Detail 'the World Wide Web Publishing Service (W3SVC) is not installed' -Fix $script:IisInstallHint
    }
    else {
        $running = [string] $w3svc.Status -eq 'Running'
        New-HcmCheck -Name 'IIS (W3SVC)' -Passed $running -Detail "W3SVC is $($w3svc.Status)" -Fix 'Start IIS: "Start-Service WAS, W3SVC" (and set both to Automatic).'
    }

    $iisModule = Test-HcmIisModuleAvailable
    New-HcmCheck -Name 'IIS PowerShell module' -Passed $iisModule -Detail $(if ($iisModule) { 'WebAdministration cmdlets available' } else { 'the WebAdministration module cannot be loaded' }) -Fix $script:IisInstallHint

    $modules = @(
        @{ Name = 'iisnode'; Module = 'iisnode'; Fix = 'Install iisnode for IIS (the x64 MSI) from https://github.com/Azure/iisnode/releases, then run again.' }
        @{ Name = 'URL Rewrite'; Module = 'RewriteModule'; Fix = 'Install URL Rewrite 2.1 for IIS from https://www.iis.net/downloads/microsoft/url-rewrite, then run again.' }
    )
    foreach ($module in $modules) {
        if (-not $iisModule) { New-HcmCheck -Name $module.Name -Passed $false -Detail 'cannot be checked without the IIS PowerShell module' -Fix $module.Fix; continue }
        $registered = Test-HcmConfigElement -Filter "system.webServer/globalModules/add[@name='$($module.Module)']"
        New-HcmCheck -Name $module.Name -Passed $registered -Detail $(if ($registered) { "module $($module.Module) registered in IIS" } else { "module $($module.Module) is not registered in IIS" }) -Fix $module.Fix
    }

    $appInit = Get-HcmWindowsFeatureState -ServerFeature 'Web-AppInit' -ClientFeature 'IIS-ApplicationInit'
    New-HcmCheck -Name 'Application Initialization' -Passed $appInit.Installed -Detail $(if ($appInit.Installed) { "$($appInit.Name) installed" } else { "$($appInit.Name) is not installed (sites would only start on their first request)" }) -Fix 'Install it: "Install-WindowsFeature Web-AppInit" on Windows Server, "Enable-WindowsOptionalFeature -Online -All -FeatureName IIS-ApplicationDevelopment,IIS-ApplicationInit" on Windows 10/11.'

    $nodeFix = "Install Node.js $script:MinimumNodeMajor or later (a supported LTS release) from https://nodejs.org/en/download, then run again (or give its node.exe with -NodePath; the installer writes that path into each site's web.config for iisnode)."
    $node = Resolve-HcmNodePath -NodePath $NodePath
    if (-not $node) {
        New-HcmCheck -Name 'Node.js' -Passed $false -Detail 'node was not found on PATH' -Fix $nodeFix
    }
    else {
        $version = Get-HcmNodeVersion -NodePath $node
        $recent = ($null -ne $version -and $version.Major -ge $script:MinimumNodeMajor)
        New-HcmCheck -Name 'Node.js' -Passed $recent -Detail $(if ($null -eq $version) { "$node does not report a version" } else { "Node.js $version at $node" }) -Fix $nodeFix
    }
}

function Assert-HcmPrerequisite {
    <#
    .SYNOPSIS
    Stops with what to install and where to get it when a prerequisite is missing.
    .DESCRIPTION
    Runs Get-HcmPrerequisite; throws HcmPrerequisiteMissing listing every failed check and its fix,
    or returns the checks when all pass.
    .PARAMETER NodePath
    node.exe to check; default: the one on PATH.
    .EXAMPLE
    Assert-HcmPrerequisite
    #>
    [CmdletBinding()]
    param([string] $NodePath)
    $checks = @(Get-HcmPrerequisite -NodePath $NodePath)
    $failed = @($checks | Where-Object { -not $_.Passed })
    if ($failed.Count -gt 0) {
        $lines = $failed | ForEach-Object { " - $($_.Name): $($_.Detail). $($_.Fix)" }
        New-HcmTerminatingError -ErrorId HcmPrerequisiteMissing -Category NotInstalled -TargetObject (@($failed | ForEach-Object Name) -join ', ') -Message ("Nothing was changed: {0} prerequisite(s) missing:`n{1}" -f $failed.Count, ($lines -join "`n"))
    }
    return $checks
}
