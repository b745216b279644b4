# A site's web.config, rendered from the product's template on every run: the template's settings
# (so an upgrade reaches installed sites) plus the values the installer owns, nothing else. The
# installer owns HCM_HOME and HCM_SITE_NAME (iisnode turns <appSettings> into environment variables)
# and iisnode's nodeProcessCommandLine (the node.exe it checked: iisnode would otherwise run the
# node.exe on the PATH that WAS had when it started, so -NodePath or a fresh Node.js would not reach it).

function ConvertTo-HcmNodeCommandLine {
    # The node.exe path as iisnode's command line: quoted, since it starts with it verbatim (spaces in "Program Files").
    param([Parameter(Mandatory = $true)][string] $NodePath)
    return '"' + $NodePath + '"'
}

function Get-HcmRenderedSiteConfig {
    # The template's text with the installer-owned values written in (XML-escaped by XmlDocument).
    param([Parameter(Mandatory = $true)][string] $TemplatePath, [Parameter(Mandatory = $true)][hashtable] $Settings, [Parameter(Mandatory = $true)][string] $NodePath)
    $document = New-Object System.Xml.XmlDocument
    $document.PreserveWhitespace = $true
    $document.Load($TemplatePath)
    $section = $document.SelectSingleNode('/configuration/appSettings')
    if ($null -eq $section) {
        $section = $document.CreateElement('appSettings')
        [void] $document.DocumentElement.PrependChild($section)
    }
    foreach ($key in @($Settings.Keys | Sort-Object)) {
        $node = @($section.SelectNodes('add') | Where-Object { $_.GetAttribute('key') -eq $key }) | Select-Object -First 1
        if ($null -eq $node) {
            $node = $document.CreateElement('add')
            $node.SetAttribute('key', $key)
            [void] $section.AppendChild($node)
        }
        $node.SetAttribute('value', [string] $Settings[$key])
    }
    $iisnode = $document.SelectSingleNode('/configuration/system.webServer/iisnode')
    if ($null -eq $iisnode) { throw "The template $TemplatePath has no <iisnode> element." }
    $iisnode.SetAttribute('nodeProcessCommandLine', (ConvertTo-HcmNodeCommandLine -NodePath $NodePath))
    $writer = New-Object System.IO.StringWriter
    $document.Save($writer)
    # StringWriter makes the declaration say utf-16; the file is written as UTF-8.
    return ($writer.ToString() -replace '^<\?xml version="1\.0" encoding="utf-16"\?>', '<?xml version="1.0" encoding="utf-8"?>')
}

function Get-HcmSiteConfig {
    <#
    .SYNOPSIS
    Compares a site's web.config with the one rendered from the product's template.
    .PARAMETER ConfigPath
    The site's web.config.
    .PARAMETER TemplatePath
    The template (the product's sites/<template>/web.config).
    .PARAMETER Settings
    The appSettings the installer owns (HCM_HOME, HCM_SITE_NAME).
    .PARAMETER NodePath
    node.exe, written as iisnode's nodeProcessCommandLine.
    .OUTPUTS
    An object: Path, Exists, InState, Wanted (the rendered text).
    .EXAMPLE
    Get-HcmSiteConfig -ConfigPath "$site\web.config" -TemplatePath "$product\sites\MicrosoftSqlConnector\web.config" -Settings @{ HCM_HOME = $home; HCM_SITE_NAME = 'MicrosoftSqlConnector_001' } -NodePath $node
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string] $ConfigPath, [Parameter(Mandatory = $true)][string] $TemplatePath, [Parameter(Mandatory = $true)][hashtable] $Settings, [Parameter(Mandatory = $true)][string] $NodePath)
    $wanted = Get-HcmRenderedSiteConfig -TemplatePath $TemplatePath -Settings $Settings -NodePath $NodePath
    $exists = Test-Path -LiteralPath $ConfigPath -PathType Leaf
    $actual = if ($exists) { [System.IO.File]::ReadAllText($ConfigPath) } else { '' }
    [pscustomobject]@{ Path = $ConfigPath; Exists = $exists; InState = ($actual -ceq $wanted); Wanted = $wanted }
}

function Test-HcmSiteConfig {
    <#
    .SYNOPSIS
    True when the site's web.config is the template with the installer's values.
    .PARAMETER ConfigPath
    The site's web.config.
    .PARAMETER TemplatePath
    The template.
    .PARAMETER Settings
    The appSettings the installer owns.
    .PARAMETER NodePath
    node.exe.
    .EXAMPLE
    Test-HcmSiteConfig -ConfigPath $config -TemplatePath $template -Settings $settings -NodePath $node
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $ConfigPath, [Parameter(Mandatory = $true)][string] $TemplatePath, [Parameter(Mandatory = $true)][hashtable] $Settings, [Parameter(Mandatory = $true)][string] $NodePath)
    return (Get-HcmSiteConfig @PSBoundParameters).InState
}

function Set-HcmSiteConfig {
    <#
    .SYNOPSIS
    Writes the site's web.config from the template with the installer's values; does nothing when it already is.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Everything else in an existing file is replaced by the template's
    (an upgrade's new settings reach installed sites). iisnode recycles node.exe when web.config changes.
    .PARAMETER ConfigPath
    The site's web.config.
    .PARAMETER TemplatePath
    The template.
    .PARAMETER Settings
    The appSettings the installer owns.
    .PARAMETER NodePath
    node.exe.
    .EXAMPLE
    Set-HcmSiteConfig -ConfigPath $config -TemplatePath $template -Settings @{ HCM_HOME = $home; HCM_SITE_NAME = $site } -NodePath $node -WhatIf
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $ConfigPath, [Parameter(Mandatory = $true)][string] $TemplatePath, [Parameter(Mandatory = $true)][hashtable] $Settings, [Parameter(Mandatory = $true)][string] $NodePath)
    $state = Get-HcmSiteConfig @PSBoundParameters
    if ($state.InState) { return New-HcmChange -Resource 'SiteConfig' -Name $ConfigPath -Action 'None' }
    if (-not $PSCmdlet.ShouldProcess($ConfigPath, 'Write web.config from the template (HCM_HOME, HCM_SITE_NAME, nodeProcessCommandLine)')) {
        return New-HcmChange -Resource 'SiteConfig' -Name $ConfigPath -Action 'Updated' -Changes @('web.config') -WhatIf
    }
    [System.IO.File]::WriteAllText($ConfigPath, $state.Wanted, (New-Object System.Text.UTF8Encoding($false)))
    New-HcmChange -Resource 'SiteConfig' -Name $ConfigPath -Action 'Updated' -Changes @('web.config')
}

function Get-HcmSiteNodeDrift {
    # Why iisnode could not start the node.exe a site's web.config names ('' when it can, or the file has none):
    # Node.js was moved or uninstalled after the installer wrote its path.
    param([Parameter(Mandatory = $true)][string] $ConfigPath)
    if (-not (Test-Path -LiteralPath $ConfigPath -PathType Leaf)) { return '' }
    $iisnode = (Read-HcmWebConfig -ConfigPath $ConfigPath).SelectSingleNode('/configuration/system.webServer/iisnode')
    if ($null -eq $iisnode -or -not $iisnode.HasAttribute('nodeProcessCommandLine')) { return '' }
    $commandLine = $iisnode.GetAttribute('nodeProcessCommandLine')
    if ($commandLine -notmatch '^"([^"]+)"$') { return '' }
    if (Test-Path -LiteralPath $Matches[1] -PathType Leaf) { return '' }
    return "web.config runs $commandLine, which does not exist (Node.js moved or removed): iisnode answers 500 until the installer is run again"
}
