# Stand-ins for the IIS and Windows cmdlets the HybridConnectionManager module calls, so Pester can
# mock them on Linux. Each declares the real cmdlet's parameters (names, types, positions,
# parameter sets, pipeline binding; from Microsoft's reference pages for the WebAdministration,
# ServerManager, Dism, Microsoft.PowerShell.Management/Security/Diagnostics modules) and throws:
# a test that forgets a mock fails loudly instead of touching a real server.
# Where a real type is absent on Linux (Dism's LogLevel enum), a ValidateSet of its names stands in.

function Stop-UnmockedCall {
    param([string] $Name)
    throw "$Name is a stub of an IIS/Windows cmdlet: mock it in the test (Mock $Name -ModuleName HybridConnectionManager)."
}

# ---- WebAdministration ------------------------------------------------------------------------

function Get-WebConfiguration {
    [CmdletBinding()]
    param(
        [switch] $Recurse,
        [switch] $Metadata,
        [string] $Clr,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]] $Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]] $Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]] $PSPath
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-WebConfigurationProperty {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string[]] $Name,
        [switch] $Recurse,
        [string] $Clr,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]] $Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]] $Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]] $PSPath
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Set-WebConfigurationProperty {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'InputPSObject')]
    param(
        [Parameter(Mandatory = $true)][string] $Name,
        [Parameter(Mandatory = $true, ParameterSetName = 'InputPSObject')][Alias('v', 'val')][psobject] $Value,
        [Parameter(Mandatory = $true, ParameterSetName = 'InputObject', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][object] $InputObject,
        [string] $Clr,
        [Parameter(ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][hashtable] $AtElement,
        [Parameter(ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][int] $AtIndex,
        [Parameter(ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string] $AtName,
        [switch] $Force,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]] $Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]] $Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]] $PSPath
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Set-WebConfiguration {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'InputPSObject')]
    param(
        [Parameter(ParameterSetName = 'InputPSObject')][Alias('v', 'val')][psobject] $Value,
        [Parameter(Mandatory = $true, ParameterSetName = 'InputObject', ValueFromPipeline = $true)][object] $InputObject,
        [string] $Metadata,
        [string] $Clr,
        [switch] $Force,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]] $Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]] $Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]] $PSPath
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function New-WebAppPool {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name,
        [switch] $Force
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Remove-WebAppPool {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name)
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Start-WebAppPool {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name, [switch] $Passthru)
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-WebAppPoolState {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name)
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function New-Website {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][uint32] $Id,
        [Parameter(ValueFromPipelineByPropertyName = $true)][uint32] $Port,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $IPAddress,
        [Parameter(ValueFromPipelineByPropertyName = $true)][int] $SslFlags,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $HostHeader,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $PhysicalPath,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $ApplicationPool,
        [switch] $Ssl,
        [switch] $Force
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Remove-Website {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name)
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Start-Website {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name, [switch] $Passthru)
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-WebsiteState {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name)
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-WebBinding {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $Protocol,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $Port,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $IPAddress,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $HostHeader
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function New-WebBinding {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $Protocol,
        [Parameter(ValueFromPipelineByPropertyName = $true)][uint32] $Port,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $IPAddress,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $HostHeader,
        [Parameter(ValueFromPipelineByPropertyName = $true)][int] $SslFlags,
        [switch] $Force
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Remove-WebBinding {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'InputBindingProperties')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'InputObject', ValueFromPipeline = $true)][psobject] $InputObject,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $Protocol,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $Name,
        [Parameter(ParameterSetName = 'InputBindingProperties', ValueFromPipelineByPropertyName = $true)][string] $IPAddress,
        [Parameter(ParameterSetName = 'InputBindingProperties', ValueFromPipelineByPropertyName = $true)][string] $Port,
        [Parameter(ParameterSetName = 'InputBindingProperties', ValueFromPipelineByPropertyName = $true)][string] $HostHeader,
        [Parameter(Mandatory = $true, ParameterSetName = 'InputBindingInformation', ValueFromPipelineByPropertyName = $true)][string] $BindingInformation
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

# ---- ServerManager and Dism --------------------------------------------------------------------

function Get-WindowsFeature {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]] $Name,
        [string] $Vhd,
        [Alias('Cn')][string] $ComputerName,
        [pscredential] $Credential,
        [string] $LogPath
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-WindowsOptionalFeature {
    [CmdletBinding(DefaultParameterSetName = 'Online')]
    param(
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $FeatureName,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $PackageName,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $PackagePath,
        [Parameter(Mandatory = $true, ParameterSetName = 'Online', ValueFromPipelineByPropertyName = $true)][switch] $Online,
        [Parameter(Mandatory = $true, ParameterSetName = 'Offline', ValueFromPipelineByPropertyName = $true)][string] $Path,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $WindowsDirectory,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string] $SystemDrive,
        [Alias('LP')][string] $LogPath,
        [string] $ScratchDirectory,
        [Alias('LL')][ValidateSet('Errors', 'Warnings', 'WarningsInfo')][string] $LogLevel
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

# ---- Microsoft.PowerShell.Management / Security / Diagnostics (Windows-only in PowerShell 7) ----

function Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName')][string[]] $Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('Cn')][string[]] $ComputerName,
        [Alias('DS')][switch] $DependentServices,
        [Alias('SDO', 'ServicesDependedOn')][switch] $RequiredServices,
        [Parameter(Mandatory = $true, ParameterSetName = 'DisplayName')][string[]] $DisplayName,
        [string[]] $Include,
        [string[]] $Exclude,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)][System.ServiceProcess.ServiceController[]] $InputObject
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-Acl {
    [CmdletBinding(DefaultParameterSetName = 'ByPath')]
    param(
        [Parameter(ParameterSetName = 'ByPath', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]] $Path,
        [Parameter(Mandatory = $true, ParameterSetName = 'ByInputObject', ValueFromPipelineByPropertyName = $true)][psobject] $InputObject,
        [Parameter(ParameterSetName = 'ByLiteralPath', ValueFromPipelineByPropertyName = $true)][Alias('PSPath', 'LP')][string[]] $LiteralPath,
        [switch] $Audit,
        [string] $Filter,
        [string[]] $Include,
        [string[]] $Exclude
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Set-Acl {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'ByPath')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'ByPath', Position = 0, ValueFromPipelineByPropertyName = $true)][string[]] $Path,
        [Parameter(Mandatory = $true, ParameterSetName = 'ByInputObject', Position = 0, ValueFromPipelineByPropertyName = $true)][psobject] $InputObject,
        [Parameter(Mandatory = $true, ParameterSetName = 'ByLiteralPath', ValueFromPipelineByPropertyName = $true)][Alias('PSPath', 'LP')][string[]] $LiteralPath,
        [Parameter(Mandatory = $true, Position = 1, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][object] $AclObject,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByLiteralPath')][switch] $ClearCentralAccessPolicy,
        [switch] $Passthru,
        [string] $Filter,
        [string[]] $Include,
        [string[]] $Exclude
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

function Get-WinEvent {
    [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
    param(
        [Parameter(ParameterSetName = 'GetLogSet', Position = 0)][string[]] $LogName,
        [Parameter(Mandatory = $true, ParameterSetName = 'ListLogSet', Position = 0)][string[]] $ListLog,
        [Parameter(Mandatory = $true, ParameterSetName = 'ListProviderSet', Position = 0)][string[]] $ListProvider,
        [Parameter(Mandatory = $true, ParameterSetName = 'GetProviderSet', Position = 0, ValueFromPipelineByPropertyName = $true)][string[]] $ProviderName,
        [Parameter(Mandatory = $true, ParameterSetName = 'FileSet', Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]] $Path,
        [Parameter(Mandatory = $true, ParameterSetName = 'HashQuerySet', Position = 0)][hashtable[]] $FilterHashtable,
        [Parameter(Mandatory = $true, ParameterSetName = 'XmlQuerySet', Position = 0)][xml] $FilterXml,
        [Parameter(ParameterSetName = 'GetLogSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'GetProviderSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'FileSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'HashQuerySet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'XmlQuerySet', ValueFromPipelineByPropertyName = $true)]
        [long] $MaxEvents,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'ListProviderSet')]
        [Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')]
        [Alias('Cn')][string] $ComputerName,
        [pscredential] $Credential,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'FileSet')]
        [string] $FilterXPath,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'GetProviderSet')]
        [Parameter(ParameterSetName = 'HashQuerySet')]
        [switch] $Force,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'FileSet')]
        [Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')]
        [switch] $Oldest
    )
    Stop-UnmockedCall $MyInvocation.MyCommand.Name
}

Export-ModuleMember -Function @(
    'Set-WebConfiguration',
    'Get-WebConfiguration', 'Get-WebConfigurationProperty', 'Set-WebConfigurationProperty',
    'New-WebAppPool', 'Remove-WebAppPool', 'Start-WebAppPool', 'Get-WebAppPoolState',
    'New-Website', 'Remove-Website', 'Start-Website', 'Get-WebsiteState',
    'Get-WebBinding', 'New-WebBinding', 'Remove-WebBinding',
    'Get-WindowsFeature', 'Get-WindowsOptionalFeature',
    'Get-Service', 'Get-Acl', 'Set-Acl', 'Get-WinEvent'
)
