<#
.SYNOPSIS
Checks a Hybrid Connection Manager installation and says what to fix.

.DESCRIPTION
Runs the troubleshooting list of the original instead of leaving it to a reader:
- the prerequisites (IIS with W3SVC, its PowerShell module, iisnode, URL Rewrite, Application
  Initialization, Node.js 20 or later);
- "hcm doctor": the relay endpoint resolves and is reachable on 443, each connector's SQL Server is
  reachable and accepts the login, each site answers (a connector's root gives 403.14), each
  hybrid connection is Connected;
- what only Windows can check: the IIS role and the WAS and W3SVC services, the listener and
  connector sites and app pools started and configured as installed, recent IIS and WAS errors in
  the System and Application event logs (including a pool stopped by rapid-fail protection), and
  errors in HCM_HOME\logs.
Each check is an object with Name, Passed, Detail and Fix, shown as a table. The exit code is 0
only when every check passes.

.PARAMETER InstallPath
The installed product (default: the installed copy this script is in, else %ProgramFiles%\HybridConnectionManager).

.PARAMETER HcmHome
The folder of the manifest and logs (default HCM_HOME, else %ProgramData%\HybridConnectionManager).

.PARAMETER NodePath
The node.exe to use (default: the one on PATH).

.PARAMETER Hours
How far back to look in the event logs and log files (default 24).

.EXAMPLE
.\Test-HybridConnectionManager.ps1

Prints the checks as a table; exit code 0 when all pass.

.EXAMPLE
.\Test-HybridConnectionManager.ps1 | Where-Object { -not $_.Passed } | Format-List

Shows only what failed, with the whole Detail and Fix.

.OUTPUTS
HybridConnectionManager.Check objects: Name, Passed, Detail, Fix.

.LINK
Install-HybridConnectionManager.ps1
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    [string] $InstallPath,
    [string] $HcmHome,
    [string] $NodePath,
    [ValidateRange(1, 720)][int] $Hours = 24
)
$ErrorActionPreference = 'Stop'
$manifest = Join-Path $PSScriptRoot (Join-Path 'HybridConnectionManager' 'HybridConnectionManager.psd1')
$loaded = Get-Module -Name HybridConnectionManager
if ($null -eq $loaded -or $loaded.Path -ne (Join-Path (Split-Path $manifest) 'HybridConnectionManager.psm1')) { Import-Module $manifest -Force }

$parameters = @{ Hours = $Hours }
foreach ($key in $PSBoundParameters.Keys) { $parameters[$key] = $PSBoundParameters[$key] }
$checks = @(Test-HcmInstallation @parameters)
$checks
if (@($checks | Where-Object { -not $_.Passed }).Count -gt 0) { exit 1 }
exit 0
