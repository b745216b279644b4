# IIS's configuration checks for the strict fake IIS, driven by the project's facts file
# (scripts/HybridConnectionManager/Data/iis-facts.json, derived from IIS's own schema files): a
# web.config section the server locks, a section used below its allowed level, an unknown element or
# attribute, a value of the wrong type and a duplicate collection key each give what IIS gives,
# 500.19 with its HRESULT. Global functions (Pester mock bodies run in the module's scope).

$global:HcmIisFactsPath = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../scripts/HybridConnectionManager/Data/iis-facts.json'))
$global:HcmIisFacts = Get-Content -LiteralPath $global:HcmIisFactsPath -Raw | ConvertFrom-Json
# HRESULTs IIS shows on its 500.19 page: ERROR_LOCK_VIOLATION for a locked section or attribute (and a
# section used below its allowDefinition level), ERROR_INVALID_DATA for what the schema does not
# know or a value it cannot parse, ERROR_ALREADY_EXISTS for a duplicate collection key.
$global:HcmIisLocked = '0x80070021'
$global:HcmIisInvalid = '0x8007000d'
$global:HcmIisDuplicate = '0x800700b7'
# Attributes IIS's configuration system accepts on any element (locking metadata, xmlns).
$global:HcmIisMetaAttributes = @('lockAttributes', 'lockAllAttributesExcept', 'lockElements', 'lockAllElementsExcept', 'lockItem', 'xmlns', 'configSource')

