# Stand-ins for the ScheduledTasks module's cmdlets (CDXML cmdlets over the Task Scheduler's CIM
# classes) that the watchdog registration calls: the real parameter names, positions and parameter
# sets from Microsoft's reference pages, bodies that throw. The real cmdlets take and return
# CimInstance objects (MSFT_TaskAction, MSFT_TaskTrigger, …), which cannot be created on Linux
# (libmi is Windows-only), so those parameters are [psobject]; the enum-typed ones list the enum's
# names in a ValidateSet.

function Stop-UnmockedTaskCall {
    param([string] $Name)
    throw "$Name is a stub of a ScheduledTasks cmdlet: mock it in the test (Mock $Name -ModuleName HybridConnectionManager)."
}

function Get-ScheduledTask {
    [CmdletBinding(DefaultParameterSetName = 'TaskPath')]
    param(
        [Parameter(Position = 0, ParameterSetName = 'TaskPath')][string[]] $TaskName,
        [Parameter(Position = 1, ParameterSetName = 'TaskPath')][string[]] $TaskPath,
        [Alias('Session')][psobject[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

function Register-ScheduledTask {
    [CmdletBinding(DefaultParameterSetName = 'User')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string] $TaskName,
        [Parameter(Position = 1)][string] $TaskPath,
        [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'User')][Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Principal')][psobject[]] $Action,
        [Parameter(Position = 3, ParameterSetName = 'User')][Parameter(Position = 3, ParameterSetName = 'Principal')][psobject[]] $Trigger,
        [Parameter(Position = 4, ParameterSetName = 'User')][Parameter(Position = 4, ParameterSetName = 'Principal')][psobject] $Settings,
        [Parameter(Position = 5, ParameterSetName = 'User')][string] $User,
        [Parameter(Position = 6, ParameterSetName = 'User')][string] $Password,
        [Parameter(ParameterSetName = 'User')][ValidateSet('Limited', 'Highest')][string] $RunLevel,
        [Parameter(Position = 7, ParameterSetName = 'User')][Parameter(Position = 7, ParameterSetName = 'Principal')][string] $Description,
        [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Principal')][psobject] $Principal,
        [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Object', ValueFromPipeline = $true)][psobject] $InputObject,
        [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Xml')][string] $Xml,
        [switch] $Force,
        [Alias('Session')][psobject[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

function Unregister-ScheduledTask {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'TaskName')]
    param(
        [Parameter(Position = 0, ParameterSetName = 'TaskName')][string[]] $TaskName,
        [Parameter(Position = 1, ParameterSetName = 'TaskName')][string[]] $TaskPath,
        [Parameter(Mandatory = $true, ParameterSetName = 'InputObject', ValueFromPipeline = $true)][psobject[]] $InputObject,
        [switch] $PassThru,
        [Alias('Session')][psobject[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

function New-ScheduledTaskAction {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string] $Execute,
        [Parameter(Position = 1)][string] $Argument,
        [Parameter(Position = 2)][string] $WorkingDirectory,
        [string] $Id,
        [Alias('Session')][psobject[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

function New-ScheduledTaskTrigger {
    [CmdletBinding(DefaultParameterSetName = 'Once')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Once')][switch] $Once,
        [Parameter(Mandatory = $true, ParameterSetName = 'Daily')][switch] $Daily,
        [Parameter(Mandatory = $true, ParameterSetName = 'Weekly')][switch] $Weekly,
        [Parameter(Mandatory = $true, ParameterSetName = 'AtStartup')][switch] $AtStartup,
        [Parameter(Mandatory = $true, ParameterSetName = 'AtLogon')][switch] $AtLogOn,
        [Parameter(Mandatory = $true, ParameterSetName = 'Once')][Parameter(Mandatory = $true, ParameterSetName = 'Daily')][Parameter(Mandatory = $true, ParameterSetName = 'Weekly')][datetime] $At,
        [Parameter(ParameterSetName = 'Once')][timespan] $RepetitionInterval,
        [Parameter(ParameterSetName = 'Once')][timespan] $RepetitionDuration,
        [timespan] $RandomDelay,
        [Parameter(ParameterSetName = 'Daily')][Parameter(ParameterSetName = 'Weekly')][uint32] $DaysInterval,
        [Parameter(ParameterSetName = 'Weekly')][uint32] $WeeksInterval,
        [Parameter(Mandatory = $true, ParameterSetName = 'Weekly')][ValidateSet('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')][string[]] $DaysOfWeek,
        [Parameter(ParameterSetName = 'AtLogon')][string] $User
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

function New-ScheduledTaskPrincipal {
    [CmdletBinding(DefaultParameterSetName = 'User')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'User')][string] $UserId,
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Group')][string] $GroupId,
        [Parameter(Position = 1, ParameterSetName = 'User')][ValidateSet('None', 'Password', 'S4U', 'Interactive', 'Group', 'ServiceAccount', 'InteractiveOrPassword')][string] $LogonType,
        [ValidateSet('Limited', 'Highest')][string] $RunLevel,
        [ValidateSet('None', 'Unrestricted', 'Default')][string] $ProcessTokenSidType,
        [string[]] $RequiredPrivilege,
        [string] $Id,
        [Alias('Session')][psobject[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

function New-ScheduledTaskSettingsSet {
    [CmdletBinding()]
    param(
        [switch] $DisallowDemandStart,
        [switch] $DisallowHardTerminate,
        [ValidateSet('V1', 'Vista', 'Win7', 'Win8')][string] $Compatibility,
        [timespan] $DeleteExpiredTaskAfter,
        [switch] $AllowStartIfOnBatteries,
        [switch] $Disable,
        [switch] $MaintenanceExclusive,
        [switch] $Hidden,
        [switch] $RunOnlyIfIdle,
        [timespan] $IdleWaitTimeout,
        [string] $NetworkId,
        [string] $NetworkName,
        [switch] $DisallowStartOnRemoteAppSession,
        [timespan] $MaintenancePeriod,
        [timespan] $MaintenanceDeadline,
        [switch] $StartWhenAvailable,
        [switch] $DontStopIfGoingOnBatteries,
        [switch] $WakeToRun,
        [timespan] $IdleDuration,
        [switch] $RestartOnIdle,
        [switch] $DontStopOnIdleEnd,
        [timespan] $ExecutionTimeLimit,
        [ValidateSet('Parallel', 'Queue', 'IgnoreNew', 'StopExisting')][string] $MultipleInstances,
        [int] $Priority,
        [int] $RestartCount,
        [timespan] $RestartInterval,
        [switch] $RunOnlyIfNetworkAvailable,
        [Alias('Session')][psobject[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    Stop-UnmockedTaskCall $MyInvocation.MyCommand.Name
}

Export-ModuleMember -Function @('Get-ScheduledTask', 'Register-ScheduledTask', 'Unregister-ScheduledTask', 'New-ScheduledTaskAction', 'New-ScheduledTaskTrigger', 'New-ScheduledTaskPrincipal', 'New-ScheduledTaskSettingsSet')
