# Starting the sites and pools, and checking that they answer: a connector's root gives IIS's
# 403.14 page and the listener's /status reports the hybrid connection Connected.

function Get-HcmSiteState {
    <#
    .SYNOPSIS
    The run-time state of a site and its app pool (Started, Stopped, …; empty when absent).
    .PARAMETER Site
    The site's name.
    .PARAMETER AppPool
    The app pool's name.
    .EXAMPLE
    Get-HcmSiteState -Site MicrosoftSqlConnector_001 -AppPool HybridAppPool001
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string] $Site, [Parameter(Mandatory = $true)][string] $AppPool)
    $poolState = ''
    $siteState = ''
    if (Test-HcmConfigElement -Filter (Get-HcmAppPoolFilter -Name $AppPool)) { $poolState = ConvertTo-HcmConfigString -Value (Get-WebAppPoolState -Name $AppPool) }
    if (Test-HcmConfigElement -Filter (Get-HcmWebSiteFilter -Name $Site)) { $siteState = ConvertTo-HcmConfigString -Value (Get-WebsiteState -Name $Site) }
    [pscustomobject]@{ Site = $Site; SiteState = $siteState; AppPool = $AppPool; AppPoolState = $poolState }
}

function Start-HcmSite {
    <#
    .SYNOPSIS
    Starts an existing site and its app pool when they are not started.
    .DESCRIPTION
    Supports -WhatIf and -Confirm; does nothing when both already run.
    .PARAMETER Site
    The site's name.
    .PARAMETER AppPool
    The app pool's name.
    .EXAMPLE
    Start-HcmSite -Site MicrosoftAzureBizTalkHybridListener -AppPool HybridListenerAppPool
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $Site, [Parameter(Mandatory = $true)][string] $AppPool)
    # Both exist here (the installer just converged them), so ask for their states directly.
    $state = [pscustomobject]@{
        AppPoolState = ConvertTo-HcmConfigString -Value (Get-WebAppPoolState -Name $AppPool)
        SiteState    = ConvertTo-HcmConfigString -Value (Get-WebsiteState -Name $Site)
    }
    $changed = @()
    if ($state.AppPoolState -ne 'Started' -and $PSCmdlet.ShouldProcess($AppPool, 'Start app pool')) {
        Start-WebAppPool -Name $AppPool
        $changed += $AppPool
    }
    if ($state.SiteState -ne 'Started' -and $PSCmdlet.ShouldProcess($Site, 'Start site')) {
        Start-Website -Name $Site
        $changed += $Site
    }
    New-HcmChange -Resource 'SiteState' -Name $Site -Action $(if ($changed.Count -gt 0) { 'Updated' } else { 'None' }) -Changes $changed
}

function Invoke-HcmSiteRequest {
    <#
    .SYNOPSIS
    GETs http://127.0.0.1:<Port><Path> and returns the status code and body (status 0 and an error when unreachable).
    .PARAMETER Port
    The site's port.
    .PARAMETER Path
    The path, e.g. / or /status.
    .PARAMETER TimeoutSeconds
    How long to wait for an answer.
    .EXAMPLE
    Invoke-HcmSiteRequest -Port 6569 -Path /
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port, [string] $Path = '/', [int] $TimeoutSeconds = 10)
    Add-Type -AssemblyName System.Net.Http
    $client = New-Object System.Net.Http.HttpClient
    $client.Timeout = [timespan]::FromSeconds($TimeoutSeconds)
    try {
        $response = $client.GetAsync("http://127.0.0.1:$Port$Path").GetAwaiter().GetResult()
        $body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        [pscustomobject]@{ StatusCode = [int] $response.StatusCode; Body = $body; Error = '' }
    }
    catch {
        $exception = $_.Exception
        while ($null -ne $exception.InnerException) { $exception = $exception.InnerException }
        [pscustomobject]@{ StatusCode = 0; Body = ''; Error = $exception.Message }
    }
    finally {
        $client.Dispose()
    }
}

