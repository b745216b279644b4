# The troubleshooting list of the original, automated: `hcm doctor` for what any host can check,
# plus what only Windows can: IIS role and services, sites and pools started and configured,
# IIS/WAS errors in the event logs (a pool stopped by rapid-fail protection), errors in the logs.

function Get-HcmDoctorCheck {
    # `hcm doctor --json` ([{name, passed, detail, fix}]) as check objects; exit code 1 means "a check failed", not "doctor failed".
    param([string] $InstallPath, [string] $HcmHome, [string] $NodePath)
    try {
        $report = Invoke-HcmCli -InstallPath $InstallPath -Arguments @('doctor') -HcmHome $HcmHome -NodePath $NodePath -AllowedExitCode @(0, 1) -RequireOutput
    }
    catch {
        return New-HcmCheck -Name 'hcm doctor' -Passed $false -Detail $_.Exception.Message -Fix "Check that the product is installed in $InstallPath (run Install-HybridConnectionManager.ps1 again)."
    }
    foreach ($item in @($report | ForEach-Object { $_ })) {
        New-HcmCheck -Name ([string] $item.name) -Passed ([bool] $item.passed) -Detail ([string] $item.detail) -Fix ([string] $item.fix)
    }
}

function Get-HcmIisServiceCheck {
    # The IIS role is installed and its two services (WAS, W3SVC) run.
    $role = Get-HcmWindowsFeatureState -ServerFeature 'Web-Server' -ClientFeature 'IIS-WebServerRole'
    New-HcmCheck -Name 'IIS role' -Passed $role.Installed -Detail $(if ($role.Installed) { "$($role.Name) installed" } else { "$($role.Name) is not installed" }) -Fix $script:IisInstallHint
    foreach ($name in @('WAS', 'W3SVC')) {
        $service = Get-Service -Name $name -ErrorAction SilentlyContinue
        $running = ($null -ne $service -and [string] $service.Status -eq 'Running')
        $detail = if ($null -eq $service) { "service $name is not installed" } else { "service $name is $($service.Status)" }
        New-HcmCheck -Name "Service $name" -Passed $running -Detail $detail -Fix "Start-Service $name (and set it to start automatically: Set-Service $name -StartupType Automatic)."
    }
}

function Get-HcmSiteCheck {
    # A site and its pool exist, are started, and are configured as the installer left them.
    param([Parameter(Mandatory = $true)][string] $Site, [Parameter(Mandatory = $true)][string] $AppPool, [Parameter(Mandatory = $true)][int] $Port, [Parameter(Mandatory = $true)][string] $Folder)
    $state = Get-HcmSiteState -Site $Site -AppPool $AppPool
    $reinstall = 'Run Install-HybridConnectionManager.ps1 again with the same configuration string: it recreates and converges what is missing.'
    if (-not $state.SiteState -or -not $state.AppPoolState) {
        $missing = @(@(if (-not $state.SiteState) { "site $Site" }) + @(if (-not $state.AppPoolState) { "app pool $AppPool" })) -join ' and '
        return New-HcmCheck -Name "$Site started" -Passed $false -Detail "$missing missing in IIS" -Fix $reinstall
    }
    $started = ($state.SiteState -eq 'Started' -and $state.AppPoolState -eq 'Started')
    $fix = "Start-WebAppPool $AppPool; Start-Website $Site. If the pool stops again, rapid-fail protection stopped it after w3wp crashes: read the event logs and HCM_HOME\logs\$Site.log."
    New-HcmCheck -Name "$Site started" -Passed $started -Detail "site $($state.SiteState), app pool $AppPool $($state.AppPoolState)" -Fix $fix
    $drift = @()
    $drift += @((Get-HcmAppPool -Name $AppPool).Properties | Where-Object { -not $_.InState } | ForEach-Object { "$AppPool $($_.Name) is '$($_.Actual)' (want '$($_.Expected)')" })
    $drift += @((Get-HcmWebSite -Name $Site -AppPool $AppPool -PhysicalPath $Folder).Properties | Where-Object { -not $_.InState } | ForEach-Object { "$Site $($_.Name) is '$($_.Actual)' (want '$($_.Expected)')" })
    $drift += @(Get-HcmSectionUnlock -Site $Site | Where-Object { -not $_.InState } | ForEach-Object { "$($_.Section) is not unlocked for $Site (overrideMode $($_.OverrideMode)): IIS answers 500.19" })
    $missingNode = Get-HcmSiteNodeDrift -ConfigPath (Join-Path $Folder 'web.config')
    if ($missingNode) { $drift += "$Site $missingNode" }
    $binding = Get-HcmSiteBinding -Name $Site -Port $Port
    if ($binding.Missing.Count -gt 0 -or $binding.Extra.Count -gt 0) { $drift += "$Site bindings are $($binding.Actual -join ', ') (want $($binding.Expected -join ', '))" }
    New-HcmCheck -Name "$Site configuration" -Passed ($drift.Count -eq 0) -Detail $(if ($drift.Count -eq 0) { 'as installed' } else { $drift -join '; ' }) -Fix $reinstall
}

