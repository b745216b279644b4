# The bridge to our own CLI: every name, port and manifest change comes from `hcm` (no naming or
# manifest logic is duplicated in PowerShell). The installed product is run as
# `node <InstallPath>\bin\hcm.js …`, which is what the hcm.cmd shim does, without cmd.exe's
# re-parsing of arguments (a '>' or '&' inside a SQL query would otherwise be taken as a redirection).

function Resolve-HcmNodePath {
    <#
    .SYNOPSIS
    Finds node.exe (or node): the path given, else the first one on PATH.
    .PARAMETER NodePath
    A path to node; when empty, PATH is searched.
    .OUTPUTS
    System.String, or nothing when Node.js cannot be found.
    .EXAMPLE
    Resolve-HcmNodePath
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([string] $NodePath)
    if ($NodePath) {
        if (Test-Path -LiteralPath $NodePath -PathType Leaf) { return (Resolve-Path -LiteralPath $NodePath).ProviderPath }
        return $null
    }
    $command = Get-Command -Name node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -ne $command) { return $command.Source }
    return $null
}

function Invoke-HcmCli {
    <#
    .SYNOPSIS
    Runs an hcm command of an installed (or source) product and returns its parsed --json output.
    .DESCRIPTION
    Starts `node <InstallPath>/bin/hcm.js <Arguments> --json --home <HcmHome>` and converts its
    standard output from JSON. A non-zero exit code (other than the ones in -AllowedExitCode) is a
    HcmCliFailed error carrying hcm's own message from standard error; hcm never prints secrets.
    .PARAMETER InstallPath
    The product folder holding bin\hcm.js.
    .PARAMETER Arguments
    The command and its options, e.g. 'setup', '--config-string-stdin'. --json is added.
    .PARAMETER HcmHome
    The manifest folder, passed as --home.
    .PARAMETER InputText
    Text for hcm's standard input (the configuration string, never on the command line).
    .PARAMETER Environment
    Extra environment variables for hcm only (e.g. HCM_SQL_PASSWORD).
    .PARAMETER NodePath
    node.exe to use; default: the one on PATH.
    .PARAMETER AllowedExitCode
    Exit codes that still mean "here is the JSON" (hcm doctor exits 1 when a check fails); with
    no output after such an exit code the result is $null (hcm remove: no such connector).
    .PARAMETER RequireOutput
    Treat an empty standard output as a failure, whatever the exit code.
    .EXAMPLE
    Invoke-HcmCli -InstallPath 'C:\Program Files\HybridConnectionManager' -Arguments 'list' -HcmHome 'C:\ProgramData\HybridConnectionManager'
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string] $InstallPath,
        [Parameter(Mandatory = $true)][string[]] $Arguments,
        [Parameter(Mandatory = $true)][string] $HcmHome,
        [string] $InputText,
        [hashtable] $Environment = @{},
        [string] $NodePath,
        [int[]] $AllowedExitCode = @(0),
        [switch] $RequireOutput
    )
    $node = Resolve-HcmNodePath -NodePath $NodePath
    if (-not $node) {
        New-HcmTerminatingError -ErrorId HcmPrerequisiteMissing -Category ObjectNotFound -Message 'Node.js was not found: install Node.js 20 or later (a supported LTS release) from https://nodejs.org/en/download and run again.'
    }
    $script = Join-Path (Join-Path $InstallPath 'bin') 'hcm.js'
    $argumentList = @($script) + $Arguments + @('--json', '--home', $HcmHome)
    $invoke = @{ FilePath = $node; ArgumentList = $argumentList; Environment = $Environment }
    if ($PSBoundParameters.ContainsKey('InputText')) { $invoke.InputText = $InputText }
    $result = Invoke-HcmProcess @invoke
    $commandName = "hcm $($Arguments[0])"
    $silent = [string]::IsNullOrWhiteSpace($result.StdOut)
    if ($AllowedExitCode -notcontains $result.ExitCode -or ($RequireOutput -and $silent)) {
        $reason = ($result.StdErr.Trim() -split "`r?`n" | Select-Object -First 5) -join ' '
        if (-not $reason) { $reason = 'no message' }
        New-HcmTerminatingError -ErrorId HcmCliFailed -TargetObject $commandName -Message "$commandName failed (exit code $($result.ExitCode)): $reason"
    }
    if ($silent) { return $null }
    try {
        return ($result.StdOut | ConvertFrom-Json)
    }
    catch {
        New-HcmTerminatingError -ErrorId HcmCliFailed -TargetObject $commandName -Exception $_.Exception -Message "$commandName printed something that is not JSON: $($result.StdOut.Trim() -replace '\s+', ' ')"
    }
}

function Get-HcmInstallation {
    <#
    .SYNOPSIS
    What the manifest holds: the listener and every connector (`hcm list --json`), without secrets.
    .PARAMETER InstallPath
    The product folder holding bin\hcm.js.
    .PARAMETER HcmHome
    The manifest folder.
    .PARAMETER NodePath
    node.exe to use; default: the one on PATH.
    .OUTPUTS
    An object with Listener (Site, AppPool, Port) and Connectors (Site, AppPool, Port, HybridConnection, …).
    .EXAMPLE
    (Get-HcmInstallation -InstallPath $install -HcmHome $home).Connectors | Format-Table
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string] $InstallPath,
        [Parameter(Mandatory = $true)][string] $HcmHome,
        [string] $NodePath
    )
    $list = Invoke-HcmCli -InstallPath $InstallPath -Arguments @('list') -HcmHome $HcmHome -NodePath $NodePath
    [pscustomobject]@{
        Listener   = [pscustomobject]@{ Site = $list.listener.site; AppPool = $list.listener.appPool; Port = [int] $list.listener.port }
        Connectors = @($list.connectors | Where-Object { $null -ne $_ } | ForEach-Object {
                [pscustomobject]@{
                    Site = $_.site; AppPool = $_.appPool; Port = [int] $_.port; HybridConnection = $_.hybridConnection
                    Endpoint = $_.endpoint; Database = $_.database; Server = $_.server
                }
            })
    }
}
