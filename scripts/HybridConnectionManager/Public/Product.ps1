# The product on disk: the build, production node_modules, the site folders and an hcm.cmd shim in
# -InstallPath, plus one folder per connector copied from the MicrosoftSqlConnector template.
# A stamp (a hash of the source's files) makes a second run with the same build change nothing.

function Get-HcmFileHash {
    param([Parameter(Mandatory = $true)][string] $Path)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $stream = [System.IO.File]::OpenRead($Path)
    try { return [System.BitConverter]::ToString($sha.ComputeHash($stream)).Replace('-', '') }
    finally { $stream.Dispose(); $sha.Dispose() }
}

function Get-HcmTreeFile {
    # Relative paths (with '/') of every file below a folder, sorted. Plain .NET: node_modules has ~10,000 files.
    param([Parameter(Mandatory = $true)][string] $Root)
    if (-not [System.IO.Directory]::Exists($Root)) { return @() }
    $full = [System.IO.Path]::GetFullPath($Root).TrimEnd('\', '/')
    $files = [System.IO.Directory]::GetFiles($full, '*', [System.IO.SearchOption]::AllDirectories)
    $relative = New-Object 'System.Collections.Generic.List[string]' ($files.Length)
    foreach ($file in $files) { $relative.Add($file.Substring($full.Length + 1).Replace('\', '/')) }
    $relative.Sort([System.StringComparer]::Ordinal)
    return $relative.ToArray()
}

function Copy-HcmTree {
    # Copies a folder's files over another's with System.IO only (cmdlets per file would take a
    # minute on node_modules); -KeepExisting lists relative paths ('/'-separated) not to overwrite (an
    # installed site's web.config, which the installer renders from the template afterwards).
    param([Parameter(Mandatory = $true)][string] $Source, [Parameter(Mandatory = $true)][string] $Destination, [string[]] $KeepExisting = @())
    $from = [System.IO.Path]::GetFullPath($Source).TrimEnd('\', '/')
    $to = [System.IO.Path]::GetFullPath($Destination)
    [void] [System.IO.Directory]::CreateDirectory($to)
    foreach ($folder in [System.IO.Directory]::GetDirectories($from, '*', [System.IO.SearchOption]::AllDirectories)) {
        [void] [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($to, $folder.Substring($from.Length + 1)))
    }
    foreach ($file in [System.IO.Directory]::GetFiles($from, '*', [System.IO.SearchOption]::AllDirectories)) {
        $target = [System.IO.Path]::Combine($to, $file.Substring($from.Length + 1))
        if ($KeepExisting.Count -gt 0 -and $KeepExisting -contains $file.Substring($from.Length + 1).Replace('\', '/') -and [System.IO.File]::Exists($target)) { continue }
        [System.IO.File]::Copy($file, $target, $true)
    }
}

function Get-HcmProductionPackage {
    # The top-level node_modules folders npm would install with --omit=dev --omit=optional, read
    # from package-lock.json (v2/v3). The optional ones serve only the development stand-ins
    # (better-sqlite3 for the SQL Server stand-in), which an IIS server never runs.
    param([Parameter(Mandatory = $true)][string] $SourcePath)
    # The root package's key is "" which ConvertFrom-Json cannot hold as a property name: rename it first.
    $text = Get-Content -LiteralPath (Join-Path $SourcePath 'package-lock.json') -Raw
    $lock = ($text -replace '"packages"\s*:\s*\{\s*""\s*:', '"packages": { "(root)":') | ConvertFrom-Json
    foreach ($entry in $lock.packages.PSObject.Properties) {
        if ($entry.Name -notmatch '^node_modules/(@[^/]+/)?[^/]+$') { continue }
        $flags = $entry.Value.PSObject.Properties
        if (($flags['dev'] -and $entry.Value.dev) -or ($flags['optional'] -and $entry.Value.optional) -or ($flags['devOptional'] -and $entry.Value.devOptional)) { continue }
        $entry.Name
    }
}

function Get-HcmShimContent {
    param([Parameter(Mandatory = $true)][string] $NodePath)
    "@echo off`r`nrem hcm: the Hybrid Connection Manager command, installed by Install-HybridConnectionManager.ps1`r`n`"$NodePath`" `"%~dp0bin\hcm.js`" %*`r`n"
}

function Get-HcmProduct {
    <#
    .SYNOPSIS
    Compares the installed product with the product folder the installer runs from.
    .PARAMETER SourcePath
    The product folder (holds dist, bin, sites, node_modules, package-lock.json).
    .PARAMETER InstallPath
    Where the product is installed.
    .PARAMETER NodePath
    node.exe for the hcm.cmd shim.
    .OUTPUTS
    An object: SourcePath, InstallPath, SourceStamp, InstalledStamp, ShimInState, InState.
    .EXAMPLE
    Get-HcmProduct -SourcePath . -InstallPath 'C:\Program Files\HybridConnectionManager' -NodePath 'C:\Program Files\nodejs\node.exe'
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string] $SourcePath, [Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $NodePath)
    $SourcePath = Resolve-HcmFullPath -Path $SourcePath
    $InstallPath = Resolve-HcmFullPath -Path $InstallPath
    $lines = foreach ($folder in $script:ProductFolders) {
        foreach ($relative in (Get-HcmTreeFile -Root (Join-Path $SourcePath $folder))) { "$folder/$($relative):$(Get-HcmFileHash -Path (Join-Path (Join-Path $SourcePath $folder) $relative))" }
    }
    $lines = @($lines) + @($script:ProductFiles | Where-Object { Test-Path -LiteralPath (Join-Path $SourcePath $_) } | ForEach-Object { "$($_):$(Get-HcmFileHash -Path (Join-Path $SourcePath $_))" })
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $sourceStamp = [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes(($lines -join "`n")))).Replace('-', '')
    $sha.Dispose()
    $installedStamp = ''
    $stampFile = Join-Path $InstallPath $script:ProductStampFile
    if (Test-Path -LiteralPath $stampFile) { $installedStamp = [string] (Get-Content -LiteralPath $stampFile -Raw | ConvertFrom-Json).stamp }
    $shim = Join-Path $InstallPath 'hcm.cmd'
    $shimInState = (Test-Path -LiteralPath $shim) -and ((Get-Content -LiteralPath $shim -Raw) -ceq (Get-HcmShimContent -NodePath $NodePath))
    [pscustomobject]@{
        SourcePath = $SourcePath; InstallPath = $InstallPath; SourceStamp = $sourceStamp; InstalledStamp = $installedStamp
        ShimInState = $shimInState; InState = ($sourceStamp -eq $installedStamp -and $shimInState)
    }
}

function Test-HcmProduct {
    <#
    .SYNOPSIS
    True when the installed product is the build of the source folder (and the shim points at NodePath).
    .PARAMETER SourcePath
    The product folder the installer runs from.
    .PARAMETER InstallPath
    Where the product is installed.
    .PARAMETER NodePath
    node.exe for the hcm.cmd shim.
    .EXAMPLE
    Test-HcmProduct -SourcePath $PSScriptRoot\.. -InstallPath 'C:\Program Files\HybridConnectionManager' -NodePath $node
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $SourcePath, [Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $NodePath)
    return (Get-HcmProduct -SourcePath $SourcePath -InstallPath $InstallPath -NodePath $NodePath).InState
}

function Set-HcmProduct {
    <#
    .SYNOPSIS
    Copies the build, production node_modules and site folders to InstallPath and writes hcm.cmd; does nothing when already installed.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. The listener's installed web.config is kept here; the installer
    renders it from the new template next (Set-HcmSiteConfig). Returns Action Created (the folder is
    new), Updated or None.
    .PARAMETER SourcePath
    The product folder the installer runs from; must hold the build (run "npm ci" there first).
    .PARAMETER InstallPath
    Where to install.
    .PARAMETER NodePath
    node.exe for the hcm.cmd shim.
    .EXAMPLE
    Set-HcmProduct -SourcePath $PSScriptRoot\.. -InstallPath 'C:\Program Files\HybridConnectionManager' -NodePath $node
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $SourcePath, [Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $NodePath)
    $SourcePath = Resolve-HcmFullPath -Path $SourcePath
    $InstallPath = Resolve-HcmFullPath -Path $InstallPath
    $required = @('dist/src/cli/main.js', 'bin/hcm.js', 'package-lock.json', "sites/$script:ConnectorTemplate", 'sites/MicrosoftAzureBizTalkHybridListener', 'node_modules')
    $absent = @($required | Where-Object { -not (Test-Path -LiteralPath (Join-Path $SourcePath $_)) })
    if ($absent.Count -gt 0) {
        New-HcmTerminatingError -ErrorId HcmSourceInvalid -Category ObjectNotFound -TargetObject $SourcePath -Message "$SourcePath is not a built product folder ($($absent -join ', ') missing): run 'npm ci' there, then run the installer again."
    }
    $samePlace = $SourcePath.TrimEnd('\', '/') -eq $InstallPath.TrimEnd('\', '/')
    $state = Get-HcmProduct -SourcePath $SourcePath -InstallPath $InstallPath -NodePath $NodePath
    if ($state.InState -or ($samePlace -and $state.ShimInState)) { return New-HcmChange -Resource 'ProductFiles' -Name $InstallPath -Action 'None' }
    $existed = Test-Path -LiteralPath $InstallPath
    $action = if ($existed) { 'Updated' } else { 'Created' }
    if (-not $PSCmdlet.ShouldProcess($InstallPath, "Install the product from $SourcePath")) { return New-HcmChange -Resource 'ProductFiles' -Name $InstallPath -Action $action -WhatIf }
    if (-not $existed) { [void] (New-Item -ItemType Directory -Path $InstallPath -Force) }
    # Run from the installed copy itself (-SourcePath = -InstallPath): only the shim can be out of date.
    if (-not $samePlace -and $state.SourceStamp -ne $state.InstalledStamp) {
        foreach ($folder in $script:ProductFolders) {
            # The listener's installed web.config is rewritten from the template right after (no recycle with template values in between).
            $keep = @()
            if ($folder -eq 'sites') { $keep = @('MicrosoftAzureBizTalkHybridListener/web.config') }
            Copy-HcmTree -Source (Join-Path $SourcePath $folder) -Destination (Join-Path $InstallPath $folder) -KeepExisting $keep
        }
        foreach ($file in $script:ProductFiles) {
            if (Test-Path -LiteralPath (Join-Path $SourcePath $file)) { Copy-Item -LiteralPath (Join-Path $SourcePath $file) -Destination (Join-Path $InstallPath $file) -Force }
        }
        foreach ($package in (Get-HcmProductionPackage -SourcePath $SourcePath)) {
            $from = Join-Path $SourcePath $package
            if (Test-Path -LiteralPath $from) { Copy-HcmTree -Source $from -Destination (Join-Path $InstallPath $package) }
        }
        $stamp = @{ stamp = $state.SourceStamp; source = $SourcePath } | ConvertTo-Json
        Set-Content -LiteralPath (Join-Path $InstallPath $script:ProductStampFile) -Value $stamp -Encoding UTF8
    }
    Set-Content -LiteralPath (Join-Path $InstallPath 'hcm.cmd') -Value (Get-HcmShimContent -NodePath $NodePath) -NoNewline -Encoding ASCII
    New-HcmChange -Resource 'ProductFiles' -Name $InstallPath -Action $action -Changes @('files')
}

function Get-HcmSiteFolder {
    <#
    .SYNOPSIS
    Compares a connector's site folder with the MicrosoftSqlConnector template it is copied from.
    .PARAMETER InstallPath
    The installed product.
    .PARAMETER Site
    The connector site (MicrosoftSqlConnector_nnn).
    .OUTPUTS
    An object: Path, Exists, Differences (template files missing or different; web.config only when missing).
    .EXAMPLE
    Get-HcmSiteFolder -InstallPath $install -Site MicrosoftSqlConnector_001
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site)
    $InstallPath = Resolve-HcmFullPath -Path $InstallPath
    $template = Join-Path (Join-Path $InstallPath 'sites') $script:ConnectorTemplate
    $folder = Join-Path (Join-Path $InstallPath 'sites') $Site
    $differences = @(foreach ($relative in (Get-HcmTreeFile -Root $template)) {
            $copy = Join-Path $folder $relative
            if (-not (Test-Path -LiteralPath $copy)) { $relative; continue }
            if ($relative -eq 'web.config') { continue }
            if ((Get-HcmFileHash -Path $copy) -ne (Get-HcmFileHash -Path (Join-Path $template $relative))) { $relative }
        })
    [pscustomobject]@{ Path = $folder; Exists = (Test-Path -LiteralPath $folder -PathType Container); Differences = $differences }
}

function Test-HcmSiteFolder {
    <#
    .SYNOPSIS
    True when the connector's folder holds the template's files.
    .PARAMETER InstallPath
    The installed product.
    .PARAMETER Site
    The connector site.
    .EXAMPLE
    Test-HcmSiteFolder -InstallPath $install -Site MicrosoftSqlConnector_001
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][string] $Site)
    $folder = Get-HcmSiteFolder -InstallPath $InstallPath -Site $Site
    return ($folder.Exists -and $folder.Differences.Count -eq 0)
}

function Set-HcmSiteFolder {
    <#
    .SYNOPSIS
    Copies the MicrosoftSqlConnector template to the connector's folder; does nothing when it is up to date.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. An existing web.config is kept here; the installer renders it from the template next.
    .PARAMETER InstallPath
    The installed product.
    .PARAMETER Site
    The connector site (MicrosoftSqlConnector_nnn).
    .EXAMPLE
    Set-HcmSiteFolder -InstallPath $install -Site MicrosoftSqlConnector_002
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $InstallPath, [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site)
    $InstallPath = Resolve-HcmFullPath -Path $InstallPath
    $folder = Get-HcmSiteFolder -InstallPath $InstallPath -Site $Site
    if ($folder.Exists -and $folder.Differences.Count -eq 0) { return New-HcmChange -Resource 'SiteFolder' -Name $folder.Path -Action 'None' }
    $action = if ($folder.Exists) { 'Updated' } else { 'Created' }
    if (-not $PSCmdlet.ShouldProcess($folder.Path, "Copy the $script:ConnectorTemplate template")) { return New-HcmChange -Resource 'SiteFolder' -Name $folder.Path -Action $action -WhatIf }
    Copy-HcmTree -Source (Join-Path (Join-Path $InstallPath 'sites') $script:ConnectorTemplate) -Destination $folder.Path -KeepExisting @('web.config')
    New-HcmChange -Resource 'SiteFolder' -Name $folder.Path -Action $action -Changes $folder.Differences
}
