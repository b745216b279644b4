# Reading and writing single IIS configuration attributes in applicationHost.config through the
# WebAdministration configuration cmdlets (which also work from PowerShell 7, where the IIS:\ drive
# does not), plus the comparison every Test-* function uses.

function Split-HcmConfigPath {
    # 'processModel/@identityType' -> @{ Element = 'processModel'; Attribute = 'identityType' }
    param([Parameter(Mandatory = $true)][string] $Path)
    $at = $Path.LastIndexOf('@')
    if ($at -lt 0) { throw "Configuration path '$Path' names no attribute (expected '…/@name')." }
    [pscustomobject]@{ Element = $Path.Substring(0, $at).TrimEnd('/'); Attribute = $Path.Substring($at + 1) }
}

function Join-HcmConfigFilter {
    param([Parameter(Mandatory = $true)][string] $ElementFilter, [string] $Element)
    if ([string]::IsNullOrEmpty($Element)) { return $ElementFilter }
    return "$ElementFilter/$Element"
}

function ConvertTo-HcmConfigString {
    # IIS hands back strings for enums, ConfigurationAttribute objects (with .Value) for the rest,
    # and TimeSpan/bool values inside them; compare everything as the string IIS would accept.
    param([AllowNull()] $Value)
    if ($null -ne $Value -and $null -ne $Value.PSObject -and $Value.PSObject.Properties['Value'] -and -not ($Value -is [string])) {
        $Value = $Value.Value
    }
    if ($null -eq $Value) { return '' }
    if ($Value -is [bool]) { if ($Value) { return 'True' } else { return 'False' } }
    if ($Value -is [timespan]) { return $Value.ToString() }
    return [string] $Value
}

function Test-HcmConfigValueEqual {
    # True when the value IIS holds is the wanted one (case-insensitive, as IIS compares enums and
    # booleans; paths on Windows are case-insensitive too), or one of its other spellings.
    param([AllowEmptyString()][string] $Actual, [AllowEmptyString()][string] $Expected, [string[]] $Alternatives = @())
    if ($Actual -eq $Expected) { return $true }
    foreach ($alternative in $Alternatives) { if ($Actual -eq $alternative) { return $true } }
    if ($Expected -match '^\d{2}:\d{2}:\d{2}$') {
        $span = [timespan]::Zero
        if ([timespan]::TryParse($Actual, [ref] $span)) { return $span -eq [timespan]::Parse($Expected) }
    }
    return $false
}

function Get-HcmConfigValue {
    param(
        [Parameter(Mandatory = $true)][string] $ElementFilter,
        [Parameter(Mandatory = $true)][string] $Path
    )
    $parts = Split-HcmConfigPath -Path $Path
    $filter = Join-HcmConfigFilter -ElementFilter $ElementFilter -Element $parts.Element
    $raw = Get-WebConfigurationProperty -PSPath $script:ApplicationHostPath -Filter $filter -Name $parts.Attribute
    ConvertTo-HcmConfigString -Value $raw
}

function Set-HcmConfigValue {
    # Callers decide with ShouldProcess; this only writes.
    param(
        [Parameter(Mandatory = $true)][string] $ElementFilter,
        [Parameter(Mandatory = $true)][string] $Path,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string] $Value
    )
    $parts = Split-HcmConfigPath -Path $Path
    $filter = Join-HcmConfigFilter -ElementFilter $ElementFilter -Element $parts.Element
    Set-WebConfigurationProperty -PSPath $script:ApplicationHostPath -Filter $filter -Name $parts.Attribute -Value $Value
}

function Test-HcmConfigElement {
    # True when applicationHost.config has an element matching the filter (an app pool, a site, a module).
    param([Parameter(Mandatory = $true)][string] $Filter)
    $element = Get-WebConfiguration -PSPath $script:ApplicationHostPath -Filter $Filter
    return ($null -ne $element)
}

function Get-HcmAppPoolFilter {
    param([Parameter(Mandatory = $true)][string] $Name)
    "system.applicationHost/applicationPools/add[@name='$Name']"
}

function Get-HcmWebSiteFilter {
    param([Parameter(Mandatory = $true)][string] $Name)
    "system.applicationHost/sites/site[@name='$Name']"
}

function Compare-HcmProperty {
    # One row per managed property: its name, what IIS holds, what we want, and whether they match.
    param(
        [Parameter(Mandatory = $true)][object[]] $Table,
        [Parameter(Mandatory = $true)][string] $ElementFilter,
        [Parameter(Mandatory = $true)][hashtable] $Desired
    )
    foreach ($property in $Table) {
        $actual = Get-HcmConfigValue -ElementFilter $ElementFilter -Path $property.Path
        $alternatives = @()
        if ($property.PSObject.Properties['Alternatives']) { $alternatives = $property.Alternatives }
        [pscustomobject]@{
            Name     = $property.Name
            Path     = $property.Path
            Actual   = $actual
            Expected = $Desired[$property.Name]
            InState  = Test-HcmConfigValueEqual -Actual $actual -Expected $Desired[$property.Name] -Alternatives $alternatives
        }
    }
}
