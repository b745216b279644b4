<#
.SYNOPSIS
Runs the PowerShell test suite (test/scripts/*.Tests.ps1) with Pester 5.9.1 and prints a JSON summary.
.DESCRIPTION
Imports Pester from -PesterPath (default: HCM_PESTER_PATH, else tools/packages/pester/5.9.1, where
npm test restores it: test/tools/tool-table.js), runs every *.Tests.ps1 file of this folder (or -Path), and ends with one line
"HCM_PESTER_RESULT {json}" holding the counts and the failures, which test/scripts/pester.test.ts reads.
The exit code is 0 only when tests ran and none failed.
.PARAMETER PesterPath
Pester.psd1 of version 5.9.1.
.PARAMETER Path
Test files or folders to run (default: this folder).
.EXAMPLE
pwsh -NoProfile -File test/scripts/run-pester.ps1
#>
param(
    [string] $PesterPath = $env:HCM_PESTER_PATH,
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
if (-not $PesterPath) { $PesterPath = Join-Path $PSScriptRoot '../../tools/packages/pester/5.9.1/tools/Pester.psd1' }
if (-not (Test-Path -LiteralPath $PesterPath)) { throw "Pester 5.9.1 was not found at $PesterPath (npm test installs it; or set HCM_PESTER_PATH)." }
Import-Module $PesterPath -Force
$version = (Get-Module Pester).Version
if ($version -ne [version] '5.9.1') { throw "Pester 5.9.1 is required, $PesterPath is $version." }

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $configuration

$summary = [ordered]@{
    pester           = "$version"
    total            = $result.TotalCount
    passed           = $result.PassedCount
    failed           = $result.FailedCount
    skipped          = $result.SkippedCount
    notRun           = $result.NotRunCount
    failedBlocks     = $result.FailedBlocksCount
    failedContainers = $result.FailedContainersCount
    seconds          = [math]::Round($result.Duration.TotalSeconds, 1)
    skips            = @(@($result.Skipped) | ForEach-Object { [ordered]@{ test = $_.ExpandedPath; reason = "$($_.ErrorRecord | Select-Object -First 1)" } })
    failures         = @(
        @($result.Failed) | ForEach-Object { [ordered]@{ test = $_.ExpandedPath; error = (@($_.ErrorRecord) | ForEach-Object { $_.Exception.Message }) -join ' | ' } }
        @($result.FailedBlocks) | ForEach-Object { [ordered]@{ test = "block: $($_.ExpandedPath)"; error = (@($_.ErrorRecord) | ForEach-Object { $_.Exception.Message }) -join ' | ' } }
        @($result.FailedContainers) | ForEach-Object { [ordered]@{ test = "file: $($_.Item)"; error = (@($_.ErrorRecord) | ForEach-Object { $_.Exception.Message }) -join ' | ' } }
    )
}
Write-Output ('HCM_PESTER_RESULT ' + ($summary | ConvertTo-Json -Compress -Depth 6))
if ($result.TotalCount -eq 0 -or $result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0) { exit 1 }
exit 0