function Get-HcmRecentEvent {
    # Errors of the last hours in one event log; Get-WinEvent reports "no events" as an error, which here means none.
    param([string] $LogName, [datetime] $Since)
    try {
        @(Get-WinEvent -FilterHashtable @{ LogName = $LogName; Level = @(1, 2); StartTime = $Since } -MaxEvents 500 -ErrorAction Stop)
    }
    catch {
        if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { return @() }
        throw
    }
}

function Get-HcmEventLogCheck {
    # IIS and WAS errors in the System and Application logs; a rapid-fail stop (WAS event 5002) of one of our pools gets its own check.
    param([Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]] $AppPools, [int] $Hours = 24)
    $since = (Get-Date).AddHours(-$Hours)
    $events = @()
    foreach ($log in @('System', 'Application')) {
        $events += @(Get-HcmRecentEvent -LogName $log -Since $since | Where-Object { [string] $_.ProviderName -match 'WAS|W3SVC|IIS|iisnode' })
    }
    $rapidFail = @($events | Where-Object { $_.Id -eq 5002 })
    $stoppedPools = @($AppPools | Where-Object { $pool = $_; @($rapidFail | Where-Object { ([string] $_.Message).Contains("'$pool'") }).Count -gt 0 })
    New-HcmCheck -Name 'Rapid-fail protection' -Passed ($stoppedPools.Count -eq 0) -Detail $(if ($stoppedPools.Count -eq 0) { "no app pool of ours was stopped in the last $Hours h" } else { "WAS stopped $($stoppedPools -join ', ') after repeated crashes (event 5002)" }) -Fix "Read HCM_HOME\logs for the crash, fix its cause, then Start-WebAppPool $($stoppedPools -join ', ')."
    $latest = @($events | Sort-Object TimeCreated -Descending | Select-Object -First 3 | ForEach-Object {
            $line = (([string] $_.Message) -split "`r?`n")[0]
            "$($_.TimeCreated.ToString('u')) $($_.ProviderName) $($_.Id): $line"
        })
    New-HcmCheck -Name 'Event logs (IIS, WAS)' -Passed ($events.Count -eq 0) -Detail $(if ($events.Count -eq 0) { "no IIS or WAS errors in the last $Hours h" } else { "$($events.Count) error(s) in the last $Hours h; latest: $($latest -join ' | ')" }) -Fix 'Open Event Viewer (System and Application logs, sources WAS and W3SVC) for the full messages.'
}

