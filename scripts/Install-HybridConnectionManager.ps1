<#
.SYNOPSIS
Installs the Hybrid Connection Manager on this IIS server and sets up the SQL connector for a hybrid connection.

.DESCRIPTION
The "Listener Setup" of the Hybrid Connection Manager, for IIS. Run it elevated from the product
folder (after "npm ci" there) with the hybrid connection's Primary Configuration String:

1. checks the prerequisites - IIS with W3SVC running, iisnode, URL Rewrite, Application
   Initialization, Node.js 20 or later - and stops, changing nothing, with what to install and where;
2. installs the product to -InstallPath (the build, production node_modules, the site folders and
   an hcm.cmd shim) and restricts HCM_HOME to administrators and NetworkService;
3. runs "hcm setup --json", which names the connector (MicrosoftSqlConnector_nnn), its app pool
   (HybridAppPoolnnn) and port and records them in HCM_HOME\hcm.json;
4. creates or converges the app pools HybridListenerAppPool and HybridAppPoolnnn (NetworkService,
   No Managed Code, AlwaysRunning, no idle timeout, no periodic recycling, rapid-fail protection on)
   and the sites MicrosoftAzureBizTalkHybridListener and MicrosoftSqlConnector_nnn (loopback
   bindings only, preloadEnabled, HCM_HOME and HCM_SITE_NAME in each site's web.config);
5. starts everything and verifies that http://localhost:<port>/ of the connector answers 403.14
   and that the listener reports the hybrid connection Connected - or says exactly why not.

Running it again with the same string changes nothing. Running it with the Secondary string
switches the key in place (same site, pool and port). When a step fails, what this run created is
removed again and everything else is left as it was. -WhatIf shows every change without making it.
The exit code is 0 when the installation is verified, 1 otherwise.

.PARAMETER ConfigurationString
The hybrid connection's Primary (or Secondary) Configuration String, as the Azure portal shows it:
Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<rule>;SharedAccessKey=<key>;EntityPath=<hybrid connection>
It reaches hcm on its standard input, never on a command line.

.PARAMETER ImportFrom
Instead of -ConfigurationString: an 'hcm export' file from another server. Its connectors are
imported (each with this server's own site number and free port) and installed, making this server
a second listener for the same hybrid connections. Ones this server already has are skipped.
Needs -ImportPassphrase (prompted for when absent).

.PARAMETER ImportPassphrase
The export's passphrase (a SecureString; it reaches hcm on its standard input only).

.PARAMETER Proxy
The HTTP proxy every relay connection goes through (CONNECT), e.g. http://proxy.corp.local:3128.
Stored in the manifest. The machine's WinHTTP proxy (netsh winhttp show proxy) is NOT read: the
listener runs as NetworkService, which sees no user's proxy settings. 'none' removes the setting.

.PARAMETER ProxyCredential
Basic authentication for the proxy; the password reaches hcm in its environment only.

.PARAMETER SqlServer
SQL Server host name (default localhost).

.PARAMETER SqlPort
SQL Server TCP port (default 1433). Not with -SqlInstance.

.PARAMETER SqlInstance
A named SQL Server instance (e.g. SQLEXPRESS) instead of a port.

.PARAMETER Database
The database the connector serves.

.PARAMETER SqlCredential
The SQL login (Get-Credential). The password is passed to hcm in its environment only.

.PARAMETER Tables
Tables the connector may expose (default: all).

.PARAMETER Procedures
Stored procedures the connector may run (default: none).

.PARAMETER DataAvailableQuery
2015 poll trigger: a query returning a row count.

.PARAMETER PollDataQuery
2015 poll trigger: the query returning the rows (give both or neither).

.PARAMETER Encrypt
Encrypt the connection to SQL Server (TLS).

.PARAMETER TrustServerCertificate
Accept SQL Server's certificate without validating it.

.PARAMETER AllowQuery
Enable POST /query (allow-listed statements only).

.PARAMETER InstallPath
Where to install the product (default %ProgramFiles%\HybridConnectionManager).

.PARAMETER HcmHome
The folder of the manifest and logs (default HCM_HOME, else %ProgramData%\HybridConnectionManager).

.PARAMETER SourcePath
The built product folder to install from (default: the folder above this script).

.PARAMETER NodePath
The node.exe to use (default: the one on PATH, which iisnode uses too).

.PARAMETER VerifyTimeoutSeconds
How long to wait for the connector and the listener to answer (default 60; 0 checks once).

.EXAMPLE
.\scripts\Install-HybridConnectionManager.ps1 -ConfigurationString 'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=...;EntityPath=sql-orders' -SqlServer sql01 -Database Orders -SqlCredential (Get-Credential)

Installs the product and the connector for the hybrid connection sql-orders.

.EXAMPLE
.\scripts\Install-HybridConnectionManager.ps1 -ConfigurationString $secondary

Switches the connector of that hybrid connection to the Secondary key; nothing else changes.

.EXAMPLE
.\scripts\Install-HybridConnectionManager.ps1 -ImportFrom \\share\hcm-export.bin -Proxy http://proxy.corp.local:3128 -ProxyCredential (Get-Credential)

A second server: imports the connectors of 'hcm export' from the first (asks for the passphrase),
installs their sites, and sends every relay connection through the proxy with Basic authentication.

.EXAMPLE
.\scripts\Install-HybridConnectionManager.ps1 -ConfigurationString $primary -WhatIf

Shows what would be installed and changed, without changing anything.

.OUTPUTS
An object: Connector, AppPool, Port, HybridConnection, ManifestChanged, Changes, Verified, Checks.

.LINK
Test-HybridConnectionManager.ps1

.LINK
Uninstall-HybridConnectionManager.ps1
#>
#Requires -Version 5.1
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
    [string] $InstallPath,
    [string] $HcmHome,
    [string] $SourcePath,
    [string] $NodePath,
    [ValidateRange(0, 3600)][int] $VerifyTimeoutSeconds = 60
)
$ErrorActionPreference = 'Stop'
$manifest = Join-Path $PSScriptRoot (Join-Path 'HybridConnectionManager' 'HybridConnectionManager.psd1')
$loaded = Get-Module -Name HybridConnectionManager
if ($null -eq $loaded -or $loaded.Path -ne (Join-Path (Split-Path $manifest) 'HybridConnectionManager.psm1')) { Import-Module $manifest -Force }

$parameters = @{}
foreach ($key in $PSBoundParameters.Keys) { $parameters[$key] = $PSBoundParameters[$key] }
if (-not $parameters.ContainsKey('VerifyTimeoutSeconds')) { $parameters.VerifyTimeoutSeconds = $VerifyTimeoutSeconds }
$result = Install-HcmConnector @parameters
$result
if ($result.Verified -eq $false) { exit 1 }
exit 0
