# Folder ACLs: HCM_HOME holds the manifest with the relay keys and SQL passwords, so only
# administrators and NetworkService (the app pools) may use it, set before any secret is written.
# Identities are compared by SID, so the check does not depend on the Windows display language.

$script:FileSystemRightsMask = @{
    FullControl    = 0x1F01FF
    Modify         = 0x0301BF
    ReadAndExecute = 0x0200A9
}
$script:SynchronizeRight = 0x100000

function ConvertTo-HcmAclSddl {
    # The DACL in SDDL: one allow ACE per rule, inherited by subfolders and files (OICI);
    # P = protected (nothing inherited from the parent folder).
    param([Parameter(Mandatory = $true)][object[]] $Rules, [bool] $Protect)
    $flags = if ($Protect) { 'PAI' } else { 'AI' }
    $aces = foreach ($rule in $Rules) {
        '(A;OICI;0x{0:x};;;{1})' -f ($script:FileSystemRightsMask[$rule.Rights] -bor $script:SynchronizeRight), $rule.Sid
    }
    return "D:$flags$($aces -join '')"
}

function Get-HcmFolderAcl {
    <#
    .SYNOPSIS
    Reads a folder's explicit access rules (by SID) and whether it inherits from its parent.
    .PARAMETER Path
    The folder.
    .OUTPUTS
    An object: Path, Exists, Protected, Rules (Sid, Rights mask, Inherits to children).
    .EXAMPLE
    Get-HcmFolderAcl -Path C:\ProgramData\HybridConnectionManager
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string] $Path)
    if (-not (Test-Path -LiteralPath $Path -PathType Container)) {
        return [pscustomobject]@{ Path = $Path; Exists = $false; Protected = $false; Rules = @() }
    }
    $acl = Get-Acl -LiteralPath $Path
    $rules = @($acl.GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object {
            [pscustomobject]@{
                Sid      = [string] $_.IdentityReference.Value
                Allow    = ([string] $_.AccessControlType -eq 'Allow')
                Rights   = ([int] $_.FileSystemRights) -band (-bnot $script:SynchronizeRight)
                Inherits = ([string] $_.InheritanceFlags -match 'ContainerInherit') -and ([string] $_.InheritanceFlags -match 'ObjectInherit')
            }
        })
    [pscustomobject]@{ Path = $Path; Exists = $true; Protected = [bool] $acl.AreAccessRulesProtected; Rules = $rules }
}

function Test-HcmFolderAcl {
    <#
    .SYNOPSIS
    True when the folder's explicit rules are exactly the wanted ones (and, with -Protect, nothing is inherited).
    .PARAMETER Path
    The folder.
    .PARAMETER Rules
    The wanted rules: objects with Sid and Rights (FullControl, Modify or ReadAndExecute).
    .PARAMETER Protect
    The folder must not inherit its parent's rules.
    .EXAMPLE
    Test-HcmFolderAcl -Path $home -Rules @([pscustomobject]@{ Sid = 'S-1-5-20'; Rights = 'ReadAndExecute' }) -Protect
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory = $true)][string] $Path, [Parameter(Mandatory = $true)][object[]] $Rules, [switch] $Protect)
    $acl = Get-HcmFolderAcl -Path $Path
    if (-not $acl.Exists) { return $false }
    if ($Protect -and -not $acl.Protected) { return $false }
    if ($acl.Rules.Count -ne $Rules.Count) { return $false }
    foreach ($wanted in $Rules) {
        $mask = $script:FileSystemRightsMask[$wanted.Rights] -band (-bnot $script:SynchronizeRight)
        $match = @($acl.Rules | Where-Object { $_.Sid -eq $wanted.Sid -and $_.Allow -and $_.Inherits -and $_.Rights -eq $mask })
        if ($match.Count -ne 1) { return $false }
    }
    return $true
}

function Set-HcmFolderAcl {
    <#
    .SYNOPSIS
    Replaces a folder's explicit rules with the wanted ones; does nothing when they already match.
    .DESCRIPTION
    Supports -WhatIf and -Confirm. Writes the whole DACL at once (SDDL), so there is no moment when
    the folder is open to more accounts than wanted.
    .PARAMETER Path
    The folder (must exist).
    .PARAMETER Rules
    The wanted rules: objects with Sid and Rights (FullControl, Modify or ReadAndExecute).
    .PARAMETER Protect
    Stop inheriting the parent's rules.
    .EXAMPLE
    Set-HcmFolderAcl -Path $home -Rules $rules -Protect
    #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([Parameter(Mandatory = $true)][string] $Path, [Parameter(Mandatory = $true)][object[]] $Rules, [switch] $Protect)
    if (Test-HcmFolderAcl -Path $Path -Rules $Rules -Protect:$Protect) {
        return New-HcmChange -Resource 'FolderAcl' -Name $Path -Action 'None'
    }
    $sddl = ConvertTo-HcmAclSddl -Rules $Rules -Protect ([bool] $Protect)
    if (-not $PSCmdlet.ShouldProcess($Path, "Restrict access to $($Rules.Count) account(s) ($sddl)")) {
        return New-HcmChange -Resource 'FolderAcl' -Name $Path -Action 'Updated' -WhatIf
    }
    $acl = Get-Acl -LiteralPath $Path
    $acl.SetSecurityDescriptorSddlForm($sddl, [System.Security.AccessControl.AccessControlSections]::Access)
    Set-Acl -LiteralPath $Path -AclObject $acl
    New-HcmChange -Resource 'FolderAcl' -Name $Path -Action 'Updated' -Changes @($sddl)
}
