# Sites (MicrosoftAzureBizTalkHybridListener, MicrosoftSqlConnector_nnn): each on its own pool, in
# its own folder, preloaded by Application Initialization, started with the server.

function Get-HcmDesiredSiteValue {
    param([string] $AppPool, [string] $PhysicalPath)
    @{ ApplicationPool = $AppPool; PhysicalPath = $PhysicalPath.TrimEnd('\', '/'); PreloadEnabled = 'True'; ServerAutoStart = 'True' }
}

function Get-HcmWebSite {
    <#
    .SYNOPSIS
    Reads an IIS site's managed settings against the wanted pool and folder.
    .PARAMETER Name
    The site's name.
    .PARAMETER AppPool
    The app pool the site should run in.
    .PARAMETER PhysicalPath
    The folder the site should serve.
    .OUTPUTS
    An object: Name, Exists, Properties (Name, Path, Actual, Expected, InState).
    .EXAMPLE
    Get-HcmWebSite -Name MicrosoftSqlConnector_001 -AppPool HybridAppPool001 -PhysicalPath 'C:\Program Files\HybridConnectionManager\sites\MicrosoftSqlConnector_001'
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Name,
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $AppPool,
        [Parameter(Mandatory = $true)][string] $PhysicalPath
    )
    $filter = Get-HcmWebSiteFilter -Name $Name
    $exists = Test-HcmConfigElement -Filter $filter
    $properties = @()
    if ($exists) {
        $properties = @(Compare-HcmProperty -Table $script:WebSiteProperties -ElementFilter $filter -Desired (Get-HcmDesiredSiteValue -AppPool $AppPool -PhysicalPath $PhysicalPath))
    }
    [pscustomobject]@{ Name = $Name; Exists = $exists; Properties = $properties }
}

function Test-HcmWebSite {
    <#
    .SYNOPSIS
    True when the site exists on the wanted pool and folder, preloaded and auto-started.
    .PARAMETER Name
    The site's name.
    .PARAMETER AppPool
    The app pool the site should run in.
    .PARAMETER PhysicalPath
    The folder the site should serve.
    .EXAMPLE
    Test-HcmWebSite -Name MicrosoftAzureBizTalkHybridListener -AppPool HybridListenerAppPool -PhysicalPath $folder
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)][string] $Name,
        [Parameter(Mandatory = $true)][string] $AppPool,
        [Parameter(Mandatory = $true)][string] $PhysicalPath
    )
    $site = Get-HcmWebSite -Name $Name -AppPool $AppPool -PhysicalPath $PhysicalPath
    return ($site.Exists -and @($site.Properties | Where-Object { -not $_.InState }).Count -eq 0)
}

function Set-HcmWebSite {
    <#
    .SYNOPSIS
    Creates the site (bound to 127.0.0.1:<Port>) if needed and converges its settings; does nothing when they match.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. A new site is created with New-Website on 127.0.0.1 only; the
    bindings of an existing site are converged by Set-HcmSiteBinding. Returns Action Created,
    Updated or None and the changed settings.
    .PARAMETER Name
    The site's name.
    .PARAMETER AppPool
    The app pool the site runs in.
    .PARAMETER PhysicalPath
    The folder the site serves (must exist).
    .PARAMETER Port
    The loopback port of a new site.
    .EXAMPLE
    Set-HcmWebSite -Name MicrosoftSqlConnector_001 -AppPool HybridAppPool001 -PhysicalPath $folder -Port 6569
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Name,
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $AppPool,
        [Parameter(Mandatory = $true)][string] $PhysicalPath,
        [Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port
    )
    $site = Get-HcmWebSite -Name $Name -AppPool $AppPool -PhysicalPath $PhysicalPath
    $action = 'None'
    $changed = @()
    $rows = $site.Properties
    if (-not $site.Exists) {
        if (-not $PSCmdlet.ShouldProcess($Name, "Create IIS site on 127.0.0.1:$Port in app pool $AppPool")) { return New-HcmChange -Resource 'WebSite' -Name $Name -Action 'Created' -WhatIf }
        New-Website -Name $Name -PhysicalPath $PhysicalPath -ApplicationPool $AppPool -IPAddress '127.0.0.1' -Port ([uint32] $Port) | Out-Null
        $action = 'Created'
        $rows = @(Compare-HcmProperty -Table $script:WebSiteProperties -ElementFilter (Get-HcmWebSiteFilter -Name $Name) -Desired (Get-HcmDesiredSiteValue -AppPool $AppPool -PhysicalPath $PhysicalPath))
    }
    foreach ($row in @($rows | Where-Object { -not $_.InState })) {
        if ($PSCmdlet.ShouldProcess($Name, "Set site $($row.Name) to '$($row.Expected)' (was '$($row.Actual)')")) {
            Set-HcmConfigValue -ElementFilter (Get-HcmWebSiteFilter -Name $Name) -Path $row.Path -Value $row.Expected
            $changed += $row.Name
        }
    }
    if ($action -eq 'None' -and $changed.Count -gt 0) { $action = 'Updated' }
    New-HcmChange -Resource 'WebSite' -Name $Name -Action $action -Changes $changed
}
