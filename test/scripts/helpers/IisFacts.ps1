# IIS facts for the strict fake IIS: derived from IIS's own schema files and a real IIS 10
# applicationHost.config (../shared/reference/iis-schema, see its PROVENANCE.md), never typed by hand.
# ConvertTo-HcmIisFacts builds the data the project keeps in
# scripts/HybridConnectionManager/Data/iis-facts.json (a test re-derives it and compares);
# Test-HcmIisWebConfig checks a web.config against it the way IIS's configuration system would
# (500.19 with the HRESULT IIS reports). Dot-source it.

# The sections the product writes (web.config and applicationHost.config), plus webSocket, which
# the sites used to write and which the strict fake must keep refusing.
$script:HcmIisFactSections = @(
    'appSettings'
    'system.webServer/handlers', 'system.webServer/rewrite/rules', 'system.webServer/iisnode'
    'system.webServer/defaultDocument', 'system.webServer/directoryBrowse', 'system.webServer/httpErrors'
    'system.webServer/security/requestFiltering', 'system.webServer/applicationInitialization'
    'system.webServer/httpProtocol', 'system.webServer/webSocket'
    'system.applicationHost/applicationPools', 'system.applicationHost/sites'
)

# What installers outside the reference folder declare, each read in the installer's own source:
# iisnode 0.2.27's MSI (src/setup/iisnode-msi/addiisnodesection.js) calls AddSection("iisnode")
# with the declaration defaults (overrideModeDefault Allow, allowDefinition Everywhere, as the
# applicationHost.config comment on <section> documents) and, as a side effect, sets
# webSocket's overrideModeDefault to Allow. A web.config may rely on the first (iisnode is a
# prerequisite), never on the second (another iisnode build or an IIS repair undoes it).
$script:HcmIisInstallerFacts = @{
    'system.webServer/iisnode'   = @{ DeclaredBy = 'iisnode MSI (addiisnodesection.js: AddSection("iisnode"), declaration defaults)'; OverrideModeDefault = 'Allow'; AllowDefinition = 'Everywhere' }
    'system.webServer/webSocket' = @{ SideEffect = 'the iisnode MSI sets overrideModeDefault="Allow" (addiisnodesection.js); a default IIS 10 declares Deny' }
}

function ConvertTo-HcmIisSchemaNode {
    # One <sectionSchema>/<element>/<collection> item as an ordered table: attributes (type, enum
    # names, required, key), child elements, and the collection (add/remove/clear names, item).
    param([Parameter(Mandatory = $true)][System.Xml.XmlElement] $Node)
    $attributes = [ordered]@{}
    $elements = [ordered]@{}
    $collection = $null
    foreach ($child in @($Node.ChildNodes | Where-Object { $_ -is [System.Xml.XmlElement] })) {
        if ($child.LocalName -eq 'attribute') {
            $attribute = [ordered]@{ type = $(if ($child.GetAttribute('type')) { $child.GetAttribute('type') } else { 'string' }) }
            $names = @($child.SelectNodes('enum|flag') | ForEach-Object { $_.GetAttribute('name') })
            if ($names.Count -gt 0) { $attribute.values = $names }
            if ($child.GetAttribute('required') -eq 'true') { $attribute.required = $true }
            if ($child.GetAttribute('isUniqueKey') -eq 'true' -or $child.GetAttribute('isCombinedKey') -eq 'true') { $attribute.key = $true }
            $attributes[$child.GetAttribute('name')] = $attribute
        }
        elseif ($child.LocalName -eq 'element') {
            $elements[$child.GetAttribute('name')] = ConvertTo-HcmIisSchemaNode -Node $child
        }
        elseif ($child.LocalName -eq 'collection') {
            $collection = [ordered]@{ add = $child.GetAttribute('addElement') }
            if ($child.GetAttribute('removeElement')) { $collection.remove = $child.GetAttribute('removeElement') }
            if ($child.GetAttribute('clearElement')) { $collection.clear = $child.GetAttribute('clearElement') }
            if ($child.GetAttribute('allowUnrecognizedAttributes') -eq 'true') { $collection.anyAttribute = $true }
            $collection.item = ConvertTo-HcmIisSchemaNode -Node $child
        }
    }
    $result = [ordered]@{ attributes = $attributes }
    if ($elements.Count -gt 0) { $result.elements = $elements }
    if ($null -ne $collection) { $result.collection = $collection }
    return $result
}

function Read-HcmIisXml {
    param([string] $Path)
    $document = New-Object System.Xml.XmlDocument
    $document.Load($Path)
    return $document
}

function Get-HcmIisSectionDeclaration {
    # <section> declarations of a config file's <configSections>, by full name (group/…/name).
    param([System.Xml.XmlDocument] $Document)
    $declarations = @{}
    foreach ($section in @($Document.SelectNodes('/configuration/configSections//section'))) {
        $groups = @()
        $parent = $section.ParentNode
        while ($parent.LocalName -eq 'sectionGroup') { $groups = @($parent.GetAttribute('name')) + $groups; $parent = $parent.ParentNode }
        $declarations[((@($groups) + $section.GetAttribute('name')) -join '/')] = $section
    }
    return $declarations
}

