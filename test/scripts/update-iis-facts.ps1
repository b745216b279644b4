<#
.SYNOPSIS
Regenerates scripts/HybridConnectionManager/Data/iis-facts.json from ../shared/reference/iis-schema.
.DESCRIPTION
The facts file is derived, never edited by hand: IisFacts.Tests.ps1 re-derives it and fails on any
difference. Run this after changing the derivation or the list of sections the product writes.
.PARAMETER SchemaFolder
The reference folder (default: ../shared/reference/iis-schema next to the repository).
.EXAMPLE
pwsh -NoProfile -File test/scripts/update-iis-facts.ps1
#>
param([string] $SchemaFolder = (Join-Path $PSScriptRoot '../../../shared/reference/iis-schema'))
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'helpers/IisFacts.ps1')
$target = Join-Path $PSScriptRoot '../../scripts/HybridConnectionManager/Data/iis-facts.json'
[void] (New-Item -ItemType Directory -Path (Split-Path $target) -Force)
[System.IO.File]::WriteAllText($target, (ConvertTo-HcmIisFactsJson -Facts (ConvertTo-HcmIisFacts -SchemaFolder $SchemaFolder)) + "`n")
"wrote $target"
