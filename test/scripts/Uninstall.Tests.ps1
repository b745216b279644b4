# Uninstall-HybridConnectionManager.ps1: one connector (by site, number or entity path), leftovers
# of a failed run, everything, -WhatIf. The manifest is arranged and checked with the real hcm.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Uninstall = Join-Path $script:ScriptsFolder 'Uninstall-HybridConnectionManager.ps1'
    Enable-TestNodePath
    Register-FakeIisMock

    function Add-FakeSite([string] $Site, [string] $AppPool, [int] $Port, [string] $Folder) {
        # What the installer leaves in IIS for one site (the state the install suite checks).
        [void] (New-Item -ItemType Directory -Path $Folder -Force)
        Set-Content -LiteralPath (Join-Path $Folder 'web.config') -Value '<configuration />'
        $global:HcmFakeIis.Pools[$AppPool] = @{ State = 'Started'; Attributes = @{ 'processModel/@identityType' = 'NetworkService' } }
        $global:HcmFakeIis.Sites[$Site] = @{
            State = 'Started'; Bindings = [System.Collections.ArrayList] @("http/127.0.0.1:$($Port):")
            Attributes = @{ "application[@path='/']/@applicationPool" = $AppPool; "application[@path='/']/virtualDirectory[@path='/']/@physicalPath" = $Folder }
        }
    }

    function Get-ManifestSite { @((Read-TestManifest -HcmHome $script:HcmHome).connectors | ForEach-Object site) }

    # One manifest with two connectors, made once by the real hcm setup (ports as it chose them) and
    # restored before each test; one installed product, re-made only after -RemoveFiles deleted it.
    $script:Root = New-TestFolder
    $script:InstallPath = Join-Path $script:Root 'HybridConnectionManager'
    $script:HcmHome = Join-Path $script:Root 'home'
    $script:Connectors = @(foreach ($entity in @('sql-orders', 'sql-inventory')) {
            Invoke-TestHcm -HcmHome $script:HcmHome -Arguments 'setup', '--config-string-stdin' -InputText (New-ConfigurationString -EntityPath $entity)
        })
    $script:ManifestText = Get-Content -LiteralPath (Join-Path $script:HcmHome 'hcm.json') -Raw
    $script:Paths = @{ InstallPath = $script:InstallPath; HcmHome = $script:HcmHome }
}

AfterAll {
    Disable-TestNodePath
    Remove-FakeIis
    Remove-TestFolder -Path $script:Root
}

