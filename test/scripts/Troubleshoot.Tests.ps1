# Test-HybridConnectionManager.ps1: every check passing (the real `hcm doctor` against a running
# `hcm demo`, the Windows checks against the in-memory IIS), and each check failing with its fix.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Troubleshoot = Join-Path $script:ScriptsFolder 'Test-HybridConnectionManager.ps1'
    Register-FakeIisMock
    Enable-TestNodePath
    $script:Module = Get-Module HybridConnectionManager

    function Invoke-InModule([scriptblock] $Script, [object[]] $Arguments = @()) { & $script:Module $Script @Arguments }

    function Install-FakeSites([string] $HcmHome, [string] $InstallPath) {
        # What the installer leaves in IIS for the manifest's sites, converged by the module itself.
        $manifest = Read-TestManifest -HcmHome $HcmHome
        $sites = @($manifest.listener) + @($manifest.connectors)
        foreach ($site in $sites) {
            $folder = Join-Path (Join-Path $InstallPath 'sites') $site.site
            [void] (New-Item -ItemType Directory -Path $folder -Force)
            Set-HcmAppPool -Name $site.appPool | Out-Null
            Set-HcmWebSite -Name $site.site -AppPool $site.appPool -PhysicalPath $folder -Port $site.port | Out-Null
            Set-HcmSiteBinding -Name $site.site -Port $site.port | Out-Null
            Set-HcmSectionUnlock -Site $site.site | Out-Null
        }
        Set-HcmWatchdog -InstallPath $InstallPath -HcmHome $HcmHome -Port $manifest.listener.port | Out-Null
    }

    function Start-Demo([string] $HcmHome) {
        # The whole chain on free ports (relay emulator, SQL Server stand-in, listener, connector), as `npm start` runs it.
        $node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
        $startInfo = New-Object System.Diagnostics.ProcessStartInfo($node)
        foreach ($argument in @((Join-Path $script:RepoRoot 'bin/hcm.js'), 'demo', '--relay-port', '0', '--sql-port', '0', '--listener-port', '0', '--connector-port', '0', '--home', $HcmHome)) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $startInfo.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($startInfo)
        $errors = $process.StandardError.ReadToEndAsync()
        $seen = New-Object System.Text.StringBuilder
        $deadline = [datetime]::UtcNow.AddSeconds(120)
        while ([datetime]::UtcNow -lt $deadline) {
            $read = $process.StandardOutput.ReadLineAsync()
            if (-not $read.Wait([math]::Max(1, ($deadline - [datetime]::UtcNow).TotalMilliseconds))) { break }
            $line = $read.Result
            if ($null -eq $line) { break }
            [void] $seen.AppendLine($line)
            if ($line -like 'The demo is running*') {
                # Keep draining its output so it never blocks on a full pipe.
                [void] $process.StandardOutput.ReadToEndAsync()
                return $process
            }
        }
        if (-not $process.HasExited) { $process.Kill($true) }
        [void] $process.WaitForExit(10000)
        throw "hcm demo did not come up within 120 s (exit code $(if ($process.HasExited) { $process.ExitCode } else { 'none: killed' })). It printed:`n$seen`n$($errors.Result)"
    }
}

AfterAll {
    Disable-TestNodePath
    Remove-FakeIis
}

