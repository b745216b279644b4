# Install-HcmConnector: the whole "Listener Setup" of the original, for IIS.

function Install-HcmConnector {
    <#
    .SYNOPSIS
    Installs the Hybrid Connection Manager on IIS and sets up (or updates) the SQL connector for a configuration string.
    .DESCRIPTION
    1. Checks the prerequisites (IIS with W3SVC running, iisnode, URL Rewrite, Application
       Initialization, Node.js 20+) and stops with what to install and where, changing nothing.
    2. Installs the product to InstallPath (build, production node_modules, sites, hcm.cmd) and
       restricts HCM_HOME to administrators and NetworkService before any secret is written.
    3. Runs `hcm setup --json`, which names the connector, its app pool and port and writes the manifest.
    4. Converges, each by Get/Test/Set, the listener and connector app pools and sites (loopback
       bindings, preloadEnabled, each site's web.config rendered from the product's template with
       HCM_HOME, HCM_SITE_NAME and the node.exe path, <handlers> unlocked for each site only), the
       listener watchdog scheduled task, and starts them.
    5. Verifies that the connector's root answers 403.14 and the listener reports Connected, or
       says exactly why not (warnings, and Verified = $false in the result).
    Running it again with the same string changes nothing; the Secondary string switches the key in
    place. When a step fails, what this run created is removed again and the rest is left as it was.
    .PARAMETER ConfigurationString
    The hybrid connection's Primary (or Secondary) Configuration String from the Azure portal.
    .PARAMETER ImportFrom
    Instead of ConfigurationString: an 'hcm export' file; its connectors are imported (already
    present ones skipped) and installed, each with this server's own site number and free port.
    .PARAMETER ImportPassphrase
    The export's passphrase; reaches hcm on its standard input only.
    .PARAMETER Proxy
    HTTP proxy (CONNECT) for every relay connection, stored in the manifest; 'none' removes it.
    The machine's WinHTTP proxy is not read (NetworkService sees no user's proxy settings).
    .PARAMETER ProxyCredential
    Basic authentication for the proxy; the password reaches hcm in its environment only.
    .PARAMETER SqlServer
    SQL Server host name (default localhost).
    .PARAMETER SqlPort
    SQL Server TCP port (default 1433).
    .PARAMETER SqlInstance
    Named instance instead of a port.
    .PARAMETER Database
    Database name.
    .PARAMETER SqlCredential
    SQL login; the password reaches hcm through its environment only, never a command line.
    .PARAMETER Tables
    Allowed tables (default: all).
    .PARAMETER Procedures
    Allowed stored procedures (default: none).
    .PARAMETER DataAvailableQuery
    2015 poll trigger: a query returning a row count.
    .PARAMETER PollDataQuery
    2015 poll trigger: the query returning the rows.
    .PARAMETER Encrypt
    Encrypt the connection to SQL Server.
    .PARAMETER TrustServerCertificate
    Accept SQL Server's certificate without validation.
    .PARAMETER AllowQuery
    Enable POST /query (allow-listed statements only).
    .PARAMETER InstallPath
    Where the product goes (default %ProgramFiles%\HybridConnectionManager).
    .PARAMETER HcmHome
    The manifest folder (default HCM_HOME, else %ProgramData%\HybridConnectionManager).
    .PARAMETER SourcePath
    The built product folder to install from (default: the folder this module was loaded from).
    .PARAMETER NodePath
    node.exe (default: the one on PATH).
    .PARAMETER VerifyTimeoutSeconds
    How long to wait for the connector and the listener to answer (default 60).
    .OUTPUTS
    An object: Connector, AppPool, Port, HybridConnection, ManifestChanged, Changes, Verified, Checks.
    .EXAMPLE
    Install-HcmConnector -ConfigurationString $primary -SqlServer sql01 -Database Orders -SqlCredential (Get-Credential)
    #>
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Port')]
    param(
        [ValidateNotNullOrEmpty()][string] $ConfigurationString,
        [ValidateNotNullOrEmpty()][string] $ImportFrom,
        [securestring] $ImportPassphrase,
        [ValidateNotNullOrEmpty()][string] $Proxy,
        [System.Management.Automation.PSCredential] $ProxyCredential,
        [string] $SqlServer,
        [Parameter(ParameterSetName = 'Port')][ValidateRange(1, 65535)][int] $SqlPort,
        [Parameter(ParameterSetName = 'Instance')][string] $SqlInstance,
        [string] $Database,
        [System.Management.Automation.PSCredential] $SqlCredential,
        [string[]] $Tables,
        [string[]] $Procedures,
        [string] $DataAvailableQuery,
        [string] $PollDataQuery,
        [switch] $Encrypt,
        [switch] $TrustServerCertificate,
        [switch] $AllowQuery,
        [string] $InstallPath = (Get-HcmDefaultInstallPath),
        [string] $HcmHome = (Get-HcmDefaultHome),
        [string] $SourcePath = $script:ProductRoot,
        [string] $NodePath,
        [ValidateRange(0, 3600)][int] $VerifyTimeoutSeconds = 60
    )
    if ([string]::IsNullOrEmpty($ConfigurationString) -eq [string]::IsNullOrEmpty($ImportFrom)) {
        New-HcmTerminatingError -ErrorId HcmInvalidArgument -Category InvalidArgument -Message 'Give exactly one of -ConfigurationString or -ImportFrom.'
    }
    if ($ImportFrom -and -not $ImportPassphrase) { $ImportPassphrase = Read-Host -AsSecureString -Prompt "Passphrase of $ImportFrom" }
    [void] (Assert-HcmPrerequisite -NodePath $NodePath)
    $node = Resolve-HcmNodePath -NodePath $NodePath
    $InstallPath = (Resolve-HcmFullPath -Path $InstallPath)
    $HcmHome = (Resolve-HcmFullPath -Path $HcmHome)
    $SourcePath = (Resolve-HcmFullPath -Path $SourcePath)
    $journal = New-Object System.Collections.ArrayList
    $changes = New-Object System.Collections.ArrayList
    $context = @{ CliPath = $InstallPath; HcmHome = $HcmHome; NodePath = $node; SourcePath = $SourcePath }
    $step = 'product files'
    $setup = $null
    try {
        [void] $changes.Add((Add-HcmCreated -Journal $journal -Change (Set-HcmProduct -SourcePath $SourcePath -InstallPath $InstallPath -NodePath $node)))
        # A dry run before the first install asks the hcm of the folder it would install from.
        if (-not (Test-Path -LiteralPath (Join-Path (Join-Path $InstallPath 'bin') 'hcm.js'))) { $context.CliPath = $SourcePath }
        $step = 'HCM_HOME and its access rules'
        foreach ($change in @(Initialize-HcmHome -HcmHome $HcmHome -Journal $journal)) { [void] $changes.Add($change) }
        $step = 'hcm setup'
        $before = Get-HcmInstallation -InstallPath $context.CliPath -HcmHome $HcmHome -NodePath $node
        $options = @{}
        foreach ($key in $PSBoundParameters.Keys) { $options[$key] = $PSBoundParameters[$key] }
        # One connector from setup; with -ImportFrom, every connector the file brought (maybe none).
        $setups = @(Invoke-HcmSetup -Options $options -Context $context -Before $before -Journal $journal | Where-Object { $null -ne $_ })
        $setup = $setups | Select-Object -First 1
        $listener = $before.Listener
        $sites = Join-Path $InstallPath 'sites'
        $templates = Join-Path $SourcePath 'sites'
        $siteChanges = Install-HcmSite -Site $listener.Site -AppPool $listener.AppPool -Port $listener.Port -Folder (Join-Path $sites $listener.Site) -HcmHome $HcmHome -TemplatePath (Join-Path (Join-Path $templates $listener.Site) 'web.config') -NodePath $node -Journal $journal -Step ([ref] $step)
        foreach ($change in @($siteChanges)) { [void] $changes.Add($change) }
        $step = 'listener watchdog'
        [void] $changes.Add((Add-HcmCreated -Journal $journal -Change (Set-HcmWatchdog -InstallPath $InstallPath -HcmHome $HcmHome -Port $listener.Port)))
        foreach ($one in $setups) {
            $step = "folder of $($one.connector)"
            [void] $changes.Add((Add-HcmCreated -Journal $journal -Change (Set-HcmSiteFolder -InstallPath $InstallPath -Site $one.connector)))
            $siteChanges = Install-HcmSite -Site $one.connector -AppPool $one.appPool -Port ([int] $one.port) -Folder (Join-Path $sites $one.connector) -HcmHome $HcmHome -TemplatePath (Join-Path (Join-Path $templates $script:ConnectorTemplate) 'web.config') -NodePath $node -Journal $journal -Step ([ref] $step)
            foreach ($change in @($siteChanges)) { [void] $changes.Add($change) }
        }
        if ($setups.Count -eq 0) {
            [void] $PSCmdlet.ShouldProcess('MicrosoftSqlConnector_nnn / HybridAppPoolnnn', 'Create or update the connector site and app pool that hcm setup names')
        }
    }
    catch {
        $failure = $_
        $undone = @(Undo-HcmCreated -Journal $journal -Context $context)
        $summary = if ($undone.Count -gt 0) { "Undone: $($undone -join '; ')." } else { 'Nothing had been created, so nothing was undone.' }
        New-HcmTerminatingError -ErrorId HcmInstallFailed -TargetObject $step -Exception $failure.Exception -Message "Installing failed at step '$step': $($failure.Exception.Message) $summary Everything that existed before this run was left as it was."
    }
    Complete-HcmInstall -Setup $setup -Listener $listener -Changes $changes -TimeoutSeconds $VerifyTimeoutSeconds
}

