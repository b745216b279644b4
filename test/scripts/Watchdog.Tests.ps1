# The listener watchdog (scripts/Watch-HybridConnectionListener.ps1) under real pwsh against a real
# HTTP endpoint, Test-HybridConnectionManager.ps1's crash check reading the listener's own log, and
# the Windows 10/11 feature commands of the README and the prerequisite checks.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    $script:Watch = Join-Path $script:ScriptsFolder 'Watch-HybridConnectionListener.ps1'
    . $script:Watch
    $script:Root = New-TestFolder
    # A stand-in listener on a free loopback port: /status answers 200 while healthy, 503 otherwise;
    # /warmup makes it healthy (as iisnode starting node.exe would). /__seen lists what was requested.
    $server = @'
const http = require('node:http');
let healthy = true;
const seen = [];
http.createServer((req, res) => {
  if (req.url === '/__seen') return res.end(JSON.stringify(seen.splice(0)));
  if (req.url === '/__down') { healthy = false; return res.end('down'); }
  seen.push(req.url);
  if (req.url === '/status') { res.statusCode = healthy ? 200 : 503; return res.end('{}'); }
  if (req.url === '/warmup') { healthy = true; return res.end('warm'); }
  res.statusCode = 404; res.end();
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
'@
    $startInfo = New-Object System.Diagnostics.ProcessStartInfo((Get-Command node -CommandType Application | Select-Object -First 1).Source)
    $startInfo.ArgumentList.Add('-e')
    $startInfo.ArgumentList.Add($server)
    $startInfo.RedirectStandardOutput = $true
    $startInfo.UseShellExecute = $false
    $script:Server = [System.Diagnostics.Process]::Start($startInfo)
    $script:Port = [int] $script:Server.StandardOutput.ReadLine()
    function Invoke-Peer([string] $Path) { (Invoke-HcmWatchdogRequest -Port $script:Port -Path $Path -TimeoutSeconds 10).StatusCode }
    function Get-Seen { $client = New-Object System.Net.Http.HttpClient; try { @($client.GetStringAsync("http://127.0.0.1:$script:Port/__seen").GetAwaiter().GetResult() | ConvertFrom-Json) } finally { $client.Dispose() } }
}

AfterAll {
    if ($script:Server -and -not $script:Server.HasExited) { $script:Server.Kill(); [void] $script:Server.WaitForExit(10000) }
    Remove-TestFolder -Path $script:Root
}

Describe 'the listener watchdog, under real pwsh against a real HTTP endpoint' {
    BeforeEach { [void] (Get-Seen) }

    It 'asks /status and stays quiet while the listener answers' {
        $log = Join-Path $script:Root 'quiet.log'
        Invoke-HcmWatchdogTick -Port $script:Port -LogPath $log | Should -Be 'Healthy'
        Get-Seen | Should -Be @('/status')
        $log | Should -Not -Exist
    }

    It 'requests /warmup when /status fails, and writes one line to the listener''s log' {
        [void] (Invoke-Peer '/__down')
        $log = Join-Path $script:Root 'revived.log'
        Invoke-HcmWatchdogTick -Port $script:Port -LogPath $log | Should -Be 'Revived'
        Get-Seen | Should -Be @('/status', '/warmup')
        $line = Get-Content -LiteralPath $log | ConvertFrom-Json
        $line.event | Should -Be 'watchdog-warmup'
        $line.revived | Should -BeTrue
        $line.msg | Should -Match 'did not answer /status \(status 503\)'
    }

    It 'reports Down, logging why, when nothing listens on the port' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $free = $listener.LocalEndpoint.Port; $listener.Stop()
        $log = Join-Path $script:Root 'down.log'
        Invoke-HcmWatchdogTick -Port $free -LogPath $log -TimeoutSeconds 5 | Should -Be 'Down'
        (Get-Content -LiteralPath $log | ConvertFrom-Json).level | Should -Be 50
    }

    It 'runs as the scheduled task runs it: its own process, exit code 1 when it revived the listener' {
        [void] (Invoke-Peer '/__down')
        # The suite's pwsh (HCM_PWSH from the tool table), else this very process (a .NET tool install runs as "dotnet pwsh.dll").
        $pwsh = @($(if ($env:HCM_PWSH) { $env:HCM_PWSH } else { (Get-Process -Id $PID).Path }))
        if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script:Watch -Port $script:Port -Once | Out-Null
        $LASTEXITCODE | Should -Be 1
        Get-Seen | Should -Be @('/status', '/warmup')
    }
}

