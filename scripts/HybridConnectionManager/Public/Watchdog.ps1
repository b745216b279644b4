# The listener watchdog: a scheduled task that runs scripts\Watch-HybridConnectionListener.ps1, which
# requests the listener's /warmup when its /status fails (iisnode restarts a crashed node.exe only on
# a request, and nobody requests the listener's port). Chosen over a Windows service (one more thing
# to install and sign) and over rapid-fail protection (w3wp does not crash when node.exe does, so it
# never triggers). Runs as NetworkService: it needs loopback HTTP and the logs folder only.

$script:WatchdogTaskName = 'Listener Watchdog'
$script:WatchdogTaskPath = '\HybridConnectionManager\'
$script:WatchdogUser = 'NT AUTHORITY\NETWORK SERVICE'

function Get-HcmWatchdogCommand {
    # The task's program and arguments (Windows PowerShell 5.1, always present on the server).
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][int] $Port)
    $execute = 'powershell.exe'
    if ($env:SystemRoot) { $execute = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe' }
    $script = Join-Path (Join-Path $InstallPath 'scripts') 'Watch-HybridConnectionListener.ps1'
    $log = Join-Path (Join-Path $HcmHome 'logs') 'MicrosoftAzureBizTalkHybridListener.log'
    [pscustomobject]@{ Execute = $execute; Argument = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$script`" -Port $Port -LogPath `"$log`"" }
}

function Get-HcmWatchdog {
    <#
    .SYNOPSIS
    Reads the listener watchdog's scheduled task against what the installer registers.
    .PARAMETER InstallPath
    The installed product.
    .PARAMETER HcmHome
    The manifest folder (its logs folder receives the watchdog's lines).
    .PARAMETER Port
    The listener's port.
    .OUTPUTS
    An object: TaskName, Exists, State, Execute, Argument, UserId, InState, Expected.
    .EXAMPLE
    Get-HcmWatchdog -InstallPath 'C:\Program Files\HybridConnectionManager' -HcmHome C:\ProgramData\HybridConnectionManager -Port 6568
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port)
    $expected = Get-HcmWatchdogCommand -InstallPath $InstallPath -HcmHome $HcmHome -Port $Port
    $task = Get-ScheduledTask -TaskName $script:WatchdogTaskName -TaskPath $script:WatchdogTaskPath -ErrorAction SilentlyContinue
    $action = if ($null -ne $task) { @($task.Actions)[0] } else { $null }
    $state = if ($null -ne $task) { [string] $task.State } else { '' }
    $execute = if ($null -ne $action) { [string] $action.Execute } else { '' }
    $argument = if ($null -ne $action) { [string] $action.Arguments } else { '' }
    $user = if ($null -ne $task) { [string] $task.Principal.UserId } else { '' }
    $inState = ($null -ne $task -and $state -ne 'Disabled' -and $execute -eq $expected.Execute -and $argument -eq $expected.Argument -and $user -match 'NETWORK SERVICE|^S-1-5-20$')
    [pscustomobject]@{ TaskName = "$script:WatchdogTaskPath$script:WatchdogTaskName"; Exists = ($null -ne $task); State = $state; Execute = $execute; Argument = $argument; UserId = $user; InState = $inState; Expected = $expected }
}

function Test-HcmWatchdog {
    <#
    .SYNOPSIS
    True when the watchdog task exists, is enabled and runs the installed script for this listener.
    .PARAMETER InstallPath
    The installed product.
    .PARAMETER HcmHome
    The manifest folder.
    .PARAMETER Port
    The listener's port.
    .EXAMPLE
    Test-HcmWatchdog -InstallPath $install -HcmHome $home -Port 6568
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port)
    return (Get-HcmWatchdog @PSBoundParameters).InState
}

function Set-HcmWatchdog {
    <#
    .SYNOPSIS
    Registers (or re-registers) the listener watchdog task; does nothing when it is as wanted.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Triggers: at startup, and every 5 minutes (a watchdog that ended
    is started again; a running one is left alone). It checks every 15 s, so a crashed listener is
    back within a minute. Returns Action Created (undone on rollback), Updated or None.
    .PARAMETER InstallPath
    The installed product.
    .PARAMETER HcmHome
    The manifest folder.
    .PARAMETER Port
    The listener's port.
    .EXAMPLE
    Set-HcmWatchdog -InstallPath $install -HcmHome $home -Port 6568 -WhatIf
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port)
    $state = Get-HcmWatchdog @PSBoundParameters
    if ($state.InState) { return New-HcmChange -Resource 'Watchdog' -Name $state.TaskName -Action 'None' }
    $action = if ($state.Exists) { 'Updated' } else { 'Created' }
    if (-not $PSCmdlet.ShouldProcess($state.TaskName, "Register the scheduled task that restarts a crashed listener (every 15 s: GET /status, else /warmup), as NetworkService")) {
        return New-HcmChange -Resource 'Watchdog' -Name $state.TaskName -Action $action -WhatIf
    }
    $triggers = @((New-ScheduledTaskTrigger -AtStartup), (New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 5)))
    $register = @{
        TaskName    = $script:WatchdogTaskName
        TaskPath    = $script:WatchdogTaskPath
        Action      = (New-ScheduledTaskAction -Execute $state.Expected.Execute -Argument $state.Expected.Argument)
        Trigger     = $triggers
        Principal   = (New-ScheduledTaskPrincipal -UserId $script:WatchdogUser -LogonType ServiceAccount)
        Settings    = (New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit ([timespan]::Zero) -StartWhenAvailable)
        Description = 'Hybrid Connection Manager: requests the listener site''s /warmup when its /status fails, so iisnode restarts a crashed node.exe (Install-HybridConnectionManager.ps1).'
        Force       = $true
    }
    [void] (Register-ScheduledTask @register)
    New-HcmChange -Resource 'Watchdog' -Name $state.TaskName -Action $action -Changes @('scheduled task')
}

function Remove-HcmWatchdog {
    <#
    .SYNOPSIS
    Unregisters the listener watchdog task when it exists.
    .DESCRIPTION
    Supports -WhatIf and -Confirm.
    .EXAMPLE
    Remove-HcmWatchdog -Confirm:$false
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param()
    $task = Get-ScheduledTask -TaskName $script:WatchdogTaskName -TaskPath $script:WatchdogTaskPath -ErrorAction SilentlyContinue
    if ($null -eq $task -or -not $PSCmdlet.ShouldProcess("$script:WatchdogTaskPath$script:WatchdogTaskName", 'Unregister the listener watchdog task')) { return }
    Unregister-ScheduledTask -TaskName $script:WatchdogTaskName -TaskPath $script:WatchdogTaskPath -Confirm:$false
    New-HcmChange -Resource 'Watchdog' -Name "$script:WatchdogTaskPath$script:WatchdogTaskName" -Action 'Removed'
}
