<#
.SYNOPSIS
Brings the listener site's node.exe back after a crash, without waiting for a visitor.

.DESCRIPTION
iisnode starts node.exe only when a request arrives, and after a crash starts it again only on the
next request. The listener's work is outbound (its relay connections), so nobody requests its port
and its hybrid connections would stay down until the pool recycles. This script, run by the
scheduled task "\HybridConnectionManager\Listener Watchdog" that Install-HybridConnectionManager.ps1
registers, asks http://127.0.0.1:<Port>/status every IntervalSeconds; when that fails it requests
/warmup (which makes iisnode start node.exe, whose relay listeners then connect) and writes one line
(event "watchdog-warmup") to the listener's own log, where Test-HybridConnectionManager.ps1 finds it.
It stays quiet while the listener answers.

.PARAMETER Port
The listener site's port (default 6568).

.PARAMETER LogPath
The listener's log file (HCM_HOME\logs\MicrosoftAzureBizTalkHybridListener.log); nothing is written when absent.

.PARAMETER IntervalSeconds
Seconds between checks (default 15, so a crashed listener is back well within a minute).

.PARAMETER TimeoutSeconds
How long each request may take (default 10).

.PARAMETER Once
Check once and exit (exit code 0 healthy, 1 revived, 2 still down).

.EXAMPLE
.\Watch-HybridConnectionListener.ps1 -Port 6568 -LogPath C:\ProgramData\HybridConnectionManager\logs\MicrosoftAzureBizTalkHybridListener.log
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    [ValidateRange(1, 65535)][int] $Port = 6568,
    [string] $LogPath,
    [ValidateRange(1, 3600)][int] $IntervalSeconds = 15,
    [ValidateRange(1, 600)][int] $TimeoutSeconds = 10,
    [switch] $Once
)

function Invoke-HcmWatchdogRequest {
    # GET on loopback; status 0 and the error when nothing answers.
    param([int] $Port, [string] $Path, [int] $TimeoutSeconds)
    Add-Type -AssemblyName System.Net.Http
    $client = New-Object System.Net.Http.HttpClient
    $client.Timeout = [timespan]::FromSeconds($TimeoutSeconds)
    try {
        $response = $client.GetAsync("http://127.0.0.1:$Port$Path").GetAwaiter().GetResult()
        [pscustomobject]@{ StatusCode = [int] $response.StatusCode; Error = '' }
    }
    catch {
        $exception = $_.Exception
        while ($null -ne $exception.InnerException) { $exception = $exception.InnerException }
        [pscustomobject]@{ StatusCode = 0; Error = $exception.Message }
    }
    finally { $client.Dispose() }
}

function Write-HcmWatchdogLog {
    # One JSON line in the listener's log format (pino: level, time, pid, msg).
    param([string] $LogPath, [int] $Level, [hashtable] $Fields, [string] $Message)
    if (-not $LogPath) { return }
    $line = [ordered]@{ level = $Level; time = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds(); pid = $PID; source = 'watchdog' }
    foreach ($key in $Fields.Keys) { $line[$key] = $Fields[$key] }
    $line.msg = $Message
    [System.IO.File]::AppendAllText($LogPath, (($line | ConvertTo-Json -Compress) + "`n"), (New-Object System.Text.UTF8Encoding($false)))
}

function Invoke-HcmWatchdogTick {
    # One check: Healthy (quiet), Revived (it was down; /warmup answered) or Down (/warmup failed too).
    param([int] $Port, [string] $LogPath, [int] $TimeoutSeconds = 10)
    $status = Invoke-HcmWatchdogRequest -Port $Port -Path '/status' -TimeoutSeconds $TimeoutSeconds
    if ($status.StatusCode -eq 200) { return 'Healthy' }
    $why = if ($status.StatusCode -eq 0) { $status.Error } else { "status $($status.StatusCode)" }
    $warmup = Invoke-HcmWatchdogRequest -Port $Port -Path '/warmup' -TimeoutSeconds $TimeoutSeconds
    $revived = ($warmup.StatusCode -ge 200 -and $warmup.StatusCode -lt 300)
    $outcome = if ($revived) { 'answered' } elseif ($warmup.StatusCode -eq 0) { "failed: $($warmup.Error)" } else { "answered $($warmup.StatusCode)" }
    Write-HcmWatchdogLog -LogPath $LogPath -Level $(if ($revived) { 40 } else { 50 }) -Fields @{ event = 'watchdog-warmup'; port = $Port; revived = $revived } -Message "The listener did not answer /status ($why); the watchdog requested /warmup, which $outcome."
    if ($revived) { return 'Revived' }
    return 'Down'
}

# Dot-sourced (tests), only the functions above are defined.
if ($MyInvocation.InvocationName -eq '.') { return }
if ($Once) {
    $result = Invoke-HcmWatchdogTick -Port $Port -LogPath $LogPath -TimeoutSeconds $TimeoutSeconds
    $result
    exit $(switch ($result) { 'Healthy' { 0 } 'Revived' { 1 } default { 2 } })
}
while ($true) {
    [void] (Invoke-HcmWatchdogTick -Port $Port -LogPath $LogPath -TimeoutSeconds $TimeoutSeconds)
    Start-Sleep -Seconds $IntervalSeconds
}
