# Checks of what keeps the listener up after a node.exe crash: the watchdog task, and crashes of the
# last hours read from the listener's own log (iisnode reports a crash through ETW, not the event
# logs, and w3wp does not crash with node.exe, so WAS logs nothing).

function Get-HcmWatchdogCheck {
    # The watchdog task is registered, enabled and runs the installed script for this listener.
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][int] $Port)
    $watchdog = Get-HcmWatchdog -InstallPath $InstallPath -HcmHome $HcmHome -Port $Port
    $detail = if ($watchdog.InState) { "$($watchdog.TaskName) is $($watchdog.State), runs as $($watchdog.UserId)" }
    elseif (-not $watchdog.Exists) { "$($watchdog.TaskName) is not registered: a crashed listener stays down until its pool recycles" }
    else { "$($watchdog.TaskName) is $($watchdog.State) and runs '$($watchdog.Execute) $($watchdog.Argument)' as '$($watchdog.UserId)' (want '$($watchdog.Expected.Execute) $($watchdog.Expected.Argument)' as NetworkService)" }
    New-HcmCheck -Name 'Listener watchdog' -Passed $watchdog.InState -Detail $detail -Fix 'Run Install-HybridConnectionManager.ps1 again with the same configuration string: it registers the task again.'
}

function Read-HcmLogLine {
    # The JSON lines of a site log, parsed; lines that are not JSON are skipped.
    param([Parameter(Mandatory = $true)][string] $Path)
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return }
    foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
        if (-not $line.StartsWith('{')) { continue }
        try { $line | ConvertFrom-Json } catch { Write-Verbose "skipping a line of $Path that is not JSON" }
    }
}

function Get-HcmListenerCrashCheck {
    <#
    .SYNOPSIS
    Crashes of the listener's node.exe in the last hours, from its own log.
    .DESCRIPTION
    Counts (a) "site-started" lines of a new process while the previous process had logged no
    "site-stopping" (it ended without stopping: a crash, or iisnode's TerminateProcess at a recycle)
    and (b) the watchdog's "watchdog-warmup" lines (it found the listener down and requested /warmup).
    #>
    param([Parameter(Mandatory = $true)][string] $HcmHome, [string] $Site = 'MicrosoftAzureBizTalkHybridListener', [int] $Hours = 24)
    $path = Join-Path (Join-Path $HcmHome 'logs') "$Site.log"
    $since = [DateTimeOffset]::UtcNow.AddHours(-$Hours).ToUnixTimeMilliseconds()
    $running = $null
    $unclean = @()
    $revivals = @()
    foreach ($entry in @(Read-HcmLogLine -Path $path)) {
        $kind = if ($entry.PSObject.Properties['event']) { [string] $entry.event } else { '' }
        $time = if ($entry.PSObject.Properties['time']) { [long] $entry.time } else { 0 }
        if ($kind -eq 'watchdog-warmup') { if ($time -ge $since) { $revivals += $entry }; continue }
        $processId = if ($entry.PSObject.Properties['pid']) { [string] $entry.pid } else { '' }
        if ($kind -eq 'site-started') {
            if ($null -ne $running -and $running -ne $processId -and $time -ge $since) { $unclean += $entry }
            $running = $processId
        }
        elseif ($kind -eq 'site-stopping' -and $processId -eq $running) { $running = $null }
    }
    $count = $unclean.Count + $revivals.Count
    $last = @(@($unclean) + @($revivals) | Sort-Object { [long] $_.time } | Select-Object -Last 1)
    $detail = if ($count -eq 0) { "no crash of $Site's node.exe in the last $Hours h ($path)" }
    else {
        $when = [DateTimeOffset]::FromUnixTimeMilliseconds([long] $last[0].time).UtcDateTime.ToString('u')
        "$Site's node.exe ended without stopping $($unclean.Count) time(s) and the watchdog found it down $($revivals.Count) time(s) in the last $Hours h (last at $when)"
    }
    New-HcmCheck -Name 'Listener crashes' -Passed ($count -eq 0) -Detail $detail -Fix "Read $path around that time (error and fatal lines) for the cause; the watchdog brings the listener back, but each crash drops its relay connections."
}