Describe 'Uninstall-HybridConnectionManager.ps1' {
    BeforeEach {
        # The installation: the listener and both connectors in IIS, their folders, the manifest.
        if (-not (Test-Path -LiteralPath $script:InstallPath)) { [void] (New-CliInstallation -Destination $script:InstallPath) }
        [void] (New-Item -ItemType Directory -Path $script:HcmHome -Force)
        Set-Content -LiteralPath (Join-Path $script:HcmHome 'hcm.json') -Value $script:ManifestText -NoNewline
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
        $script:Sites = Join-Path $script:InstallPath 'sites'
        Get-ChildItem -LiteralPath $script:Sites -Directory | Where-Object Name -like 'MicrosoftSqlConnector_*' | Remove-Item -Recurse -Force
        Add-FakeSite -Site 'MicrosoftAzureBizTalkHybridListener' -AppPool 'HybridListenerAppPool' -Port 6568 -Folder (Join-Path $script:Sites 'MicrosoftAzureBizTalkHybridListener')
        foreach ($connector in $script:Connectors) {
            Add-FakeSite -Site $connector.connector -AppPool $connector.appPool -Port $connector.port -Folder (Join-Path $script:Sites $connector.connector)
        }
    }

    It 'removes one connector named by <Kind>: manifest entry, site, pool and folder, and nothing else' -ForEach @(
        @{ Kind = 'its site'; Selector = 'MicrosoftSqlConnector_002' }
        @{ Kind = 'its entity path'; Selector = 'sql-inventory' }
    ) {
        $removed = @(& $script:Uninstall -Connector $Selector @script:Paths -Confirm:$false)

        @($removed | ForEach-Object { "$($_.Action) $($_.Resource) $(Split-Path $_.Name -Leaf)" }) |
            Should -Be @('Removed Connector MicrosoftSqlConnector_002', 'Removed WebSite MicrosoftSqlConnector_002', 'Removed AppPool HybridAppPool002', 'Removed SiteFolder MicrosoftSqlConnector_002')
        Should -Invoke Remove-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'MicrosoftSqlConnector_002' }
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridAppPool002' }
        Should -Invoke Remove-Website -ModuleName HybridConnectionManager -Times 1 -Exactly
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly
        Get-ManifestSite | Should -Be @('MicrosoftSqlConnector_001')
        $script:FakeIis.Sites.Keys | Sort-Object | Should -Be @('MicrosoftAzureBizTalkHybridListener', 'MicrosoftSqlConnector_001')
        Test-Path (Join-Path $script:Sites 'MicrosoftSqlConnector_002') | Should -BeFalse
        Test-Path (Join-Path $script:Sites 'MicrosoftSqlConnector_001') | Should -BeTrue
    }

    It 'cleans up an IIS site and pool that the manifest no longer knows (left by a failed run)' {
        Add-FakeSite -Site 'MicrosoftSqlConnector_007' -AppPool 'HybridAppPool007' -Port 6575 -Folder (Join-Path $script:Sites 'MicrosoftSqlConnector_007')
        & $script:Uninstall -Connector 'MicrosoftSqlConnector_007' @script:Paths -Confirm:$false | Out-Null

        Should -Invoke Remove-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'MicrosoftSqlConnector_007' }
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridAppPool007' }
        Get-ManifestSite | Should -Be @('MicrosoftSqlConnector_001', 'MicrosoftSqlConnector_002')
    }

    It 'says so and removes nothing when no connector matches' {
        { & $script:Uninstall -Connector 'sql-nothing' @script:Paths -Confirm:$false } |
            Should -Throw -ErrorId 'HcmConnectorNotFound' -ExpectedMessage "No connector matches 'sql-nothing'*hcm list"
        Should -Invoke Remove-Website -ModuleName HybridConnectionManager -Times 0 -Exactly
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 0 -Exactly
        @(Get-ManifestSite).Count | Should -Be 2
    }

    It 'removes nothing with -WhatIf' {
        & $script:Uninstall -Connector 'MicrosoftSqlConnector_001' @script:Paths -WhatIf | Out-Null
        & $script:Uninstall -All -RemoveFiles @script:Paths -WhatIf | Out-Null
        Should -Invoke Remove-Website -ModuleName HybridConnectionManager -Times 0 -Exactly
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 0 -Exactly
        @(Get-ManifestSite).Count | Should -Be 2
        $script:FakeIis.Sites.Count | Should -Be 3
        Test-Path (Join-Path $script:Sites 'MicrosoftSqlConnector_001') | Should -BeTrue
    }

    It 'removes every connector, leftover connector sites and the listener with -All, keeping the files' {
        Add-FakeSite -Site 'MicrosoftSqlConnector_007' -AppPool 'HybridAppPool007' -Port 6575 -Folder (Join-Path $script:Sites 'MicrosoftSqlConnector_007')
        # Not ours: another site, and a connector-like site of another installation.
        Add-FakeSite -Site 'Default Web Site' -AppPool 'DefaultAppPool' -Port 80 -Folder (Join-Path $script:Root 'inetpub')
        Add-FakeSite -Site 'MicrosoftSqlConnector_009' -AppPool 'HybridAppPool009' -Port 6580 -Folder (Join-Path $script:Root 'elsewhere/MicrosoftSqlConnector_009')
        & $script:Uninstall -All @script:Paths -Confirm:$false | Out-Null

        @(Get-ManifestSite).Count | Should -Be 0
        $script:FakeIis.Sites.Keys | Sort-Object | Should -Be @('Default Web Site', 'MicrosoftSqlConnector_009')
        $script:FakeIis.Pools.Keys | Sort-Object | Should -Be @('DefaultAppPool', 'HybridAppPool009')
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridListenerAppPool' }
        Test-Path (Join-Path $script:Sites 'MicrosoftAzureBizTalkHybridListener') | Should -BeTrue
        Test-Path $script:HcmHome | Should -BeTrue
        Test-Path $script:InstallPath | Should -BeTrue
    }

    It 'also deletes the product folder and HCM_HOME with -All -RemoveFiles' {
        & $script:Uninstall -All -RemoveFiles @script:Paths -Confirm:$false | Out-Null
        $script:FakeIis.Sites.Count | Should -Be 0
        $script:FakeIis.Pools.Count | Should -Be 0
        Test-Path $script:InstallPath | Should -BeFalse
        Test-Path $script:HcmHome | Should -BeFalse
        Test-Path (Join-Path $script:RepoRoot 'dist/src/cli/main.js') | Should -BeTrue
    }
}
