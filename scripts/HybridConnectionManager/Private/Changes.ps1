# What each Set-* function did, and undoing what an installation created when a later step fails.

function New-HcmChange {
    # What a Set-* function did, as an object: the installer keeps the Created ones to undo them on failure.
    param([string] $Resource, [string] $Name, [string] $Action, [string[]] $Changes = @(), [switch] $WhatIf)
    [pscustomobject]@{ Resource = $Resource; Name = $Name; Action = $Action; Changes = @($Changes); WhatIf = [bool] $WhatIf }
}

function Add-HcmCreated {
    # Records a change in the run's journal when it created something (and was not a dry run).
    param([Parameter(Mandatory = $true)][AllowEmptyCollection()][System.Collections.ArrayList] $Journal, [Parameter(Mandatory = $true)] $Change)
    if ($Change.Action -eq 'Created' -and -not $Change.WhatIf) { [void] $Journal.Add($Change) }
    return $Change
}

function Undo-HcmCreated {
    # Removes, newest first, what this run created; returns one line per undo (done or failed).
    param(
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][System.Collections.ArrayList] $Journal,
        [Parameter(Mandatory = $true)][hashtable] $Context
    )
    for ($index = $Journal.Count - 1; $index -ge 0; $index--) {
        $created = $Journal[$index]
        try {
            switch ($created.Resource) {
                'WebSite' { Remove-Website -Name $created.Name -Confirm:$false }
                'AppPool' { Remove-WebAppPool -Name $created.Name -Confirm:$false }
                'SectionUnlock' { [void] (Remove-HcmSectionUnlock -Site $created.Name -Confirm:$false) }
                'Watchdog' { [void] (Remove-HcmWatchdog -Confirm:$false) }
                'Connector' { [void] (Invoke-HcmCli -InstallPath $Context.CliPath -Arguments @('remove', $created.Name) -HcmHome $Context.HcmHome -NodePath $Context.NodePath) }
                'SiteFolder' { Remove-Item -LiteralPath $created.Name -Recurse -Force }
                'HomeFolder' { Remove-Item -LiteralPath $created.Name -Recurse -Force }
                'ProductFiles' { if ($created.Name -ne $Context.SourcePath) { Remove-Item -LiteralPath $created.Name -Recurse -Force } }
            }
            "removed $($created.Resource) $($created.Name)"
        }
        catch {
            "could not remove $($created.Resource) $($created.Name): $($_.Exception.Message)"
        }
    }
}
