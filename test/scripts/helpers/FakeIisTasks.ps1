# The Task Scheduler part of the fake server: Pester mocks of the ScheduledTasks stubs that keep the
# registered tasks in $global:HcmFakeIis.Tasks, returning objects shaped like the real CIM instances
# (Actions[].Execute/Arguments, Principal.UserId/LogonType, State). Dot-sourced by FakeIis.ps1.

function global:Register-FakeIisTaskMock {
    $m = $global:HcmFakeIisModule
    Mock New-ScheduledTaskAction -ModuleName $m { [pscustomobject]@{ Execute = $Execute; Arguments = $Argument; WorkingDirectory = $WorkingDirectory } }
    Mock New-ScheduledTaskTrigger -ModuleName $m {
        [pscustomobject]@{ Kind = $(if ($AtStartup) { 'AtStartup' } else { 'Once' }); StartBoundary = $(if ($PSBoundParameters.ContainsKey('At')) { $At.ToString('s') } else { '' }); Repetition = $(if ($PSBoundParameters.ContainsKey('RepetitionInterval')) { $RepetitionInterval.ToString() } else { '' }) }
    }
    Mock New-ScheduledTaskPrincipal -ModuleName $m { [pscustomobject]@{ UserId = $UserId; LogonType = $LogonType } }
    Mock New-ScheduledTaskSettingsSet -ModuleName $m { [pscustomobject]@{ MultipleInstances = $MultipleInstances; ExecutionTimeLimit = $(if ($PSBoundParameters.ContainsKey('ExecutionTimeLimit')) { $ExecutionTimeLimit.ToString() } else { '' }) } }
    Mock Register-ScheduledTask -ModuleName $m {
        $key = "$TaskPath$TaskName"
        if ($global:HcmFakeIis.Tasks.ContainsKey($key) -and -not $Force) { throw "Cannot create a file when that file already exists. (0x800700B7)" }
        $global:HcmFakeIis.Tasks[$key] = [pscustomobject]@{ TaskName = $TaskName; TaskPath = $TaskPath; State = 'Ready'; Actions = @($Action); Triggers = @($Trigger); Principal = $Principal; Settings = $Settings; Description = $Description }
        $global:HcmFakeIis.Tasks[$key]
    }
    Mock Get-ScheduledTask -ModuleName $m {
        $key = "$($TaskPath[0])$($TaskName[0])"
        # The real cmdlet writes a non-terminating "No MSFT_ScheduledTask objects found" error, which the module silences.
        if ($global:HcmFakeIis.Tasks.ContainsKey($key)) { return $global:HcmFakeIis.Tasks[$key] }
    }
    Mock Unregister-ScheduledTask -ModuleName $m {
        $key = "$($TaskPath[0])$($TaskName[0])"
        if (-not $global:HcmFakeIis.Tasks.ContainsKey($key)) { throw "No MSFT_ScheduledTask objects found with property 'TaskName' equal to '$($TaskName[0])'." }
        $global:HcmFakeIis.Tasks.Remove($key)
    }
}
