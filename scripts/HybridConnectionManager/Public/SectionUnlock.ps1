# Sections a site's web.config uses that a default IIS 10 locks, unlocked for that site only: a
# <location path="<site>" overrideMode="Allow"> in applicationHost.config, written by Get/Test/Set and
# set back to Inherit by the uninstaller and on rollback. Only <handlers> is such a section
# (overrideModeDefault="Deny"; only ASP.NET 4.x's installer unlocks it, server-wide): requiring ASP.NET
# would unlock it for every site on the server, mapping the handler in applicationHost.config would
# move site settings out of the site's web.config. scripts/HybridConnectionManager/Data/iis-facts.json
# holds the facts (a test keeps this list equal to the locked sections the templates use).

$script:SiteUnlockedSections = @('system.webServer/handlers')

function Get-HcmSectionUnlock {
    <#
    .SYNOPSIS
    Reads, for one site, the override mode of each section the product unlocks.
    .PARAMETER Site
    The site's name.
    .OUTPUTS
    One object per section: Site, Section, OverrideMode (Allow, Deny or Inherit), InState.
    .EXAMPLE
    Get-HcmSectionUnlock -Site MicrosoftSqlConnector_001
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site)
    foreach ($section in $script:SiteUnlockedSections) {
        $element = Get-WebConfiguration -PSPath $script:ApplicationHostPath -Location $Site -Filter $section -Metadata
        $mode = 'Inherit'
        if ($null -ne $element -and $null -ne $element.PSObject.Properties['Metadata'] -and $element.Metadata.overrideMode) { $mode = [string] $element.Metadata.overrideMode }
        [pscustomobject]@{ Site = $Site; Section = $section; OverrideMode = $mode; InState = ($mode -eq 'Allow') }
    }
}

function Test-HcmSectionUnlock {
    <#
    .SYNOPSIS
    True when every section the product unlocks is unlocked for the site.
    .PARAMETER Site
    The site's name.
    .EXAMPLE
    Test-HcmSectionUnlock -Site MicrosoftAzureBizTalkHybridListener
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site)
    return (@(Get-HcmSectionUnlock -Site $Site | Where-Object { -not $_.InState }).Count -eq 0)
}

function Set-HcmSectionUnlock {
    <#
    .SYNOPSIS
    Unlocks, for one site only, the sections its web.config needs; does nothing when they already are.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Writes <location path="<Site>" overrideMode="Allow"> for each
    section into applicationHost.config. Returns Action Created (undone on rollback) or None.
    .PARAMETER Site
    The site's name.
    .EXAMPLE
    Set-HcmSectionUnlock -Site MicrosoftSqlConnector_001 -WhatIf
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site)
    $changed = @()
    $whatIf = $false
    foreach ($row in @(Get-HcmSectionUnlock -Site $Site | Where-Object { -not $_.InState })) {
        if ($PSCmdlet.ShouldProcess("applicationHost.config <location path=`"$Site`">", "Unlock $($row.Section) for this site only (overrideMode Allow, was $($row.OverrideMode))")) {
            Set-WebConfiguration -PSPath $script:ApplicationHostPath -Location $Site -Filter $row.Section -Metadata 'overrideMode' -Value 'Allow'
            $changed += $row.Section
        }
        else { $whatIf = $true; $changed += $row.Section }
    }
    if ($changed.Count -eq 0) { return New-HcmChange -Resource 'SectionUnlock' -Name $Site -Action 'None' }
    New-HcmChange -Resource 'SectionUnlock' -Name $Site -Action 'Created' -Changes $changed -WhatIf:$whatIf
}

function Remove-HcmSectionUnlock {
    <#
    .SYNOPSIS
    Sets the sections the product unlocked for a site back to Inherit (the server's default lock).
    .DESCRIPTION
    Supports -WhatIf and -Confirm; does nothing for sections that are not unlocked.
    .PARAMETER Site
    The site's name.
    .EXAMPLE
    Remove-HcmSectionUnlock -Site MicrosoftSqlConnector_002
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string] $Site)
    foreach ($row in @(Get-HcmSectionUnlock -Site $Site | Where-Object { $_.OverrideMode -ne 'Inherit' })) {
        if ($PSCmdlet.ShouldProcess("applicationHost.config <location path=`"$Site`">", "Lock $($row.Section) again (overrideMode Inherit)")) {
            Set-WebConfiguration -PSPath $script:ApplicationHostPath -Location $Site -Filter $row.Section -Metadata 'overrideMode' -Value 'Inherit'
            New-HcmChange -Resource 'SectionUnlock' -Name $Site -Action 'Removed' -Changes @($row.Section)
        }
    }
}