function Get-HcmLogCheck {
    # error (50) and fatal (60) lines of the sites' JSON logs in HCM_HOME\logs from the last hours.
    param([Parameter(Mandatory = $true)][string] $HcmHome, [int] $Hours = 24)
    $folder = Join-Path $HcmHome 'logs'
    $since = [DateTimeOffset]::UtcNow.AddHours(-$Hours).ToUnixTimeMilliseconds()
    $findings = @()
    foreach ($file in @(Get-ChildItem -LiteralPath $folder -Filter '*.log' -File -ErrorAction SilentlyContinue)) {
        $errors = @(Get-Content -LiteralPath $file.FullName -Tail 2000 | ForEach-Object {
                if ($_ -notmatch '^\s*\{') { return }
                try { $entry = $_ | ConvertFrom-Json } catch { return }
                if ($null -eq $entry -or -not $entry.PSObject.Properties['level']) { return }
                $level = $entry.level
                $isError = if ($level -is [string]) { $level -in @('error', 'fatal') } else { [int] $level -ge 50 }
                $recent = (-not $entry.PSObject.Properties['time']) -or ([double] $entry.time -ge $since)
                if ($isError -and $recent) { $(if ($entry.PSObject.Properties['msg']) { [string] $entry.msg } else { $_ }) }
            })
        if ($errors.Count -gt 0) { $findings += "$($file.Name): $($errors.Count) error(s), latest: $($errors[-1])" }
    }
    New-HcmCheck -Name 'Errors in HCM_HOME\logs' -Passed ($findings.Count -eq 0) -Detail $(if ($findings.Count -eq 0) { "no errors in $folder in the last $Hours h" } else { $findings -join '; ' }) -Fix "Read the named log in $folder; each line is JSON with the error's code and message."
}

function Test-HcmInstallation {
    <#
    .SYNOPSIS
    Checks an installation and returns one check per item: Name, Passed, Detail, Fix.
    .DESCRIPTION
    The prerequisites, `hcm doctor` (relay reachable, SQL Server login, sites answering, hybrid
    connections Connected), the IIS role and the WAS and W3SVC services, each site and pool
    started and configured as installed, recent IIS/WAS errors in the event logs (including a pool
    stopped by rapid-fail protection), each site's <handlers> unlock, the listener watchdog task,
    crashes of the listener's node.exe (from its own log: iisnode reports them to ETW only), and
    errors in HCM_HOME\logs.
    .PARAMETER InstallPath
    The installed product (default %ProgramFiles%\HybridConnectionManager).
    .PARAMETER HcmHome
    The manifest folder (default HCM_HOME, else %ProgramData%\HybridConnectionManager).
    .PARAMETER NodePath
    node.exe (default: the one on PATH).
    .PARAMETER Hours
    How far back to look in the event logs and log files (default 24).
    .OUTPUTS
    HybridConnectionManager.Check objects.
    .EXAMPLE
    Test-HcmInstallation | Where-Object { -not $_.Passed }
    #>
    [CmdletBinding()]
    param([string] $InstallPath = (Get-HcmDefaultInstallPath), [string] $HcmHome = (Get-HcmDefaultHome), [string] $NodePath, [ValidateRange(1, 720)][int] $Hours = 24)
    $InstallPath = (Resolve-HcmFullPath -Path $InstallPath)
    $HcmHome = (Resolve-HcmFullPath -Path $HcmHome)
    Get-HcmPrerequisite -NodePath $NodePath
    Get-HcmIisServiceCheck
    Get-HcmDoctorCheck -InstallPath $InstallPath -HcmHome $HcmHome -NodePath $NodePath
    $installation = $null
    try { $installation = Get-HcmInstallation -InstallPath $InstallPath -HcmHome $HcmHome -NodePath $NodePath }
    catch { New-HcmCheck -Name 'Manifest' -Passed $false -Detail $_.Exception.Message -Fix 'Run Install-HybridConnectionManager.ps1 again.' }
    $pools = @()
    if ($null -ne $installation) {
        $sites = @($installation.Listener) + @($installation.Connectors)
        foreach ($site in $sites) {
            Get-HcmSiteCheck -Site $site.Site -AppPool $site.AppPool -Port $site.Port -Folder (Join-Path (Join-Path $InstallPath 'sites') $site.Site)
            $pools += $site.AppPool
        }
    }
    if ($null -ne $installation) { Get-HcmWatchdogCheck -InstallPath $InstallPath -HcmHome $HcmHome -Port $installation.Listener.Port }
    Get-HcmListenerCrashCheck -HcmHome $HcmHome -Site $(if ($null -ne $installation) { $installation.Listener.Site } else { 'MicrosoftAzureBizTalkHybridListener' }) -Hours $Hours
    Get-HcmEventLogCheck -AppPools $pools -Hours $Hours
    Get-HcmLogCheck -HcmHome $HcmHome -Hours $Hours
}
