# Uninstalling: one connector (its manifest entry, site, pool and folder) or everything — the
# "cleanup and reinstall" step of the original, which also clears IIS leftovers of a failed run.

function Get-HcmSiteAppPool {
    # The app pool a site's root application runs in, read from IIS ('' when the site does not exist).
    param([Parameter(Mandatory = $true)][string] $Site)
    if (-not (Test-HcmConfigElement -Filter (Get-HcmWebSiteFilter -Name $Site))) { return '' }
    Get-HcmConfigValue -ElementFilter (Get-HcmWebSiteFilter -Name $Site) -Path "application[@path='/']/@applicationPool"
}

function Remove-HcmSite {
    <#
    .SYNOPSIS
    Removes an IIS site, its app pool and (for a connector) its folder.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Each part is removed only when it exists; the listener's folder and
    the connector template belong to the product and are never removed here.
    .PARAMETER Site
    The site's name.
    .PARAMETER AppPool
    Its app pool (default: the pool IIS has for the site).
    .PARAMETER InstallPath
    The installed product (for the site's folder).
    .EXAMPLE
    Remove-HcmSite -Site MicrosoftSqlConnector_002 -InstallPath 'C:\Program Files\HybridConnectionManager'
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site, [string] $AppPool, [Parameter(Mandatory = $true)][string] $InstallPath)
    if (-not $AppPool) { $AppPool = Get-HcmSiteAppPool -Site $Site }
    if ((Test-HcmConfigElement -Filter (Get-HcmWebSiteFilter -Name $Site)) -and $PSCmdlet.ShouldProcess($Site, 'Remove IIS site')) {
        Remove-Website -Name $Site -Confirm:$false
        New-HcmChange -Resource 'WebSite' -Name $Site -Action 'Removed'
    }
    if ($AppPool -and (Test-HcmConfigElement -Filter (Get-HcmAppPoolFilter -Name $AppPool)) -and $PSCmdlet.ShouldProcess($AppPool, 'Remove IIS app pool')) {
        Remove-WebAppPool -Name $AppPool -Confirm:$false
        New-HcmChange -Resource 'AppPool' -Name $AppPool -Action 'Removed'
    }
    # The per-site unlock of <handlers> goes back to the server's default (Inherit).
    Remove-HcmSectionUnlock -Site $Site -Confirm:$false
    $folder = Join-Path (Join-Path $InstallPath 'sites') $Site
    if ($Site -match '^MicrosoftSqlConnector_\d{3}$' -and (Test-Path -LiteralPath $folder) -and $PSCmdlet.ShouldProcess($folder, 'Remove site folder')) {
        Remove-Item -LiteralPath $folder -Recurse -Force
        New-HcmChange -Resource 'SiteFolder' -Name $folder -Action 'Removed'
    }
}

