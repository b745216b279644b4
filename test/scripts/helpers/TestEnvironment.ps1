# Shared set-up of the Pester suites: the repository's paths, the stub cmdlets and the module under
# test, throw-away folders, development keys and configuration strings, and product folders for
# the scripts to run the real `hcm` from. Dot-source it in BeforeAll.

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))
$script:ScriptsFolder = Join-Path $script:RepoRoot 'scripts'
$script:ModuleManifest = Join-Path $script:ScriptsFolder 'HybridConnectionManager/HybridConnectionManager.psd1'
$script:ModuleName = 'HybridConnectionManager'

if (-not (Test-Path -LiteralPath (Join-Path $script:RepoRoot 'dist/src/cli/main.js'))) {
    throw "The build is missing ($script:RepoRoot/dist): run 'npm run build' before the PowerShell tests."
}
Import-Module (Join-Path $script:RepoRoot 'test/scripts/stubs/IisWindowsStubs.psm1') -Global -Force
Import-Module (Join-Path $script:RepoRoot 'test/scripts/stubs/ScheduledTaskStubs.psm1') -Global -Force
if (-not (Get-Module -Name $script:ModuleName)) { Import-Module $script:ModuleManifest -Global -Force }

function New-TestFolder {
    # A fresh folder under the temp directory; the suite removes it in AfterAll.
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ('hcm-pester-' + [guid]::NewGuid().ToString('n').Substring(0, 12))
    [void] (New-Item -ItemType Directory -Path $path)
    return (Resolve-Path -LiteralPath $path).ProviderPath
}

function Remove-TestFolder {
    # Symbolic links first (never followed), then the folder.
    param([string] $Path)
    if (-not $Path -or -not (Test-Path -LiteralPath $Path)) { return }
    Get-ChildItem -LiteralPath $Path -Recurse -Force -Attributes ReparsePoint -ErrorAction SilentlyContinue | ForEach-Object { [System.IO.Directory]::Delete($_.FullName) }
    Remove-Item -LiteralPath $Path -Recurse -Force
}

function New-TestKey {
    # A random 32-byte development key, base64 (44 characters), like the ones the Azure portal shows.
    $bytes = New-Object byte[] 32
    [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
    return [Convert]::ToBase64String($bytes)
}

function New-ConfigurationString {
    param([string] $EntityPath = 'sql-orders', [string] $Key = (New-TestKey), [string] $KeyName = 'listen')
    "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=$KeyName;SharedAccessKey=$Key;EntityPath=$EntityPath"
}

function New-ProductSnapshot {
    # A built product folder like a release: the repository's build, sites, scripts and lock file,
    # frozen for the suite (others may rebuild dist meanwhile), and its node_modules by symbolic link.
    # -Package keeps only those entries in the lock file: copying all ~200 MB of production packages
    # takes 10-50 s per install on a busy machine, so the suites install a few (a production, a dev
    # and an optional one, to prove the filter) and let the installed hcm find the rest through
    # NODE_PATH (Enable-TestNodePath).
    param([Parameter(Mandatory = $true)][string] $Destination, [string[]] $Package)
    [void] (New-Item -ItemType Directory -Path $Destination -Force)
    foreach ($folder in @('dist/src', 'bin', 'sites', 'scripts', 'docs')) {
        $from = Join-Path $script:RepoRoot $folder
        if (-not (Test-Path -LiteralPath $from)) { continue }
        $to = Join-Path $Destination $folder
        [void] (New-Item -ItemType Directory -Path (Split-Path $to) -Force)
        Copy-Item -LiteralPath $from -Destination $to -Recurse -Force
    }
    foreach ($file in @('package.json', 'package-lock.json', 'README.md')) { Copy-Item -LiteralPath (Join-Path $script:RepoRoot $file) -Destination $Destination }
    if ($Package) {
        $lock = Get-Content -LiteralPath (Join-Path $Destination 'package-lock.json') -Raw | ConvertFrom-Json -AsHashtable
        $kept = [ordered]@{ '' = $lock.packages[''] }
        foreach ($name in $Package) { $kept["node_modules/$name"] = $lock.packages["node_modules/$name"] }
        $lock.packages = $kept
        $lock | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath (Join-Path $Destination 'package-lock.json')
    }
    [void] (New-Item -ItemType SymbolicLink -Path (Join-Path $Destination 'node_modules') -Target (Join-Path $script:RepoRoot 'node_modules'))
    return $Destination
}

function New-CliInstallation {
    # An installed product as far as `hcm` is concerned: its build and bin, with node_modules found
    # through NODE_PATH (set by the suite), so nothing the uninstall script deletes is a link.
    param([Parameter(Mandatory = $true)][string] $Destination)
    foreach ($folder in @('dist/src', 'bin')) {
        $to = Join-Path $Destination $folder
        [void] (New-Item -ItemType Directory -Path (Split-Path $to) -Force)
        Copy-Item -LiteralPath (Join-Path $script:RepoRoot $folder) -Destination $to -Recurse -Force
    }
    Copy-Item -LiteralPath (Join-Path $script:RepoRoot 'package.json') -Destination $Destination
    [void] (New-Item -ItemType Directory -Path (Join-Path $Destination 'sites/MicrosoftAzureBizTalkHybridListener') -Force)
    return $Destination
}

function Enable-TestNodePath {
    # Lets an installed hcm without (all of) its node_modules load them from the repository's.
    $script:SavedNodePath = $env:NODE_PATH
    $env:NODE_PATH = Join-Path $script:RepoRoot 'node_modules'
}

function Disable-TestNodePath {
    $env:NODE_PATH = $script:SavedNodePath
}

function Invoke-TestHcm {
    # The real CLI of the repository, for arranging and checking the manifest in tests.
    param([Parameter(Mandatory = $true)][string] $HcmHome, [Parameter(Mandatory = $true)][string[]] $Arguments, [string] $InputText)
    $invoke = @{ InstallPath = $script:RepoRoot; HcmHome = $HcmHome; Arguments = $Arguments }
    if ($PSBoundParameters.ContainsKey('InputText')) { $invoke.InputText = $InputText }
    Invoke-HcmCli @invoke
}

function Read-TestManifest {
    param([Parameter(Mandatory = $true)][string] $HcmHome)
    Get-Content -LiteralPath (Join-Path $HcmHome 'hcm.json') -Raw | ConvertFrom-Json
}
