# Site bindings: loopback only. Only the listener on the same server calls a connector, so nothing
# may listen on an external interface; [::1] is bound too where the host has IPv6, because
# http://localhost resolves to ::1 first and HTTP.sys would answer it with "Bad Request - Invalid Hostname".

function Get-HcmLoopbackAddress {
    <#
    .SYNOPSIS
    The loopback addresses sites bind to: 127.0.0.1, and [::1] when the host has IPv6.
    .EXAMPLE
    Get-HcmLoopbackAddress
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param()
    $addresses = @('127.0.0.1')
    if ([System.Net.Sockets.Socket]::OSSupportsIPv6) { $addresses += '[::1]' }
    return $addresses
}

function Get-HcmSiteBinding {
    <#
    .SYNOPSIS
    Compares a site's bindings with the loopback-only bindings it should have.
    .PARAMETER Name
    The site's name.
    .PARAMETER Port
    The site's port.
    .OUTPUTS
    An object: Name, Expected, Actual (protocol/bindingInformation), Missing, Extra.
    .EXAMPLE
    Get-HcmSiteBinding -Name MicrosoftSqlConnector_001 -Port 6569
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string] $Name,
        [Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port
    )
    $expected = @(Get-HcmLoopbackAddress | ForEach-Object { "http/$($_):$($Port):" })
    $actual = @(Get-WebBinding -Name $Name | ForEach-Object { "$($_.protocol)/$($_.bindingInformation)" })
    [pscustomobject]@{
        Name     = $Name
        Expected = $expected
        Actual   = $actual
        Missing  = @($expected | Where-Object { $actual -notcontains $_ })
        Extra    = @($actual | Where-Object { $expected -notcontains $_ })
    }
}

function Test-HcmSiteBinding {
    <#
    .SYNOPSIS
    True when the site is bound to exactly http on the loopback addresses and its port.
    .PARAMETER Name
    The site's name.
    .PARAMETER Port
    The site's port.
    .EXAMPLE
    Test-HcmSiteBinding -Name MicrosoftAzureBizTalkHybridListener -Port 6568
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $Name, [Parameter(Mandatory = $true)][int] $Port)
    $binding = Get-HcmSiteBinding -Name $Name -Port $Port
    return ($binding.Missing.Count -eq 0 -and $binding.Extra.Count -eq 0)
}

function Set-HcmSiteBinding {
    <#
    .SYNOPSIS
    Adds the missing loopback bindings and removes every other binding; does nothing when they match.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Removes bindings on other addresses (such as *:port), so no site of
    the product listens on an external interface.
    .PARAMETER Name
    The site's name.
    .PARAMETER Port
    The site's port.
    .EXAMPLE
    Set-HcmSiteBinding -Name MicrosoftSqlConnector_001 -Port 6569
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $Name, [Parameter(Mandatory = $true)][ValidateRange(1, 65535)][int] $Port)
    $binding = Get-HcmSiteBinding -Name $Name -Port $Port
    $changed = @()
    foreach ($missing in $binding.Missing) {
        $address = $missing.Substring('http/'.Length, $missing.Length - 'http/'.Length - ":$($Port):".Length)
        if ($PSCmdlet.ShouldProcess($Name, "Add binding $missing")) {
            New-WebBinding -Name $Name -Protocol 'http' -IPAddress $address -Port ([uint32] $Port) -HostHeader '' | Out-Null
            $changed += "+$missing"
        }
    }
    foreach ($extra in $binding.Extra) {
        $protocol, $information = $extra -split '/', 2
        if ($PSCmdlet.ShouldProcess($Name, "Remove binding $extra")) {
            Remove-WebBinding -Name $Name -Protocol $protocol -BindingInformation $information -Confirm:$false
            $changed += "-$extra"
        }
    }
    New-HcmChange -Resource 'SiteBinding' -Name $Name -Action $(if ($changed.Count -gt 0) { 'Updated' } else { 'None' }) -Changes $changed
}
