<#
.SYNOPSIS
Removes a connector of the Hybrid Connection Manager from IIS, or everything it installed.

.DESCRIPTION
-Connector removes one connector: its entry in HCM_HOME\hcm.json (through "hcm remove", so the
listener drops its relay connection within 2 seconds), its IIS site, its app pool and its folder.
A site name the manifest no longer knows still removes an IIS site of that name, which cleans up
after a failed run.

-All removes every connector as above, connector sites left behind in IIS, and the listener's site
and app pool; add -RemoveFiles to delete the product folder and HCM_HOME (manifest and logs) too.
This is the "cleanup and reinstall" step: run Install-HybridConnectionManager.ps1 again afterwards.

The script asks before removing anything; -Confirm:$false does not ask, -WhatIf only shows.

.PARAMETER Connector
The connector to remove: its site (MicrosoftSqlConnector_001), its number (001) or its hybrid
connection's entity path (sql-orders).

.PARAMETER All
Remove every connector and the listener.

.PARAMETER RemoveFiles
With -All: also delete the product folder (-InstallPath) and HCM_HOME.

.PARAMETER InstallPath
The installed product (default: the installed copy this script is in, else %ProgramFiles%\HybridConnectionManager).

.PARAMETER HcmHome
The folder of the manifest (default HCM_HOME, else %ProgramData%\HybridConnectionManager).

.PARAMETER NodePath
The node.exe to use (default: the one on PATH).

.EXAMPLE
.\Uninstall-HybridConnectionManager.ps1 -Connector MicrosoftSqlConnector_002

Removes connector 002: manifest entry, site, app pool HybridAppPool002 and its folder.

.EXAMPLE
.\Uninstall-HybridConnectionManager.ps1 -All -RemoveFiles -Confirm:$false

Removes everything without asking.

.OUTPUTS
One object per removed thing: Resource, Name, Action.

.LINK
Install-HybridConnectionManager.ps1
#>
#Requires -Version 5.1
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'Connector')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Connector')][ValidateNotNullOrEmpty()][string] $Connector,
    [Parameter(Mandatory = $true, ParameterSetName = 'All')][switch] $All,
    [Parameter(ParameterSetName = 'All')][switch] $RemoveFiles,
    [string] $InstallPath,
    [string] $HcmHome,
    [string] $NodePath
)
$ErrorActionPreference = 'Stop'
$manifest = Join-Path $PSScriptRoot (Join-Path 'HybridConnectionManager' 'HybridConnectionManager.psd1')
$loaded = Get-Module -Name HybridConnectionManager
if ($null -eq $loaded -or $loaded.Path -ne (Join-Path (Split-Path $manifest) 'HybridConnectionManager.psm1')) { Import-Module $manifest -Force }

$parameters = @{}
foreach ($key in $PSBoundParameters.Keys) { $parameters[$key] = $PSBoundParameters[$key] }
Uninstall-HcmConnector @parameters