function Get-HcmLeftoverSite {
    # IIS sites named like connectors whose folder is in this installation: left behind by a failed run or a lost manifest.
    param([Parameter(Mandatory = $true)][string] $InstallPath)
    $sitesFolder = Join-Path $InstallPath 'sites'
    foreach ($element in @(Get-WebConfiguration -PSPath $script:ApplicationHostPath -Filter 'system.applicationHost/sites/site')) {
        $name = [string] $element.name
        if ($name -notmatch '^MicrosoftSqlConnector_\d{3}$') { continue }
        $path = Get-HcmConfigValue -ElementFilter (Get-HcmWebSiteFilter -Name $name) -Path "application[@path='/']/virtualDirectory[@path='/']/@physicalPath"
        if ($path.TrimEnd('\', '/') -eq (Join-Path $sitesFolder $name)) { $name }
    }
}

function Uninstall-HcmConnector {
    <#
    .SYNOPSIS
    Removes one connector, or everything the Hybrid Connection Manager installed in IIS.
    .DESCRIPTION
    -Connector: `hcm remove` takes the connector out of the manifest (the listener drops its relay
    connection within 2 s), then its IIS site, app pool and folder are removed. A name the manifest
    no longer knows still removes an IIS site of that name (leftovers of a failed run).
    Each removed site's <handlers> unlock in applicationHost.config is set back to Inherit.
    -All: every connector as above, connector sites left in IIS, the listener watchdog task, and the listener's site and pool;
    with -RemoveFiles also the product folder and HCM_HOME (manifest and logs).
    Supports -WhatIf and -Confirm (it asks by default; -Confirm:$false does not).
    .PARAMETER Connector
    The connector: its site (MicrosoftSqlConnector_001), number (001) or entity path (sql-orders).
    .PARAMETER All
    Remove every connector and the listener.
    .PARAMETER RemoveFiles
    With -All: also delete InstallPath and HCM_HOME.
    .PARAMETER InstallPath
    The installed product (default %ProgramFiles%\HybridConnectionManager).
    .PARAMETER HcmHome
    The manifest folder (default HCM_HOME, else %ProgramData%\HybridConnectionManager).
    .PARAMETER NodePath
    node.exe (default: the one on PATH).
    .OUTPUTS
    One object per removed thing: Resource, Name, Action (Removed).
    .EXAMPLE
    Uninstall-HcmConnector -Connector MicrosoftSqlConnector_002
    .EXAMPLE
    Uninstall-HcmConnector -All -RemoveFiles -Confirm:$false
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'Connector')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Connector')][ValidateNotNullOrEmpty()][string] $Connector,
        [Parameter(Mandatory = $true, ParameterSetName = 'All')][switch] $All,
        [Parameter(ParameterSetName = 'All')][switch] $RemoveFiles,
        [string] $InstallPath = (Get-HcmDefaultInstallPath),
        [string] $HcmHome = (Get-HcmDefaultHome),
        [string] $NodePath
    )
    $InstallPath = (Resolve-HcmFullPath -Path $InstallPath)
    $HcmHome = (Resolve-HcmFullPath -Path $HcmHome)
    if ($All) {
        $installation = Get-HcmInstallation -InstallPath $InstallPath -HcmHome $HcmHome -NodePath $NodePath
        foreach ($entry in $installation.Connectors) { Remove-HcmConnectorEntry -Selector $entry.Site -InstallPath $InstallPath -HcmHome $HcmHome -NodePath $NodePath }
        foreach ($leftover in @(Get-HcmLeftoverSite -InstallPath $InstallPath)) { Remove-HcmSite -Site $leftover -InstallPath $InstallPath -Confirm:$false }
        Remove-HcmWatchdog -Confirm:$false
        Remove-HcmSite -Site $installation.Listener.Site -AppPool $installation.Listener.AppPool -InstallPath $InstallPath -Confirm:$false
        if ($RemoveFiles) {
            foreach ($folder in @($InstallPath, $HcmHome)) {
                if ((Test-Path -LiteralPath $folder) -and $PSCmdlet.ShouldProcess($folder, 'Delete folder')) {
                    Remove-Item -LiteralPath $folder -Recurse -Force
                    New-HcmChange -Resource 'Folder' -Name $folder -Action 'Removed'
                }
            }
        }
        return
    }
    Remove-HcmConnectorEntry -Selector $Connector -InstallPath $InstallPath -HcmHome $HcmHome -NodePath $NodePath
}

function Remove-HcmConnectorEntry {
    # One connector: manifest entry first (so the listener stops routing to it), then IIS and its folder.
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param([string] $Selector, [string] $InstallPath, [string] $HcmHome, [string] $NodePath)
    if (-not $PSCmdlet.ShouldProcess($Selector, 'Remove the connector (manifest entry, IIS site, app pool, folder)')) { return }
    $removed = Invoke-HcmCli -InstallPath $InstallPath -Arguments @('remove', $Selector) -HcmHome $HcmHome -NodePath $NodePath -AllowedExitCode @(0, 1)
    if ($null -ne $removed -and $null -ne $removed.removed) {
        New-HcmChange -Resource 'Connector' -Name $removed.removed.connector -Action 'Removed'
        Remove-HcmSite -Site $removed.removed.connector -AppPool $removed.removed.appPool -InstallPath $InstallPath -Confirm:$false
        return
    }
    if ($Selector -match '^[A-Za-z0-9_.-]{1,64}$' -and (Test-HcmConfigElement -Filter (Get-HcmWebSiteFilter -Name $Selector))) {
        Remove-HcmSite -Site $Selector -InstallPath $InstallPath -Confirm:$false
        return
    }
    New-HcmTerminatingError -ErrorId HcmConnectorNotFound -Category ObjectNotFound -TargetObject $Selector -Message "No connector matches '$Selector' in the manifest ($HcmHome) and IIS has no site of that name. List them with: hcm list"
}