function global:Get-HcmIisSectionFact {
    param([string] $Name)
    $property = $global:HcmIisFacts.sections.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function global:New-HcmIisConfigError {
    param([string] $HResult, [string] $Message, [string] $File)
    [pscustomobject]@{ HResult = $HResult; Message = $Message; File = $File }
}

function global:Test-HcmIisValue {
    # True when IIS can parse the text as the attribute's type.
    param($Attribute, [string] $Text)
    switch ([string] $Attribute.type) {
        'bool' { return ($Text -eq 'true' -or $Text -eq 'false') }
        { $_ -in @('uint', 'int', 'int64') } { $number = 0L; return ([long]::TryParse($Text, [ref] $number) -and ($_ -ne 'uint' -or $number -ge 0)) }
        'enum' { return (@($Attribute.values) -contains $Text) }
        'flags' { return (@($Text -split ',' | ForEach-Object { $_.Trim() } | Where-Object { @($Attribute.values) -notcontains $_ }).Count -eq 0) }
        'timeSpan' { $span = [timespan]::Zero; return [timespan]::TryParse($Text, [ref] $span) }
        default { return $true }
    }
}

function global:Test-HcmIisNode {
    # Checks one element against its schema node; returns errors. $Path names it in messages.
    param([System.Xml.XmlElement] $Element, $Schema, [string] $Path, [string[]] $LockedAttributes = @(), [string] $File, [hashtable] $InheritedKeys = @{})
    $known = @($Schema.attributes.PSObject.Properties | ForEach-Object Name)
    foreach ($attribute in @($Element.Attributes)) {
        if ($global:HcmIisMetaAttributes -contains $attribute.LocalName -or $attribute.Prefix -eq 'xmlns') { continue }
        if ($known -notcontains $attribute.LocalName) { New-HcmIisConfigError $global:HcmIisInvalid "Unrecognized attribute '$($attribute.LocalName)' on $Path. Note that attribute names are case-sensitive." $File; continue }
        if ($LockedAttributes -contains $attribute.LocalName) { New-HcmIisConfigError $global:HcmIisLocked "Lock violation: the attribute '$($attribute.LocalName)' of $Path is locked in applicationHost.config." $File; continue }
        $fact = $Schema.attributes.PSObject.Properties[$attribute.LocalName].Value
        if (-not (Test-HcmIisValue -Attribute $fact -Text $attribute.Value)) { New-HcmIisConfigError $global:HcmIisInvalid "The value '$($attribute.Value)' of $Path@$($attribute.LocalName) is not a valid $($fact.type)$(if ($fact.PSObject.Properties['values']) { ' (one of ' + (@($fact.values) -join ', ') + ')' })." $File }
    }
    $collection = if ($Schema.PSObject.Properties['collection']) { $Schema.collection } else { $null }
    $elements = if ($Schema.PSObject.Properties['elements']) { $Schema.elements } else { $null }
    $keys = @{}
    foreach ($key in $InheritedKeys.Keys) { $keys[$key] = $true }
    foreach ($child in @($Element.ChildNodes | Where-Object { $_ -is [System.Xml.XmlElement] })) {
        $name = $child.LocalName
        if ($null -ne $collection -and $name -eq $collection.add) {
            $keyNames = @($collection.item.attributes.PSObject.Properties | Where-Object { $_.Value.PSObject.Properties['key'] } | ForEach-Object Name)
            foreach ($required in @($collection.item.attributes.PSObject.Properties | Where-Object { $_.Value.PSObject.Properties['required'] } | ForEach-Object Name)) {
                if (-not $child.HasAttribute($required)) { New-HcmIisConfigError $global:HcmIisInvalid "Missing required attribute '$required' on $Path/$name." $File }
            }
            if (-not ($collection.PSObject.Properties['anyAttribute'])) { Test-HcmIisNode -Element $child -Schema $collection.item -Path "$Path/$name" -File $File }
            if ($keyNames.Count -gt 0) {
                $key = (@($keyNames | ForEach-Object { $child.GetAttribute($_) }) -join '|').ToLowerInvariant()
                if ($keys.ContainsKey($key)) { New-HcmIisConfigError $global:HcmIisDuplicate "Cannot add duplicate collection entry of type '$name' with unique key attribute '$($keyNames -join ', ')' set to '$($key)' ($Path)." $File }
                $keys[$key] = $true
            }
        }
        elseif ($null -ne $collection -and $collection.PSObject.Properties['remove'] -and $name -eq $collection.remove) {
            $keyNames = @($collection.item.attributes.PSObject.Properties | Where-Object { $_.Value.PSObject.Properties['key'] } | ForEach-Object Name)
            $keys.Remove((@($keyNames | ForEach-Object { $child.GetAttribute($_) }) -join '|').ToLowerInvariant())
        }
        elseif ($null -ne $collection -and $collection.PSObject.Properties['clear'] -and $name -eq $collection.clear) { $keys.Clear() }
        elseif ($null -ne $elements -and $elements.PSObject.Properties[$name]) {
            Test-HcmIisNode -Element $child -Schema $elements.PSObject.Properties[$name].Value -Path "$Path/$name" -File $File
        }
        else { New-HcmIisConfigError $global:HcmIisInvalid "Unrecognized element '$name' in $Path." $File }
    }
}

function global:Get-HcmIisConfigSection {
    # The sections of a web.config document: name -> XmlElement (walks section groups by the facts' names).
    param([System.Xml.XmlElement] $Element, [string] $Prefix = '')
    foreach ($child in @($Element.ChildNodes | Where-Object { $_ -is [System.Xml.XmlElement] })) {
        $name = if ($Prefix) { "$Prefix/$($child.LocalName)" } else { $child.LocalName }
        if ($null -ne (Get-HcmIisSectionFact -Name $name)) { [pscustomobject]@{ Name = $name; Element = $child }; continue }
        $isGroup = @($global:HcmIisFacts.sections.PSObject.Properties.Name | Where-Object { $_.StartsWith("$name/") }).Count -gt 0
        if ($isGroup) { Get-HcmIisConfigSection -Element $child -Prefix $name }
        else { [pscustomobject]@{ Name = $name; Element = $child } }
    }
}

function global:Test-HcmIisWebConfig {
    <#
    .SYNOPSIS
    What IIS 10 (the README's prerequisites, nothing else) says about a web.config: one error per problem, none when it would load.
    .PARAMETER Path
    The web.config file.
    .PARAMETER AtApplicationRoot
    The file is at an application's root (MachineToApplication sections are legal there only).
    .PARAMETER UnlockedSections
    Sections unlocked for this site by a <location path="site" overrideMode="Allow"> in applicationHost.config.
    .PARAMETER InheritedKeys
    Section name -> hashtable of collection keys already added by parent web.config files (merging).
    #>
    param([Parameter(Mandatory = $true)][string] $Path, [switch] $AtApplicationRoot, [string[]] $UnlockedSections = @(), [hashtable] $InheritedKeys = @{})
    $document = New-Object System.Xml.XmlDocument
    try { $document.Load($Path) } catch { return New-HcmIisConfigError $global:HcmIisInvalid "Configuration file is not well-formed XML: $($_.Exception.Message)" $Path }
    foreach ($section in @(Get-HcmIisConfigSection -Element $document.DocumentElement)) {
        $fact = Get-HcmIisSectionFact -Name $section.Name
        if ($null -eq $fact) { New-HcmIisConfigError $global:HcmIisInvalid "The configuration section '$($section.Name)' cannot be read because it is missing a section declaration." $Path; continue }
        if ($fact.allowDefinition -eq 'AppHostOnly' -or ($fact.allowDefinition -eq 'MachineToApplication' -and -not $AtApplicationRoot)) {
            New-HcmIisConfigError $global:HcmIisLocked "This configuration section ($($section.Name), allowDefinition=$($fact.allowDefinition)) cannot be used at this path." $Path; continue
        }
        if ($fact.overrideModeDefault -eq 'Deny' -and $UnlockedSections -notcontains $section.Name) {
            $why = if ($fact.PSObject.Properties['installerSideEffect']) { " Only an installer's side effect unlocks it: $($fact.installerSideEffect)." } elseif ($fact.PSObject.Properties['unlockedByAspNet']) { ' Only ASP.NET 4.x''s <location path="" overrideMode="Allow"> unlocks it server-wide.' } else { '' }
            New-HcmIisConfigError $global:HcmIisLocked "This configuration section ($($section.Name)) cannot be used at this path. This happens when the section is locked at a parent level (overrideModeDefault=""Deny"").$why" $Path; continue
        }
        $inherited = if ($InheritedKeys.ContainsKey($section.Name)) { $InheritedKeys[$section.Name] } else { @{} }
        Test-HcmIisNode -Element $section.Element -Schema $fact.schema -Path $section.Name -LockedAttributes @($fact.lockedAttributes) -File $Path -InheritedKeys $inherited
    }
}

function global:Get-HcmIisCollectionKey {
    # The keys a web.config adds to each top-level collection of its sections (for merging into a child's check).
    param([Parameter(Mandatory = $true)][string] $Path)
    $document = New-Object System.Xml.XmlDocument
    $document.Load($Path)
    $result = @{}
    foreach ($section in @(Get-HcmIisConfigSection -Element $document.DocumentElement)) {
        $fact = Get-HcmIisSectionFact -Name $section.Name
        if ($null -eq $fact -or -not $fact.schema.PSObject.Properties['collection']) { continue }
        $collection = $fact.schema.collection
        $keyNames = @($collection.item.attributes.PSObject.Properties | Where-Object { $_.Value.PSObject.Properties['key'] } | ForEach-Object Name)
        $keys = @{}
        foreach ($item in @($section.Element.ChildNodes | Where-Object { $_ -is [System.Xml.XmlElement] -and $_.LocalName -eq $collection.add })) { $keys[(@($keyNames | ForEach-Object { $item.GetAttribute($_) }) -join '|').ToLowerInvariant()] = $true }
        $result[$section.Name] = $keys
    }
    return $result
}

function global:Format-HcmIis50019 {
    # The body of IIS's 500.19 page for the first error (as the real page, it names the HRESULT and the file).
    param([Parameter(Mandatory = $true)] $ConfigError)
    "<html><head><title>IIS 10.0 Detailed Error - 500.19 - Internal Server Error</title></head><body><h3>HTTP Error 500.19 - Internal Server Error</h3><h4>The requested page cannot be accessed because the related configuration data for the page is invalid.</h4><table><tr><th>Error Code</th><td>$($ConfigError.HResult)</td></tr><tr><th>Config Error</th><td>$([System.Security.SecurityElement]::Escape($ConfigError.Message))</td></tr><tr><th>Config File</th><td>$($ConfigError.File)</td></tr></table></body></html>"
}