function Test-HcmConnectorRoot {
    # A connector's root answers IIS's "HTTP Error 403.14 - Forbidden": the site is up, bound, and its pool can read the folder.
    param([Parameter(Mandatory = $true)][string] $Site, [Parameter(Mandatory = $true)][int] $Port)
    $response = Invoke-HcmSiteRequest -Port $Port -Path '/'
    $url = "http://127.0.0.1:$Port/"
    if ($response.StatusCode -eq 0) { return New-HcmCheck -Name "$Site answers 403.14" -Passed $false -Detail "$url could not be reached: $($response.Error)" -Fix "Start the site and its pool (Start-Website $Site), then read the site's log in HCM_HOME\logs." }
    $passed = ($response.StatusCode -eq 403 -and $response.Body -match '403\.14')
    $snippet = ($response.Body -replace '<[^>]+>', ' ' -replace '\s+', ' ').Trim()
    if ($snippet.Length -gt 160) { $snippet = $snippet.Substring(0, 160) + '…' }
    New-HcmCheck -Name "$Site answers 403.14" -Passed $passed -Detail $(if ($passed) { "$url answered 403.14" } else { "$url answered $($response.StatusCode) instead of 403.14: $snippet" }) -Fix "Check that $Site runs the MicrosoftSqlConnector template (its web.config) and read its log in HCM_HOME\logs."
}

function Test-HcmListenerConnected {
    # The listener's /status lists the hybrid connection as Connected (its relay listener is online).
    param([Parameter(Mandatory = $true)][int] $Port, [Parameter(Mandatory = $true)][string] $HybridConnection, [string] $Site = 'MicrosoftAzureBizTalkHybridListener')
    $name = "$HybridConnection Connected"
    $response = Invoke-HcmSiteRequest -Port $Port -Path '/status'
    if ($response.StatusCode -ne 200) {
        $why = if ($response.StatusCode -eq 0) { $response.Error } else { "status $($response.StatusCode)" }
        return New-HcmCheck -Name $name -Passed $false -Detail "the listener's http://127.0.0.1:$Port/status did not answer: $why" -Fix "Start $Site and its pool, then read HCM_HOME\logs\$Site.log."
    }
    try { $status = $response.Body | ConvertFrom-Json } catch { $status = $null }
    $listed = @()
    if ($null -ne $status -and $status.PSObject.Properties['hybridConnections']) { $listed = @($status.hybridConnections) }
    $entry = @($listed | Where-Object { $_.PSObject.Properties['name'] -and $_.name -eq $HybridConnection }) | Select-Object -First 1
    if ($null -eq $entry) { return New-HcmCheck -Name $name -Passed $false -Detail "the listener does not list $HybridConnection (yet)" -Fix 'The listener re-reads the manifest within 2 seconds; if it still does not list it, read its log.' }
    $state = if ($entry.PSObject.Properties['state']) { [string] $entry.state } else { 'unknown' }
    $passed = ($state -eq 'Connected')
    $detail = "the listener reports $HybridConnection as $state"
    if (-not $passed -and $entry.PSObject.Properties['lastError'] -and $entry.lastError) { $detail += ": $($entry.lastError)" }
    New-HcmCheck -Name $name -Passed $passed -Detail $detail -Fix 'Check outbound HTTPS (443) to the relay namespace and that the configuration string has Listen rights; run Test-HybridConnectionManager.ps1.'
}

function Wait-HcmConnectorReady {
    <#
    .SYNOPSIS
    Waits until a connector's root answers 403.14 and the listener reports its hybrid connection Connected.
    .DESCRIPTION
    Polls both every 2 seconds until both pass or the timeout ends; returns the last checks, each
    saying exactly why it failed.
    .PARAMETER Connector
    The connector site.
    .PARAMETER ConnectorPort
    Its port.
    .PARAMETER ListenerPort
    The listener's port.
    .PARAMETER HybridConnection
    The entity path of the connector's hybrid connection.
    .PARAMETER TimeoutSeconds
    How long to wait (0 = check once).
    .EXAMPLE
    Wait-HcmConnectorReady -Connector MicrosoftSqlConnector_001 -ConnectorPort 6569 -ListenerPort 6568 -HybridConnection sql-orders -TimeoutSeconds 60
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string] $Connector,
        [Parameter(Mandatory = $true)][int] $ConnectorPort,
        [Parameter(Mandatory = $true)][int] $ListenerPort,
        [Parameter(Mandatory = $true)][string] $HybridConnection,
        [int] $TimeoutSeconds = 60
    )
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $checks = @(
            Test-HcmConnectorRoot -Site $Connector -Port $ConnectorPort
            Test-HcmListenerConnected -Port $ListenerPort -HybridConnection $HybridConnection
        )
        if (@($checks | Where-Object { -not $_.Passed }).Count -eq 0 -or [datetime]::UtcNow -ge $deadline) { return $checks }
        Start-Sleep -Seconds 2
    }
}