Describe 'Test-HybridConnectionManager.ps1: crashes of the listener, from its own log' {
    BeforeAll {
        $script:Home2 = Join-Path $script:Root 'home'
        [void] (New-Item -ItemType Directory -Path (Join-Path $script:Home2 'logs') -Force)
        $script:Log = Join-Path $script:Home2 'logs/MicrosoftAzureBizTalkHybridListener.log'
        function Write-Lines([object[]] $Lines) { Set-Content -LiteralPath $script:Log -Value @($Lines | ForEach-Object { $_ | ConvertTo-Json -Compress }) }
        function Get-CrashCheck { & (Get-Module HybridConnectionManager) { param($h) Get-HcmListenerCrashCheck -HcmHome $h } $script:Home2 }
        $script:Now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    }

    It 'passes after clean stops and restarts' {
        Write-Lines @(
            @{ level = 30; time = $script:Now - 5000; pid = 11; event = 'site-started' }, @{ level = 30; time = $script:Now - 4000; pid = 11; event = 'site-stopping' },
            @{ level = 30; time = $script:Now - 3000; pid = 12; event = 'site-started' })
        (Get-CrashCheck).Passed | Should -BeTrue
    }

    It 'fails when node.exe ended without stopping or the watchdog found it down, saying when' {
        Write-Lines @(
            @{ level = 30; time = $script:Now - 9000; pid = 11; event = 'site-started' },
            @{ level = 40; time = $script:Now - 8000; pid = 99; source = 'watchdog'; event = 'watchdog-warmup'; revived = $true },
            @{ level = 30; time = $script:Now - 7000; pid = 12; event = 'site-started' })
        $check = Get-CrashCheck
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match 'ended without stopping 1 time\(s\) and the watchdog found it down 1 time\(s\) in the last 24 h'
    }
}

Describe 'the Windows 10/11 prerequisite commands' {
    BeforeAll {
        # Parent of each IIS optional feature (DISM's feature tree on Windows 10/11).
        $script:Parent = @{
            'IIS-WebServer' = 'IIS-WebServerRole'; 'IIS-CommonHttpFeatures' = 'IIS-WebServer'; 'IIS-StaticContent' = 'IIS-CommonHttpFeatures'
            'IIS-DefaultDocument' = 'IIS-CommonHttpFeatures'; 'IIS-DirectoryBrowsing' = 'IIS-CommonHttpFeatures'; 'IIS-HttpErrors' = 'IIS-CommonHttpFeatures'
            'IIS-Security' = 'IIS-WebServer'; 'IIS-RequestFiltering' = 'IIS-Security'; 'IIS-ApplicationDevelopment' = 'IIS-WebServer'
            'IIS-ApplicationInit' = 'IIS-ApplicationDevelopment'; 'IIS-WebServerManagementTools' = 'IIS-WebServerRole'; 'IIS-ManagementScriptingTools' = 'IIS-WebServerManagementTools'
        }
        # What the sites rely on: the role's usual children, Application Initialization, the PowerShell module.
        $script:Needed = @('IIS-WebServerRole', 'IIS-WebServer', 'IIS-StaticContent', 'IIS-DefaultDocument', 'IIS-DirectoryBrowsing', 'IIS-HttpErrors', 'IIS-RequestFiltering', 'IIS-ApplicationInit', 'IIS-ManagementScriptingTools')
        function Invoke-Dism([string[]] $Commands) {
            # Enable-WindowsOptionalFeature on a fresh Windows 10/11: -All also enables parents; without it a feature whose parent is off fails.
            $enabled = @{}
            foreach ($command in $Commands) {
                if ($command -notmatch '^Enable-WindowsOptionalFeature -Online (?<all>-All )?-FeatureName (?<names>[\w,-]+)$') { throw "not a feature command: $command" }
                foreach ($name in ($Matches.names -split ',')) {
                    $chain = @($name)
                    while ($script:Parent.ContainsKey($chain[-1])) { $chain += $script:Parent[$chain[-1]] }
                    $missing = @($chain | Select-Object -Skip 1 | Where-Object { -not $enabled[$_] -and ($Matches.names -split ',') -notcontains $_ })
                    if ($missing.Count -gt 0 -and -not $Matches.all) { throw "$($name): its parent feature $($missing[0]) is not enabled" }
                    foreach ($feature in $chain) { $enabled[$feature] = $true }
                }
            }
            return @($enabled.Keys)
        }
    }

    It 'enables every feature the sites need, parents included, from the README''s table' {
        $section = [regex]::Match((Get-Content -LiteralPath (Join-Path $script:RepoRoot 'README.md') -Raw), '(?s)## Install on IIS.*?\n## ').Value
        $commands = @([regex]::Matches($section, '`(Enable-WindowsOptionalFeature [^`]+)`') | ForEach-Object { $_.Groups[1].Value })
        $commands.Count | Should -BeGreaterThan 0
        $enabled = Invoke-Dism -Commands $commands
        @($script:Needed | Where-Object { $enabled -notcontains $_ }) | Should -BeNullOrEmpty
    }

    It 'gives the same commands in the prerequisite checks'' fixes' {
        $hints = & (Get-Module HybridConnectionManager) { $script:IisInstallHint }
        $enabled = Invoke-Dism -Commands @([regex]::Matches($hints, '"(Enable-WindowsOptionalFeature [^"]+)"') | ForEach-Object { $_.Groups[1].Value })
        @($script:Needed | Where-Object { $enabled -notcontains $_ }) | Should -BeNullOrEmpty
        # The old command: -All enables parents only, and Application Initialization without -All fails on a fresh machine.
        { Invoke-Dism -Commands @('Enable-WindowsOptionalFeature -Online -FeatureName IIS-ApplicationInit') } | Should -Throw '*parent feature*'
        $old = Invoke-Dism -Commands @('Enable-WindowsOptionalFeature -Online -All -FeatureName IIS-WebServerRole,IIS-WebServer,IIS-ManagementScriptingTools')
        @($script:Needed | Where-Object { $old -notcontains $_ }) | Should -Contain 'IIS-HttpErrors'
    }
}

