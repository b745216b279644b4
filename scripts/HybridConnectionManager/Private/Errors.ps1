# The one way this module fails: a terminating error with a stable error id, so callers (and tests)
# can tell failures apart by FullyQualifiedErrorId instead of parsing messages.

# Every error id the module throws, with what it means. The README's "Install on IIS" section lists them.
$script:HcmErrorIds = @{
    HcmPrerequisiteMissing = 'Something the installation needs is missing; the message says what to install and where to get it.'
    HcmSourceInvalid       = 'The product folder the script runs from has no build (dist) or no package-lock.json.'
    HcmCliFailed           = 'An hcm command failed or printed something that is not the JSON it promises.'
    HcmInstallFailed       = 'A step of the installation failed; what this run had created was removed again.'
    HcmConnectorNotFound   = 'No connector (in the manifest or in IIS) matches the name given to the uninstall script.'
    HcmInvalidArgument     = 'The parameters contradict each other or a value is malformed (e.g. both -ConfigurationString and -ImportFrom, or a -Proxy that is not a URL).'
}

function New-HcmTerminatingError {
    <#
    .SYNOPSIS
    Throws a terminating error with one of the module's stable error ids.
    .DESCRIPTION
    All failures of the HybridConnectionManager module go through this helper, so every error has a
    FullyQualifiedErrorId from $script:HcmErrorIds, a category and, where one exists, the exception
    that caused it. Messages never contain keys or passwords: callers pass text that was redacted.
    .PARAMETER ErrorId
    One of the ids in $script:HcmErrorIds.
    .PARAMETER Message
    What went wrong and what to do, for people.
    .PARAMETER Category
    The PowerShell error category (default InvalidOperation).
    .PARAMETER TargetObject
    The thing that failed (a site name, a path).
    .PARAMETER Exception
    The underlying exception, kept as InnerException.
    .EXAMPLE
    New-HcmTerminatingError -ErrorId HcmConnectorNotFound -Message "No connector matches 'sql-nothing'." -Category ObjectNotFound
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateScript({ $script:HcmErrorIds.ContainsKey($_) })]
        [string] $ErrorId,

        [Parameter(Mandatory = $true)]
        [string] $Message,

        [System.Management.Automation.ErrorCategory] $Category = [System.Management.Automation.ErrorCategory]::InvalidOperation,

        [object] $TargetObject,

        [System.Exception] $Exception
    )
    $inner = if ($null -ne $Exception) { New-Object System.InvalidOperationException($Message, $Exception) } else { New-Object System.InvalidOperationException($Message) }
    $record = New-Object System.Management.Automation.ErrorRecord($inner, $ErrorId, $Category, $TargetObject)
    throw $record
}
