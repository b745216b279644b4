# The HybridConnectionManager module: provisions the Hybrid Connection Manager's sites and app pools
# in IIS, checks an installation and removes it. Private helpers first, then the public functions;
# the manifest (HybridConnectionManager.psd1) lists what is exported.
Set-StrictMode -Version 2.0

# The product folder this module belongs to (scripts/HybridConnectionManager -> product root).
$script:ProductRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot (Join-Path '..' '..')))

foreach ($folder in @('Private', 'Public')) {
    foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' | Sort-Object Name)) {
        . $file.FullName
    }
}
