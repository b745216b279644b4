# A server with exactly the README's prerequisites after Install-HybridConnectionManager.ps1, seen
# through the strict fake IIS: both sites load, the connector's root is IIS's full 403.14 page, the
# connector's own JSON errors pass through, preload starts node.exe for both sites, each web.config
# names the node.exe the installer checked, an upgrade's template reaches installed sites, and every
# server-level change (the per-site unlock, the watchdog task) is listed by -WhatIf, undone on
# rollback and by the uninstaller.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Install = Join-Path $script:ScriptsFolder 'Install-HybridConnectionManager.ps1'
    $script:Uninstall = Join-Path $script:ScriptsFolder 'Uninstall-HybridConnectionManager.ps1'
    $script:Node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
    $script:SuiteRoot = New-TestFolder
    # Its own product folder: the upgrade test changes its template.
    $script:Source = New-ProductSnapshot -Destination (Join-Path $script:SuiteRoot 'source') -Package 'hyco-https'
    Enable-TestNodePath
    $script:Root = New-TestFolder
    $script:InstallPath = Join-Path $script:Root 'Program Files/HybridConnectionManager'
    $script:HcmHome = Join-Path $script:Root 'ProgramData/HybridConnectionManager'
    $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
    Register-FakeIisMock
    $script:Common = @{ InstallPath = $script:InstallPath; HcmHome = $script:HcmHome; SourcePath = $script:Source; NodePath = $script:Node; VerifyTimeoutSeconds = 0 }
    $script:Primary = New-ConfigurationString -EntityPath 'sql-orders'
    $script:Result = & $script:Install -ConfigurationString $script:Primary -Database 'Orders' @script:Common
    $script:Sites = @{ MicrosoftAzureBizTalkHybridListener = 6568; MicrosoftSqlConnector_001 = 6569 }
    function Get-SiteConfig([string] $Site) { [xml] (Get-Content -LiteralPath (Join-Path $script:InstallPath "sites/$Site/web.config") -Raw) }
}

AfterAll {
    Disable-TestNodePath
    Remove-TestFolder -Path $script:Root
    Remove-TestFolder -Path $script:SuiteRoot
    Remove-FakeIis
}