Describe 'Test-HybridConnectionManager.ps1 on a working installation' {
    BeforeAll {
        $script:Root = New-TestFolder
        $script:HcmHome = Join-Path $script:Root 'home'
        $script:Demo = Start-Demo -HcmHome $script:HcmHome
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
        $script:InstallPath = New-CliInstallation -Destination (Join-Path $script:Root 'HybridConnectionManager')
        Install-FakeSites -HcmHome $script:HcmHome -InstallPath $script:InstallPath
        $script:Options = @{ InstallPath = $script:InstallPath; HcmHome = $script:HcmHome }
    }
    AfterAll {
        if ($script:Demo -and -not $script:Demo.HasExited) { $script:Demo.Kill($true); [void] $script:Demo.WaitForExit(10000) }
        Remove-TestFolder -Path $script:Root
    }

    It 'passes every check, hcm doctor''s included, and exits 0' {
        # The demo reports itself running once its chain is up; give the hybrid connection a generous
        # deadline to show Connected before judging (polling, not a timed assertion).
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        do {
            $checks = @(& $script:Troubleshoot @script:Options)
            $exitCode = $LASTEXITCODE
            if ($exitCode -eq 0) { break }
            Start-Sleep -Seconds 2
        } while ([datetime]::UtcNow -lt $deadline)
        $exitCode | Should -Be 0
        @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Name): $($_.Detail)" }) | Should -BeNullOrEmpty
        $names = @($checks | ForEach-Object Name)
        foreach ($name in @('Administrator', 'IIS (W3SVC)', 'iisnode', 'URL Rewrite', 'Application Initialization', 'Node.js', 'IIS role', 'Service WAS', 'Service W3SVC',
                'manifest', 'site MicrosoftAzureBizTalkHybridListener', 'MicrosoftAzureBizTalkHybridListener started', 'MicrosoftAzureBizTalkHybridListener configuration',
                'Rapid-fail protection', 'Event logs (IIS, WAS)', 'Errors in HCM_HOME\logs', 'Listener watchdog', 'Listener crashes')) {
            $names | Should -Contain $name
        }
        @($names | Where-Object { $_ -like 'hybrid connection *' }).Count | Should -BeGreaterThan 0
        $checks[0].PSObject.TypeNames[0] | Should -Be 'HybridConnectionManager.Check'
        ($checks | Format-Table | Out-String) | Should -Match 'Passed'
    }
}

