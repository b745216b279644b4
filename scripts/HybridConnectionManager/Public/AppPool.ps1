# App pools (HybridListenerAppPool, HybridAppPoolnnn): read, compare, converge. Every pool gets the
# values of $script:AppPoolProperties: NetworkService, No Managed Code, AlwaysRunning, no idle
# timeout, no periodic recycling, rapid-fail protection left on as IIS has it (it counts w3wp crashes;
# when node.exe crashes w3wp does not, so it never triggers for that: the listener watchdog does).

function Get-HcmAppPool {
    <#
    .SYNOPSIS
    Reads an IIS app pool's managed settings.
    .PARAMETER Name
    The app pool's name.
    .OUTPUTS
    An object: Name, Exists, and one row per managed property (Name, Path, Actual, Expected, InState).
    .EXAMPLE
    (Get-HcmAppPool -Name HybridAppPool001).Properties | Format-Table
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Name)
    $filter = Get-HcmAppPoolFilter -Name $Name
    $exists = Test-HcmConfigElement -Filter $filter
    $desired = @{}
    foreach ($property in $script:AppPoolProperties) { $desired[$property.Name] = $property.Value }
    $properties = @()
    if ($exists) { $properties = @(Compare-HcmProperty -Table $script:AppPoolProperties -ElementFilter $filter -Desired $desired) }
    [pscustomobject]@{ Name = $Name; Exists = $exists; Properties = $properties }
}

function Test-HcmAppPool {
    <#
    .SYNOPSIS
    True when the app pool exists with every managed setting as the product wants it.
    .PARAMETER Name
    The app pool's name.
    .EXAMPLE
    Test-HcmAppPool -Name HybridListenerAppPool
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Name)
    $pool = Get-HcmAppPool -Name $Name
    return ($pool.Exists -and @($pool.Properties | Where-Object { -not $_.InState }).Count -eq 0)
}

function Set-HcmAppPool {
    <#
    .SYNOPSIS
    Creates the app pool if needed and converges its managed settings; does nothing when they already match.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Only the settings that differ are written. Returns what it did:
    Action Created, Updated or None, and the names of the changed settings.
    .PARAMETER Name
    The app pool's name.
    .EXAMPLE
    Set-HcmAppPool -Name HybridAppPool001 -WhatIf
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Name)
    $pool = Get-HcmAppPool -Name $Name
    $action = 'None'
    $changed = @()
    $rows = $pool.Properties
    if (-not $pool.Exists) {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Create IIS app pool')) { return New-HcmChange -Resource 'AppPool' -Name $Name -Action 'Created' -WhatIf }
        New-WebAppPool -Name $Name | Out-Null
        $action = 'Created'
        $desired = @{}
        foreach ($property in $script:AppPoolProperties) { $desired[$property.Name] = $property.Value }
        $rows = @(Compare-HcmProperty -Table $script:AppPoolProperties -ElementFilter (Get-HcmAppPoolFilter -Name $Name) -Desired $desired)
    }
    foreach ($row in @($rows | Where-Object { -not $_.InState })) {
        if ($PSCmdlet.ShouldProcess($Name, "Set app pool $($row.Name) to '$($row.Expected)' (was '$($row.Actual)')")) {
            Set-HcmConfigValue -ElementFilter (Get-HcmAppPoolFilter -Name $Name) -Path $row.Path -Value $row.Expected
            $changed += $row.Name
        }
    }
    if ($action -eq 'None' -and $changed.Count -gt 0) { $action = 'Updated' }
    New-HcmChange -Resource 'AppPool' -Name $Name -Action $action -Changes $changed
}
