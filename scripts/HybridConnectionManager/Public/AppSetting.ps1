# The <appSettings> of a site's own web.config: iisnode passes each key to node.exe as an
# environment variable, which is how a site learns HCM_HOME and its own name (HCM_SITE_NAME).
# Only the keys given are managed; every other setting and element of the file is left as it is.

function Read-HcmWebConfig {
    param([Parameter(Mandatory = $true)][string] $ConfigPath)
    $document = New-Object System.Xml.XmlDocument
    $document.PreserveWhitespace = $true
    $document.Load($ConfigPath)
    return $document
}

function Get-HcmAppSetting {
    <#
    .SYNOPSIS
    Reads the <appSettings> of a web.config.
    .PARAMETER ConfigPath
    The web.config file.
    .OUTPUTS
    A hashtable key -> value (empty when the file or the section does not exist).
    .EXAMPLE
    (Get-HcmAppSetting -ConfigPath "$site\web.config").HCM_SITE_NAME
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory = $true)][string] $ConfigPath)
    $settings = @{}
    if (-not (Test-Path -LiteralPath $ConfigPath -PathType Leaf)) { return $settings }
    $document = Read-HcmWebConfig -ConfigPath $ConfigPath
    foreach ($node in @($document.SelectNodes('/configuration/appSettings/add'))) {
        $settings[$node.GetAttribute('key')] = $node.GetAttribute('value')
    }
    return $settings
}

function Test-HcmAppSetting {
    <#
    .SYNOPSIS
    True when every given key has the given value in the web.config's <appSettings>.
    .PARAMETER ConfigPath
    The web.config file.
    .PARAMETER Settings
    The wanted key -> value pairs.
    .EXAMPLE
    Test-HcmAppSetting -ConfigPath "$site\web.config" -Settings @{ HCM_HOME = 'C:\ProgramData\HybridConnectionManager' }
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $ConfigPath, [Parameter(Mandatory = $true)][hashtable] $Settings)
    $actual = Get-HcmAppSetting -ConfigPath $ConfigPath
    foreach ($key in $Settings.Keys) {
        if (-not $actual.ContainsKey($key) -or $actual[$key] -cne [string] $Settings[$key]) { return $false }
    }
    return $true
}

function Set-HcmAppSetting {
    <#
    .SYNOPSIS
    Writes the given keys into the web.config's <appSettings>; does nothing when they already match.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Adds missing keys, updates changed values and keeps everything
    else in the file. Creates a minimal web.config when the folder has none.
    .PARAMETER ConfigPath
    The web.config file.
    .PARAMETER Settings
    The wanted key -> value pairs.
    .EXAMPLE
    Set-HcmAppSetting -ConfigPath "$site\web.config" -Settings @{ HCM_SITE_NAME = 'MicrosoftSqlConnector_001' }
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $ConfigPath, [Parameter(Mandatory = $true)][hashtable] $Settings)
    if (Test-HcmAppSetting -ConfigPath $ConfigPath -Settings $Settings) {
        return New-HcmChange -Resource 'AppSetting' -Name $ConfigPath -Action 'None'
    }
    $keys = @($Settings.Keys | Sort-Object)
    if (-not $PSCmdlet.ShouldProcess($ConfigPath, "Set appSettings $($keys -join ', ')")) {
        return New-HcmChange -Resource 'AppSetting' -Name $ConfigPath -Action 'Updated' -Changes $keys -WhatIf
    }
    if (-not (Test-Path -LiteralPath $ConfigPath -PathType Leaf)) {
        Set-Content -LiteralPath $ConfigPath -Value "<?xml version=`"1.0`" encoding=`"utf-8`"?>`r`n<configuration>`r`n</configuration>`r`n" -Encoding UTF8
    }
    $document = Read-HcmWebConfig -ConfigPath $ConfigPath
    $section = $document.SelectSingleNode('/configuration/appSettings')
    if ($null -eq $section) {
        $section = $document.CreateElement('appSettings')
        [void] $document.DocumentElement.PrependChild($section)
    }
    $changed = @()
    foreach ($key in $keys) {
        $value = [string] $Settings[$key]
        $node = @($section.SelectNodes('add') | Where-Object { $_.GetAttribute('key') -eq $key }) | Select-Object -First 1
        if ($null -eq $node) {
            $node = $document.CreateElement('add')
            $node.SetAttribute('key', $key)
            [void] $section.AppendChild($node)
        }
        elseif ($node.GetAttribute('value') -ceq $value) { continue }
        $node.SetAttribute('value', $value)
        $changed += $key
    }
    $document.Save($ConfigPath)
    New-HcmChange -Resource 'AppSetting' -Name $ConfigPath -Action 'Updated' -Changes $changed
}