function ConvertTo-HcmIisFacts {
    <#
    .SYNOPSIS
    Derives the project's IIS facts from the reference schema folder (an ordered table; ConvertTo-Json it).
    #>
    param([Parameter(Mandatory = $true)][string] $SchemaFolder)
    $schemas = @('IIS_schema.xml', 'FX_schema.xml', 'rewrite_schema.xml', 'iisnode_schema_x64.xml')
    $sectionSchemas = @{}
    foreach ($file in $schemas) {
        foreach ($node in @((Read-HcmIisXml (Join-Path $SchemaFolder $file)).SelectNodes('/configSchema/sectionSchema'))) {
            if (-not $sectionSchemas.ContainsKey($node.GetAttribute('name'))) { $sectionSchemas[$node.GetAttribute('name')] = @{ File = $file; Node = $node } }
        }
    }
    $appHost = Read-HcmIisXml (Join-Path $SchemaFolder 'applicationHost.iis10-servercore-urlrewrite.config')
    $appHostDeclarations = Get-HcmIisSectionDeclaration -Document $appHost
    $machineDeclarations = Get-HcmIisSectionDeclaration -Document (Read-HcmIisXml (Join-Path $SchemaFolder 'machine.config.appsettings-extract.config'))
    $aspNet = Read-HcmIisXml (Join-Path $SchemaFolder 'applicationHost.aspnet45-location-extract.config')
    $aspNetUnlocked = @($aspNet.SelectNodes("/configuration/location[@path='' and @overrideMode='Allow']/*/*") | ForEach-Object { "$($_.ParentNode.LocalName)/$($_.LocalName)" })

    $sections = [ordered]@{}
    foreach ($name in $script:HcmIisFactSections) {
        if (-not $sectionSchemas.ContainsKey($name)) { throw "No schema file in $SchemaFolder defines the section $name." }
        $fact = [ordered]@{ schemaFile = $sectionSchemas[$name].File }
        if ($appHostDeclarations.ContainsKey($name)) {
            $declaration = $appHostDeclarations[$name]
            $fact.declaredIn = 'applicationHost.config'
        }
        elseif ($machineDeclarations.ContainsKey($name)) {
            $declaration = $machineDeclarations[$name]
            $fact.declaredIn = 'machine.config'
        }
        elseif ($script:HcmIisInstallerFacts.ContainsKey($name) -and $script:HcmIisInstallerFacts[$name].DeclaredBy) {
            $declaration = $null
            $fact.declaredIn = $script:HcmIisInstallerFacts[$name].DeclaredBy
        }
        else { throw "No declaration of the section $name in the reference configuration files." }
        # Declaration defaults (applicationHost.config's own comment on <section>): Allow, Everywhere.
        $fact.overrideModeDefault = 'Allow'
        $fact.allowDefinition = 'Everywhere'
        if ($null -ne $declaration) {
            if ($declaration.GetAttribute('overrideModeDefault')) { $fact.overrideModeDefault = $declaration.GetAttribute('overrideModeDefault') }
            if ($declaration.GetAttribute('allowOverride') -eq 'false') { $fact.overrideModeDefault = 'Deny' }
            if ($declaration.GetAttribute('allowDefinition')) { $fact.allowDefinition = $declaration.GetAttribute('allowDefinition') }
        }
        if ($aspNetUnlocked -contains $name) { $fact.unlockedByAspNet = $true }
        if ($script:HcmIisInstallerFacts.ContainsKey($name) -and $script:HcmIisInstallerFacts[$name].SideEffect) { $fact.installerSideEffect = $script:HcmIisInstallerFacts[$name].SideEffect }
        # Attributes applicationHost.config locks for every web.config (lockAttributes on the section element).
        $leaf = $name.Substring($name.LastIndexOf('/') + 1)
        $parentPath = if ($name.Contains('/')) { $name.Substring(0, $name.LastIndexOf('/')) } else { '' }
        $xpath = '/configuration/' + $(if ($parentPath) { "$parentPath/" } else { '' }) + $leaf
        $element = $appHost.SelectSingleNode($xpath)
        $locked = @()
        if ($null -ne $element -and $element.GetAttribute('lockAttributes')) { $locked = @($element.GetAttribute('lockAttributes') -split ',' | ForEach-Object { $_.Trim() }) }
        $fact.lockedAttributes = $locked
        $fact.schema = ConvertTo-HcmIisSchemaNode -Node $sectionSchemas[$name].Node
        $sections[$name] = $fact
    }
    [ordered]@{
        about    = 'Derived by test/scripts/helpers/IisFacts.ps1 (ConvertTo-HcmIisFacts) from IIS 10 schema files and applicationHost.config; see ../shared/reference/iis-schema/PROVENANCE.md. Regenerate with: pwsh test/scripts/update-iis-facts.ps1'
        sources  = @($schemas + @('applicationHost.iis10-servercore-urlrewrite.config', 'applicationHost.aspnet45-location-extract.config', 'machine.config.appsettings-extract.config'))
        sections = $sections
    }
}

function ConvertTo-HcmIisFactsJson {
    param([Parameter(Mandatory = $true)] $Facts)
    ($Facts | ConvertTo-Json -Depth 40) -replace "`r`n", "`n"
}