function Invoke-HcmSetup {
    # `hcm setup --json` with the installer's options: the string on stdin, the password in the
    # child's environment; or, with ImportFrom, `hcm import --skip-existing --json` with the
    # passphrase on stdin. A Proxy is set first (`hcm setup --proxy`, its password in the
    # environment). Journals each new connector. Returns hcm's JSON per connector ($null with -WhatIf).
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([hashtable] $Options, [hashtable] $Context, $Before, [AllowEmptyCollection()][System.Collections.ArrayList] $Journal)
    if (-not $PSCmdlet.ShouldProcess($Context.HcmHome, 'Run hcm setup or hcm import (add or update connectors in the manifest)')) { return $null }
    $cli = @{ InstallPath = $Context.CliPath; HcmHome = $Context.HcmHome; NodePath = $Context.NodePath }
    if ($Options.ContainsKey('Proxy')) {
        $proxy = ConvertTo-HcmProxyArgument -Proxy $Options.Proxy -Credential $Options.ProxyCredential
        [void] (Invoke-HcmCli @cli -Arguments @('setup', '--proxy', $proxy.Url) -Environment $proxy.Environment)
    }
    if ($Options.ContainsKey('ImportFrom')) {
        $passphrase = [System.Net.NetworkCredential]::new('', $Options.ImportPassphrase).Password
        $import = Invoke-HcmCli @cli -Arguments @('import', (Resolve-HcmFullPath -Path $Options.ImportFrom), '--skip-existing') -InputText $passphrase
        foreach ($skipped in @($import.skipped)) { Write-Warning "Skipped $skipped`: this server already serves it (left as it was)." }
        $results = @($import.imported)
    }
    else {
        $environment = @{}
        if ($Options.ContainsKey('SqlCredential')) { $environment.HCM_SQL_PASSWORD = $Options.SqlCredential.GetNetworkCredential().Password }
        $results = @(Invoke-HcmCli @cli -Arguments (ConvertTo-HcmSetupArgument -Options $Options) -InputText $Options.ConfigurationString -Environment $environment)
    }
    foreach ($result in $results) {
        if (@($Before.Connectors | Where-Object { $_.Site -eq $result.connector }).Count -eq 0) {
            [void] (Add-HcmCreated -Journal $Journal -Change (New-HcmChange -Resource 'Connector' -Name $result.connector -Action 'Created'))
        }
    }
    return $results
}

