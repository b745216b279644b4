# The installation, step by step: prerequisites, product files, HCM_HOME and its ACL, `hcm setup`,
# then each site by Get/Test/Set, started and verified. A failure undoes what this run created.

function Get-HcmDefaultHome {
    # HCM_HOME, else %ProgramData%\HybridConnectionManager (the same rule as hcm's defaultHome).
    if ($env:HCM_HOME) { return $env:HCM_HOME }
    if ($env:ProgramData) { return (Join-Path $env:ProgramData 'HybridConnectionManager') }
    return (Join-Path $HOME '.hcm')
}

function Get-HcmDefaultInstallPath {
    # The installed copy this module runs from (the uninstall and troubleshooting scripts are run
    # from there), else %ProgramFiles%\HybridConnectionManager.
    if (Test-Path -LiteralPath (Join-Path $script:ProductRoot $script:ProductStampFile)) { return $script:ProductRoot }
    if ($env:ProgramFiles) { return (Join-Path $env:ProgramFiles 'HybridConnectionManager') }
    return (Join-Path $HOME 'HybridConnectionManager')
}

function ConvertTo-HcmSetupArgument {
    # The `hcm setup` command line for the installer's parameters; the string goes on stdin, the password in HCM_SQL_PASSWORD.
    param([Parameter(Mandatory = $true)][hashtable] $Options)
    $arguments = @('setup', '--config-string-stdin')
    $map = [ordered]@{ SqlServer = '--sql-server'; SqlPort = '--sql-port'; SqlInstance = '--sql-instance'; Database = '--database'; DataAvailableQuery = '--data-available-query'; PollDataQuery = '--poll-data-query' }
    foreach ($name in $map.Keys) { if ($Options.ContainsKey($name)) { $arguments += @($map[$name], [string] $Options[$name]) } }
    foreach ($name in @('Tables', 'Procedures')) { if ($Options.ContainsKey($name)) { $arguments += @("--$($name.ToLowerInvariant())", (@($Options[$name]) -join ',')) } }
    if ($Options.ContainsKey('SqlCredential')) { $arguments += @('--user', $Options.SqlCredential.UserName) }
    $switches = [ordered]@{ Encrypt = '--encrypt'; TrustServerCertificate = '--trust-server-certificate'; AllowQuery = '--allow-query' }
    foreach ($name in $switches.Keys) { if ($Options.ContainsKey($name) -and [bool] $Options[$name]) { $arguments += $switches[$name] } }
    return $arguments
}

function Install-HcmSite {
    # One site, converged: its web.config (from the template), <handlers> unlocked for it, its pool,
    # the site, its bindings, started.
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string] $Site, [Parameter(Mandatory = $true)][string] $AppPool, [Parameter(Mandatory = $true)][int] $Port,
        [Parameter(Mandatory = $true)][string] $Folder, [Parameter(Mandatory = $true)][string] $HcmHome,
        [Parameter(Mandatory = $true)][string] $TemplatePath, [Parameter(Mandatory = $true)][string] $NodePath,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][System.Collections.ArrayList] $Journal, [ref] $Step
    )
    $Step.Value = "writing $Site's web.config"
    Set-HcmSiteConfig -ConfigPath (Join-Path $Folder 'web.config') -TemplatePath $TemplatePath -Settings @{ HCM_HOME = $HcmHome; HCM_SITE_NAME = $Site } -NodePath $NodePath
    $Step.Value = "unlocking sections for $Site"
    Add-HcmCreated -Journal $Journal -Change (Set-HcmSectionUnlock -Site $Site)
    $Step.Value = "app pool $AppPool"
    Add-HcmCreated -Journal $Journal -Change (Set-HcmAppPool -Name $AppPool)
    $Step.Value = "site $Site"
    $siteChange = Add-HcmCreated -Journal $Journal -Change (Set-HcmWebSite -Name $Site -AppPool $AppPool -PhysicalPath $Folder -Port $Port)
    $siteChange
    if ($siteChange.WhatIf) { return }
    $Step.Value = "bindings of $Site"
    Set-HcmSiteBinding -Name $Site -Port $Port
    $Step.Value = "starting $Site"
    Start-HcmSite -Site $Site -AppPool $AppPool
}

function Initialize-HcmHome {
    # HCM_HOME and HCM_HOME\logs exist with their ACLs before `hcm setup` writes any secret.
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][AllowEmptyCollection()][System.Collections.ArrayList] $Journal)
    if (-not (Test-Path -LiteralPath $HcmHome)) {
        if ($PSCmdlet.ShouldProcess($HcmHome, 'Create the HCM_HOME folder')) {
            [void] (New-Item -ItemType Directory -Path $HcmHome -Force)
            Add-HcmCreated -Journal $Journal -Change (New-HcmChange -Resource 'HomeFolder' -Name $HcmHome -Action 'Created')
        }
    }
    Set-HcmFolderAcl -Path $HcmHome -Rules $script:HomeAclRules -Protect
    $logs = Join-Path $HcmHome 'logs'
    if (-not (Test-Path -LiteralPath $logs) -and $PSCmdlet.ShouldProcess($logs, 'Create the logs folder')) { [void] (New-Item -ItemType Directory -Path $logs -Force) }
    Set-HcmFolderAcl -Path $logs -Rules $script:LogsAclRules
}
