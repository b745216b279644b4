# What the strict fake IIS answers over HTTP, request by request, the way IIS 10 would: the site's
# web.config is loaded against the IIS facts (500.19 with the HRESULT when IIS would refuse it), URL
# Rewrite's rules pick the target, the iisnode handler runs the site's node app (a stand-in per site
# kind) or IIS serves the folder (the root of a folder without a default document is
# DirectoryListingModule's 403.14: a status, no body), and httpErrors' existingResponse decides
# whether IIS keeps that response or swaps it for an error page (iisnode sets statuses without
# fTrySkipCustomErrors, so under Auto IIS swaps node's own 4xx/5xx). Dot-sourced by FakeIis.ps1.

. (Join-Path $PSScriptRoot 'IisConfigCheck.ps1')

function global:New-FakeIisResponse {
    param([int] $StatusCode, [string] $Body = '', [int] $SubStatus = 0, [bool] $FromNode = $false)
    [pscustomobject]@{ StatusCode = $StatusCode; SubStatus = $SubStatus; Body = $Body; Error = ''; FromNode = $FromNode }
}

function global:Get-FakeForbiddenPage {
    # The connector app's own 403.14 page, from the build (the real function, run once by node).
    if (-not $global:HcmFakeForbiddenPage) {
        $module = Join-Path $global:HcmFakeRepoRoot 'dist/src/connectors/sql/http/forbidden-page.js'
        $global:HcmFakeForbiddenPage = (& node -e "process.stdout.write(require(process.argv[1]).forbiddenPage('http://127.0.0.1/'))" $module) -join "`n"
    }
    return $global:HcmFakeForbiddenPage
}

function global:Invoke-FakeNodeApp {
    # The site's node app, reduced to what the suites ask of it.
    param([string] $Site, [string] $Path)
    if ($Site -like 'MicrosoftSqlConnector_*') {
        switch -Regex ($Path) {
            '^/$' { return New-FakeIisResponse 403 (Get-FakeForbiddenPage) -FromNode $true }
            '^/health$' { return New-FakeIisResponse 200 '{"status":"ok"}' -FromNode $true }
            default {
                $code = if ($Path -match '^/tables/[^/]+/items/') { 'ItemNotFound' } else { 'NotFound' }
                return New-FakeIisResponse 404 ('{"error":{"code":"' + $code + '","message":"Nothing at ' + $Path + '."}}') -FromNode $true
            }
        }
    }
    if ($Path -eq '/warmup') { return New-FakeIisResponse 200 '{"warm":true}' -FromNode $true }
    if ($Path -ne '/status') { return New-FakeIisResponse 200 '<html><title>Hybrid Connection Manager listener</title></html>' -FromNode $true }
    # The listener serves every connector of the manifest; a test may set another state per entity path.
    $manifest = Get-Content -LiteralPath (Join-Path $global:HcmFakeIis.HcmHome 'hcm.json') -Raw | ConvertFrom-Json
    $connections = @($manifest.connectors | ForEach-Object {
            $state = if ($global:HcmFakeIis.Connections.ContainsKey($_.hybridConnection.entityPath)) { $global:HcmFakeIis.Connections[$_.hybridConnection.entityPath] } else { 'Connected' }
            @{ name = $_.hybridConnection.entityPath; connector = $_.site; state = $state; since = ''; lastError = $(if ($state -eq 'Connected') { $null } else { 'getaddrinfo ENOTFOUND contoso.servicebus.windows.net' }) }
        })
    return New-FakeIisResponse 200 (@{ hybridConnections = $connections } | ConvertTo-Json -Depth 5) -FromNode $true
}