Describe 'Test-HybridConnectionManager.ps1: the server-level changes the installer made' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
        $script:FakeIis = New-FakeIis -HcmHome $script:Root
        Register-FakeIisMock
        $script:Module = Get-Module HybridConnectionManager
        $script:TaskOptions = @{ InstallPath = (Join-Path $script:Root 'product'); HcmHome = $script:Root; Port = 6568 }
    }
    AfterAll { Remove-FakeIis }

    It 'fails the watchdog check when the task is missing, disabled or points elsewhere, saying to re-run the installer' {
        $check = & $script:Module { param($o) Get-HcmWatchdogCheck @o } $script:TaskOptions
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match 'is not registered: a crashed listener stays down'
        Set-HcmWatchdog @script:TaskOptions | Out-Null
        (& $script:Module { param($o) Get-HcmWatchdogCheck @o } $script:TaskOptions).Passed | Should -BeTrue
        $script:FakeIis.Tasks['\HybridConnectionManager\Listener Watchdog'].State = 'Disabled'
        $check = & $script:Module { param($o) Get-HcmWatchdogCheck @o } $script:TaskOptions
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match 'is Disabled'
        $check.Fix | Should -BeLike 'Run Install-HybridConnectionManager.ps1 again*'
    }

    It 'reports a site whose <handlers> unlock is gone (every request would answer 500.19)' {
        Test-HcmSectionUnlock -Site 'MicrosoftSqlConnector_001' | Should -BeFalse
        Set-HcmSectionUnlock -Site 'MicrosoftSqlConnector_001' | Out-Null
        Test-HcmSectionUnlock -Site 'MicrosoftSqlConnector_001' | Should -BeTrue
        Remove-HcmSectionUnlock -Site 'MicrosoftSqlConnector_001' -Confirm:$false | Out-Null
        @(Get-HcmSectionUnlock -Site 'MicrosoftSqlConnector_001' | ForEach-Object { "$($_.Section)=$($_.OverrideMode)" }) | Should -Be @('system.webServer/handlers=Inherit')
    }
}

Describe 'Test-HybridConnectionManager.ps1: the node.exe a site''s web.config names' {
    It 'reports a nodeProcessCommandLine whose node.exe is gone, and nothing for one that exists' {
        $folder = Join-Path $script:Root 'node-site'
        [void] (New-Item -ItemType Directory -Path $folder -Force)
        $config = Join-Path $folder 'web.config'
        $node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
        foreach ($case in @(@{ Path = $node; Drift = '' }, @{ Path = (Join-Path $script:Root 'nodejs/node.exe'); Drift = '*does not exist (Node.js moved or removed)*' })) {
            Set-Content -LiteralPath $config -Value "<configuration><system.webServer><iisnode nodeProcessCommandLine=`"&quot;$($case.Path)&quot;`" /></system.webServer></configuration>"
            $drift = & (Get-Module HybridConnectionManager) { param($c) Get-HcmSiteNodeDrift -ConfigPath $c } $config
            if ($case.Drift) { $drift | Should -BeLike $case.Drift } else { $drift | Should -BeNullOrEmpty }
        }
    }
}