Describe 'Test-HybridConnectionManager.ps1 checks, each failing with what to do' {
    BeforeAll {
        # An installation whose sites do not run (no demo): hcm doctor's own checks fail, the Windows ones are arranged per test.
        $script:Root = New-TestFolder
        $script:HcmHome = Join-Path $script:Root 'home'
        $script:InstallPath = New-CliInstallation -Destination (Join-Path $script:Root 'HybridConnectionManager')
        $emulatorString = 'Endpoint=sb://127.0.0.1:9/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={0};EntityPath=sql-orders;UseDevelopmentEmulator=true' -f (New-TestKey)
        $script:Setup = Invoke-TestHcm -HcmHome $script:HcmHome -Arguments 'setup', '--config-string-stdin', '--sql-server', '127.0.0.1', '--sql-port', '9' -InputText $emulatorString
        $script:Logs = Join-Path $script:HcmHome 'logs'
        [void] (New-Item -ItemType Directory -Path $script:Logs -Force)
        $script:Options = @{ InstallPath = $script:InstallPath; HcmHome = $script:HcmHome }
    }
    AfterAll { Remove-TestFolder -Path $script:Root }
    BeforeEach {
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
        Install-FakeSites -HcmHome $script:HcmHome -InstallPath $script:InstallPath
        Get-ChildItem -LiteralPath $script:Logs -File | Remove-Item
    }

    Context 'IIS role and services' {
        It 'passes when the role is installed and WAS and W3SVC run' {
            @(Invoke-InModule { Get-HcmIisServiceCheck } | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        }
        It 'fails <Check> when <Case>' -ForEach @(
            @{ Case = 'the IIS role is not installed'; Check = 'IIS role'; Break = { $global:HcmFakeIis.Features['Web-Server'] = $false }; Detail = 'Web-Server is not installed'; Fix = 'Install-WindowsFeature Web-Server' }
            @{ Case = 'WAS is stopped'; Check = 'Service WAS'; Break = { $global:HcmFakeIis.Services['WAS'] = 'Stopped' }; Detail = 'service WAS is Stopped'; Fix = 'Start-Service WAS' }
            @{ Case = 'W3SVC is not installed'; Check = 'Service W3SVC'; Break = { $global:HcmFakeIis.Services.Remove('W3SVC') }; Detail = 'service W3SVC is not installed'; Fix = 'Start-Service W3SVC' }
        ) {
            & $Break
            $checks = @(Invoke-InModule { Get-HcmIisServiceCheck })
            $failed = @($checks | Where-Object { -not $_.Passed })
            @($failed | ForEach-Object Name) | Should -Be @($Check)
            $failed[0].Detail | Should -Be $Detail
            $failed[0].Fix | Should -BeLike "*$Fix*"
        }
    }

    Context 'sites and pools' {
        BeforeAll {
            function Get-SiteChecks([string] $Site = 'MicrosoftSqlConnector_001', [string] $Pool = 'HybridAppPool001', [int] $Port = $script:Setup.port) {
                Invoke-InModule { param($s, $p, $o, $f) Get-HcmSiteCheck -Site $s -AppPool $p -Port $o -Folder $f } @($Site, $Pool, $Port, (Join-Path (Join-Path $script:InstallPath 'sites') $Site))
            }
        }
        It 'passes when the site and its pool run, configured as installed' {
            $checks = @(Get-SiteChecks)
            @($checks | ForEach-Object Name) | Should -Be @('MicrosoftSqlConnector_001 started', 'MicrosoftSqlConnector_001 configuration')
            @($checks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        }
        It 'fails when the pool is stopped (rapid-fail protection), saying how to start it' {
            $global:HcmFakeIis.Pools['HybridAppPool001'].State = 'Stopped'
            $check = @(Get-SiteChecks)[0]
            $check.Passed | Should -BeFalse
            $check.Detail | Should -Be 'site Started, app pool HybridAppPool001 Stopped'
            $check.Fix | Should -BeLike 'Start-WebAppPool HybridAppPool001; Start-Website MicrosoftSqlConnector_001. If the pool stops again, rapid-fail protection*'
        }
        It 'fails when the site is gone from IIS, pointing to the installer' {
            $global:HcmFakeIis.Sites.Remove('MicrosoftSqlConnector_001')
            $checks = @(Get-SiteChecks)
            $checks.Count | Should -Be 1
            $checks[0].Passed | Should -BeFalse
            $checks[0].Detail | Should -Be 'site MicrosoftSqlConnector_001 missing in IIS'
            $checks[0].Fix | Should -BeLike 'Run Install-HybridConnectionManager.ps1 again*'
        }
        It 'fails the configuration check when a setting or a binding drifted, naming each' {
            $global:HcmFakeIis.Pools['HybridAppPool001'].Attributes['processModel/@idleTimeout'] = '00:20:00'
            [void] $global:HcmFakeIis.Sites['MicrosoftSqlConnector_001'].Bindings.Add("http/*:$($script:Setup.port):")
            $check = @(Get-SiteChecks)[1]
            $check.Passed | Should -BeFalse
            $check.Detail | Should -Match ("^HybridAppPool001 IdleTimeout is '00:20:00' \(want '00:00:00'\); MicrosoftSqlConnector_001 bindings are .*http/\*:{0}: \(want http/127\.0\.0\.1:{0}:" -f $script:Setup.port)
        }
    }

    Context 'event logs' {
        BeforeAll {
            function Get-EventChecks { Invoke-InModule { Get-HcmEventLogCheck -AppPools @('HybridListenerAppPool', 'HybridAppPool001') } }
            function New-TestEvent([string] $Log, [string] $Provider, [int] $Id, [double] $HoursAgo, [string] $Message) {
                [void] $global:HcmFakeIis.Events.Add([pscustomobject]@{ LogName = $Log; ProviderName = $Provider; Id = $Id; TimeCreated = (Get-Date).AddHours(-$HoursAgo); Message = $Message; LevelDisplayName = 'Error' })
            }
        }
        It 'passes with no recent IIS or WAS error (older ones and other sources do not count)' {
            New-TestEvent -Log 'System' -Provider 'Microsoft-Windows-WAS' -Id 5002 -HoursAgo 30 -Message "Application pool 'HybridAppPool001' is being automatically disabled due to a series of failures in the process(es) serving that application pool."
            New-TestEvent -Log 'System' -Provider 'Microsoft-Windows-Kernel-General' -Id 1 -HoursAgo 1 -Message 'The system time has changed.'
            @(Get-EventChecks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
            Should -Invoke Get-WinEvent -ModuleName HybridConnectionManager -Times 2 -Exactly -ParameterFilter { $FilterHashtable[0].Level -contains 2 -and $MaxEvents -eq 500 }
        }
        It 'fails when WAS stopped one of our pools by rapid-fail protection, and reports the errors' {
            New-TestEvent -Log 'System' -Provider 'Microsoft-Windows-WAS' -Id 5002 -HoursAgo 2 -Message "Application pool 'HybridAppPool001' is being automatically disabled due to a series of failures in the process(es) serving that application pool."
            New-TestEvent -Log 'Application' -Provider 'Microsoft-Windows-IIS-W3SVC-WP' -Id 2307 -HoursAgo 1 -Message "The worker process for application pool 'HybridAppPool001' encountered an error."
            $checks = @(Get-EventChecks)
            $rapidFail = $checks | Where-Object Name -eq 'Rapid-fail protection'
            $rapidFail.Passed | Should -BeFalse
            $rapidFail.Detail | Should -Be 'WAS stopped HybridAppPool001 after repeated crashes (event 5002)'
            $rapidFail.Fix | Should -BeLike '*Start-WebAppPool HybridAppPool001.'
            $errors = $checks | Where-Object Name -eq 'Event logs (IIS, WAS)'
            $errors.Passed | Should -BeFalse
            $errors.Detail | Should -BeLike '2 error(s) in the last 24 h; latest: * Microsoft-Windows-IIS-W3SVC-WP 2307: The worker process*| * Microsoft-Windows-WAS 5002: *'
        }
    }

    Context 'HCM_HOME logs' {
        BeforeAll {
            function Get-LogCheck { Invoke-InModule { param($h) Get-HcmLogCheck -HcmHome $h } @($script:HcmHome) }
            function Get-Millis([double] $HoursAgo) { [DateTimeOffset]::UtcNow.AddHours(-$HoursAgo).ToUnixTimeMilliseconds() }
        }
        It 'passes with only info lines, old errors and non-JSON lines' {
            Set-Content -LiteralPath (Join-Path $script:Logs 'MicrosoftSqlConnector_001.log') -Value @(
                ('{{"level":30,"time":{0},"msg":"listening"}}' -f (Get-Millis 1))
                ('{{"level":50,"time":{0},"msg":"old failure"}}' -f (Get-Millis 48))
                'iisnode: node.exe started'
            )
            (Get-LogCheck).Passed | Should -BeTrue
        }
        It 'fails naming the log, the count and the latest error' {
            Set-Content -LiteralPath (Join-Path $script:Logs 'MicrosoftAzureBizTalkHybridListener.log') -Value @(
                ('{{"level":50,"time":{0},"msg":"relay connection failed"}}' -f (Get-Millis 2))
                ('{{"level":60,"time":{0},"msg":"cannot read the manifest"}}' -f (Get-Millis 1))
            )
            $check = Get-LogCheck
            $check.Passed | Should -BeFalse
            $check.Detail | Should -Be 'MicrosoftAzureBizTalkHybridListener.log: 2 error(s), latest: cannot read the manifest'
        }
    }

    Context 'hcm doctor' {
        It 'adds hcm doctor''s checks, here failing because nothing answers, and the script exits 1' {
            $checks = @(& $script:Troubleshoot @script:Options)
            $LASTEXITCODE | Should -Be 1
            $listener = $checks | Where-Object Name -eq 'site MicrosoftAzureBizTalkHybridListener'
            $listener.Passed | Should -BeFalse
            $listener.Fix | Should -Not -BeNullOrEmpty
            ($checks | Where-Object Name -eq "site $($script:Setup.connector)").Passed | Should -BeFalse
            # The Windows checks still pass: only what is broken fails.
            @($checks | Where-Object { $_.Name -in @('IIS role', 'Service WAS', "$($script:Setup.connector) started", 'Rapid-fail protection') -and -not $_.Passed }) | Should -BeNullOrEmpty
        }
        It 'fails the manifest checks, naming the file, when hcm.json is damaged' {
            $broken = Join-Path $script:Root 'broken-home'
            [void] (New-Item -ItemType Directory -Path $broken -Force)
            Set-Content -LiteralPath (Join-Path $broken 'hcm.json') -Value '{ "version": 1, "listener": '
            $checks = @(Test-HcmInstallation -InstallPath $script:InstallPath -HcmHome $broken)
            $manifest = @($checks | Where-Object { $_.Name -in @('manifest', 'Manifest') })
            $manifest.Count | Should -Be 2
            @($manifest | Where-Object Passed) | Should -BeNullOrEmpty
            @($manifest | ForEach-Object Detail) | ForEach-Object { $_ | Should -BeLike '*hcm.json*' }
        }

        It 'fails one check saying why when hcm doctor cannot run at all' {
            $check = Invoke-InModule { param($h) Get-HcmDoctorCheck -InstallPath '/nonexistent/HybridConnectionManager' -HcmHome $h } @($script:HcmHome)
            $check.Name | Should -Be 'hcm doctor'
            $check.Passed | Should -BeFalse
            $check.Detail | Should -BeLike 'hcm doctor failed (exit code 1): *'
        }
    }
}