Describe 'IIS 10 with only the README''s prerequisites, after the installer ran' {
    It 'unlocks <handlers> for each of its sites only, so both load (no 500.19) and the install verifies' {
        $script:Result.Verified | Should -BeTrue
        @($script:FakeIis.Unlocks.Keys | Sort-Object) | Should -Be @('MicrosoftAzureBizTalkHybridListener', 'MicrosoftSqlConnector_001')
        foreach ($site in $script:Sites.Keys) { @($script:FakeIis.Unlocks[$site]) | Should -Be @('system.webServer/handlers') }
        (Get-FakeSiteResponse -Port 6568 -Path '/status').StatusCode | Should -Be 200
    }

    It 'answers IIS''s full 403.14 page at the connector''s root, without a physical path (point 2)' {
        $response = Get-FakeSiteResponse -Port 6569 -Path '/'
        $response.StatusCode | Should -Be 403
        $response.Body | Should -Match 'HTTP Error 403\.14 - Forbidden'
        $response.Body | Should -Match 'The Web server is configured to not list the contents of this directory\.'
        $response.Body | Should -Not -Match 'Physical Path|[A-Z]:\\|inetpub'
    }

    It 'passes the connector''s own 404 ItemNotFound JSON through; existingResponse="Auto" would swap it for IIS''s page' {
        $response = Get-FakeSiteResponse -Port 6569 -Path '/tables/Orders/items/404'
        $response.StatusCode | Should -Be 404
        ($response.Body | ConvertFrom-Json).error.code | Should -Be 'ItemNotFound'
        # The same site with existingResponse="Auto": iisnode sets no fTrySkipCustomErrors, IIS replaces the body (and shows a physical path).
        $copy = Join-Path $script:Root 'auto-site'
        [void] (New-Item -ItemType Directory -Path $copy -Force)
        (Get-Content -LiteralPath (Join-Path $script:InstallPath 'sites/MicrosoftSqlConnector_001/web.config') -Raw).Replace('existingResponse="PassThrough"', 'existingResponse="Auto"') | Set-Content -LiteralPath (Join-Path $copy 'web.config')
        $script:FakeIis.Unlocks['MicrosoftSqlConnector_999'] = @('system.webServer/handlers')
        $replaced = Invoke-FakeIisPipeline -Site 'MicrosoftSqlConnector_999' -Folder $copy -Path '/tables/Orders/items/404'
        $script:FakeIis.Unlocks.Remove('MicrosoftSqlConnector_999')
        $replaced.Body | Should -Not -Match 'ItemNotFound'
        $replaced.Body | Should -Match 'Physical Path'
    }

    It 'starts node.exe for both sites at preload (point 9)' {
        foreach ($site in $script:Sites.Keys) { Invoke-FakeIisPreload -Site $site | Should -BeTrue -Because "$site's preload request must reach iisnode" }
    }

    It 'writes the node.exe it checked into each site''s web.config, quoted (point 8b)' {
        foreach ($site in $script:Sites.Keys) {
            $config = Get-SiteConfig -Site $site
            $config.configuration.'system.webServer'.iisnode.nodeProcessCommandLine | Should -BeExactly ('"' + $script:Node + '"')
            @($config.configuration.appSettings.add | ForEach-Object { "$($_.key)=$($_.value)" } | Sort-Object) | Should -Be @("HCM_HOME=$script:HcmHome", "HCM_SITE_NAME=$site")
        }
    }

    It 'registers the listener watchdog task as NetworkService, running the installed script for port 6568' {
        $task = $script:FakeIis.Tasks['\HybridConnectionManager\Listener Watchdog']
        $task | Should -Not -BeNullOrEmpty
        $task.Principal.UserId | Should -Be 'NT AUTHORITY\NETWORK SERVICE'
        $task.Principal.LogonType | Should -Be 'ServiceAccount'
        $task.Actions[0].Arguments | Should -BeLike ('*-File "' + (Join-Path $script:InstallPath 'scripts/Watch-HybridConnectionListener.ps1') + '" -Port 6568 -LogPath "*MicrosoftAzureBizTalkHybridListener.log"')
        @($task.Triggers | ForEach-Object Kind) | Should -Be @('AtStartup', 'Once')
        $task.Settings.MultipleInstances | Should -Be 'IgnoreNew'
        Test-HcmWatchdog -InstallPath $script:InstallPath -HcmHome $script:HcmHome -Port 6568 | Should -BeTrue
    }

    It 'rewrites each site''s web.config from a newer template on re-run, keeping only the installer''s values (point 6)' {
        # An administrator's own setting in the installed file, and a new release whose templates changed.
        $installed = Join-Path $script:InstallPath 'sites/MicrosoftSqlConnector_001/web.config'
        (Get-Content -LiteralPath $installed -Raw).Replace('<appSettings>', '<appSettings><add key="MY_OWN" value="1" />') | Set-Content -LiteralPath $installed
        foreach ($template in @('MicrosoftSqlConnector', 'MicrosoftAzureBizTalkHybridListener')) {
            $path = Join-Path $script:Source "sites/$template/web.config"
            (Get-Content -LiteralPath $path -Raw).Replace('gracefulShutdownTimeout="60000"', 'gracefulShutdownTimeout="45000"') | Set-Content -LiteralPath $path
        }
        $result = & $script:Install -ConfigurationString $script:Primary @script:Common
        $result.Verified | Should -BeTrue
        @($result.Changes | Where-Object Resource -eq 'SiteConfig' | ForEach-Object { Split-Path (Split-Path $_.Name) -Leaf } | Sort-Object) | Should -Be @('MicrosoftAzureBizTalkHybridListener', 'MicrosoftSqlConnector_001')
        foreach ($site in $script:Sites.Keys) {
            $config = Get-SiteConfig -Site $site
            $config.configuration.'system.webServer'.iisnode.gracefulShutdownTimeout | Should -Be '45000'
            $config.configuration.'system.webServer'.iisnode.nodeProcessCommandLine | Should -BeExactly ('"' + $script:Node + '"')
            @($config.configuration.appSettings.add | ForEach-Object key | Sort-Object) | Should -Be @('HCM_HOME', 'HCM_SITE_NAME')
        }
        (Get-FakeSiteResponse -Port 6569 -Path '/').StatusCode | Should -Be 403
    }

    It 'is left by Uninstall-HybridConnectionManager.ps1 -All with no unlock and no watchdog task' {
        & $script:Uninstall -All -Confirm:$false -InstallPath $script:InstallPath -HcmHome $script:HcmHome | Out-Null
        $script:FakeIis.Unlocks.Count | Should -Be 0
        $script:FakeIis.Tasks.Count | Should -Be 0
        $script:FakeIis.Sites.Count | Should -Be 0
    }
}

Describe 'server-level changes: listed by -WhatIf, undone on rollback and by uninstall' {
    BeforeEach {
        $script:Fresh = New-TestFolder
        $script:FakeIis = New-FakeIis -HcmHome (Join-Path $script:Fresh 'home')
        Register-FakeIisMock
        $script:FreshOptions = @{ InstallPath = (Join-Path $script:Fresh 'product'); HcmHome = (Join-Path $script:Fresh 'home'); SourcePath = $script:Source; NodePath = $script:Node; VerifyTimeoutSeconds = 0 }
    }
    AfterEach { Remove-TestFolder -Path $script:Fresh }

    It 'lists the <handlers> unlock of each site and the watchdog task with -WhatIf, changing nothing' {
        $result = & $script:Install -ConfigurationString (New-ConfigurationString) -WhatIf @script:FreshOptions
        @($result.Changes | Where-Object { $_.WhatIf -and $_.Resource -in @('SectionUnlock', 'Watchdog') } | ForEach-Object { "$($_.Resource) $($_.Name)" }) | Should -Be @('SectionUnlock MicrosoftAzureBizTalkHybridListener', 'Watchdog \HybridConnectionManager\Listener Watchdog')
        $script:FakeIis.Unlocks.Count | Should -Be 0
        $script:FakeIis.Tasks.Count | Should -Be 0
    }

    It 'undoes the unlocks and the watchdog when a later step fails' {
        Mock New-Website -ModuleName HybridConnectionManager -ParameterFilter { $Name -eq 'MicrosoftSqlConnector_001' } { throw 'The process cannot access the file (0x80070020)' }
        { & $script:Install -ConfigurationString (New-ConfigurationString) @script:FreshOptions } | Should -Throw -ErrorId 'HcmInstallFailed' -ExpectedMessage '*removed SectionUnlock MicrosoftSqlConnector_001*removed Watchdog*'
        $script:FakeIis.Unlocks.Count | Should -Be 0
        $script:FakeIis.Tasks.Count | Should -Be 0
        $script:FakeIis.Sites.Count | Should -Be 0
    }
}