function global:Invoke-FakeIisPipeline {
    # One request to a started site whose folder is $Folder.
    param([string] $Site, [string] $Folder, [string] $Path)
    $configPath = Join-Path $Folder 'web.config'
    $unlocked = @()
    if ($global:HcmFakeIis.Unlocks.ContainsKey($Site)) { $unlocked = @($global:HcmFakeIis.Unlocks[$Site]) }
    if (Test-Path -LiteralPath $configPath) {
        # IIS re-reads a changed web.config; checking an unchanged one again gives the same answer (and costs seconds under load).
        $cacheKey = '{0}|{1}|{2}' -f $configPath, [System.IO.File]::GetLastWriteTimeUtc($configPath).Ticks, ($unlocked -join ',')
        if (-not $global:HcmFakeConfigChecks) { $global:HcmFakeConfigChecks = @{} }
        if (-not $global:HcmFakeConfigChecks.ContainsKey($cacheKey)) { $global:HcmFakeConfigChecks[$cacheKey] = @(Test-HcmIisWebConfig -Path $configPath -AtApplicationRoot -UnlockedSections $unlocked) }
        $errors = @($global:HcmFakeConfigChecks[$cacheKey])
        if ($errors.Count -gt 0) { return New-FakeIisResponse 500 (Format-HcmIis50019 -ConfigError $errors[0]) 19 }
        $config = New-Object System.Xml.XmlDocument
        $config.Load($configPath)
    }
    else { $config = [xml] '<configuration />' }
    # URL Rewrite: rules in order, the pattern against the path without its leading '/'.
    $target = $Path
    foreach ($rule in @($config.SelectNodes('/configuration/system.webServer/rewrite/rules/rule'))) {
        $match = $rule.SelectSingleNode('match')
        if ($null -eq $match -or -not [regex]::IsMatch($Path.TrimStart('/'), $match.GetAttribute('url'), 'IgnoreCase')) { continue }
        $action = $rule.SelectSingleNode('action')
        if ($null -ne $action -and $action.GetAttribute('type') -eq 'Rewrite') { $target = '/' + $action.GetAttribute('url') }
        if ($rule.GetAttribute('stopProcessing') -eq 'true') { break }
    }
    $handler = @($config.SelectNodes('/configuration/system.webServer/handlers/add') | Where-Object { $_.GetAttribute('modules') -eq 'iisnode' -and $target.TrimStart('/') -eq $_.GetAttribute('path') }) | Select-Object -First 1
    if ($null -ne $handler) {
        $global:HcmFakeNodeStarted[$Site] = $true
        $response = Invoke-FakeNodeApp -Site $Site -Path $Path
    }
    elseif ($target -eq '/') {
        # StaticFile: no default document here; directoryBrowse is off by default: DirectoryListingModule sets 403.14, no body.
        $browse = $config.SelectSingleNode('/configuration/system.webServer/directoryBrowse')
        if ($null -ne $browse -and $browse.GetAttribute('enabled') -eq 'true') { return New-FakeIisResponse 200 '<html>listing</html>' }
        $response = New-FakeIisResponse 403 '' 14
    }
    elseif (Test-Path -LiteralPath (Join-Path $Folder $target.TrimStart('/')) -PathType Leaf) { return New-FakeIisResponse 200 ([System.IO.File]::ReadAllText((Join-Path $Folder $target.TrimStart('/')))) }
    else { $response = New-FakeIisResponse 404 '' }
    if ($response.StatusCode -lt 400) { return $response }
    # httpErrors: PassThrough keeps the response; Replace always swaps it; Auto swaps unless the module set fTrySkipCustomErrors (iisnode never does).
    $errorsNode = $config.SelectSingleNode('/configuration/system.webServer/httpErrors')
    $mode = if ($null -ne $errorsNode -and $errorsNode.GetAttribute('existingResponse')) { $errorsNode.GetAttribute('existingResponse') } else { 'Auto' }
    if ($mode -eq 'PassThrough') { return $response }
    $entry = $null
    if ($null -ne $errorsNode) {
        $entry = @($errorsNode.SelectNodes('error') | Where-Object { [int] $_.GetAttribute('statusCode') -eq $response.StatusCode -and ($_.GetAttribute('subStatusCode') -eq '' -or [int] $_.GetAttribute('subStatusCode') -eq $response.SubStatus) }) | Select-Object -First 1
    }
    if ($null -ne $entry -and $entry.GetAttribute('responseMode') -eq 'File') { return New-FakeIisResponse $response.StatusCode ([System.IO.File]::ReadAllText((Join-Path $Folder $entry.GetAttribute('path')))) $response.SubStatus }
    # IIS's detailed page for a local caller (errorMode DetailedLocalOnly): it shows the physical path.
    New-FakeIisResponse $response.StatusCode "<html><h3>HTTP Error $($response.StatusCode).$($response.SubStatus)</h3><table><tr><th>Physical Path</th><td>$Folder$($Path.Replace('/', '\'))</td></tr></table></html>" $response.SubStatus
}

function global:Invoke-FakeIisPreload {
    # Application Initialization for a started site with preloadEnabled: each initializationPage
    # (IIS requests "/" when the site's web.config names none). Returns whether node.exe started.
    param([Parameter(Mandatory = $true)][string] $Site)
    $entry = $global:HcmFakeIis.Sites[$Site]
    if ($entry.Attributes["application[@path='/']/@preloadEnabled"] -ne 'True') { return $false }
    $folder = $entry.Attributes["application[@path='/']/virtualDirectory[@path='/']/@physicalPath"]
    $pages = @('/')
    $configPath = Join-Path $folder 'web.config'
    if (Test-Path -LiteralPath $configPath) {
        $named = @(([xml] (Get-Content -LiteralPath $configPath -Raw)).SelectNodes('/configuration/system.webServer/applicationInitialization/add') | ForEach-Object { $_.GetAttribute('initializationPage') })
        if ($named.Count -gt 0) { $pages = $named }
    }
    $global:HcmFakeNodeStarted.Remove($Site)
    foreach ($page in $pages) { [void] (Invoke-FakeIisPipeline -Site $Site -Folder $folder -Path $page) }
    return [bool] $global:HcmFakeNodeStarted[$Site]
}