function ConvertTo-HcmProxyArgument {
    # The proxy URL for `hcm setup --proxy` without any password (user name only), and the password
    # for hcm's environment: from -ProxyCredential, else from user:pass@ in the URL.
    param([Parameter(Mandatory = $true)][string] $Proxy, [System.Management.Automation.PSCredential] $Credential)
    if ($Proxy -match '^(none|off|direct)$') { return @{ Url = $Proxy; Environment = @{} } }
    $text = if ($Proxy -match '^[a-zA-Z][a-zA-Z0-9+.-]*://') { $Proxy } else { "http://$Proxy" }
    $uri = $null
    if (-not [Uri]::TryCreate($text, [UriKind]::Absolute, [ref] $uri)) {
        New-HcmTerminatingError -ErrorId HcmInvalidArgument -Category InvalidArgument -Message 'The -Proxy value is not a URL; give http://host:port.'
    }
    $user = $null; $password = $null
    if ($uri.UserInfo) {
        $parts = $uri.UserInfo.Split(':', 2)
        $user = [Uri]::UnescapeDataString($parts[0])
        if ($parts.Count -gt 1) { $password = [Uri]::UnescapeDataString($parts[1]) }
    }
    if ($Credential) { $user = $Credential.UserName; $password = $Credential.GetNetworkCredential().Password }
    $authority = if ($user) { "$([Uri]::EscapeDataString($user))@$($uri.Authority)" } else { $uri.Authority }
    $environment = @{}
    if ($null -ne $password) { $environment.HCM_PROXY_PASSWORD = $password }
    return @{ Url = "$($uri.Scheme)://$authority"; Environment = $environment }
}

function Complete-HcmInstall {
    # Verifies a real (not -WhatIf) run and returns the result object.
    param($Setup, $Listener, [System.Collections.ArrayList] $Changes, [int] $TimeoutSeconds)
    $checks = @()
    $verified = $null
    if ($null -ne $Setup) {
        $checks = @(Wait-HcmConnectorReady -Connector $Setup.connector -ConnectorPort ([int] $Setup.port) -ListenerPort $Listener.Port -HybridConnection $Setup.hybridConnection -TimeoutSeconds $TimeoutSeconds)
        $verified = (@($checks | Where-Object { -not $_.Passed }).Count -eq 0)
        foreach ($check in @($checks | Where-Object { -not $_.Passed })) { Write-Warning "$($check.Name): $($check.Detail). $($check.Fix)" }
    }
    $result = [pscustomobject]@{
        Connector        = $(if ($Setup) { $Setup.connector } else { $null })
        AppPool          = $(if ($Setup) { $Setup.appPool } else { $null })
        Port             = $(if ($Setup) { [int] $Setup.port } else { $null })
        HybridConnection = $(if ($Setup) { $Setup.hybridConnection } else { $null })
        ManifestChanged  = $(if ($Setup) { [bool] $Setup.changed } else { $false })
        Changes          = @($Changes | Where-Object { $null -ne $_ -and $_.Action -ne 'None' })
        Verified         = $verified
        Checks           = $checks
    }
    $result.PSObject.TypeNames.Insert(0, 'HybridConnectionManager.InstallResult')
    return $result
}
