# Module manifest of HybridConnectionManager: the IIS provisioner of the Hybrid Connection Manager.
@{
    RootModule           = 'HybridConnectionManager.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d1f1c7e-3f7b-4a51-9c2e-6b0f3f7c2a11'
    Author               = 'Hybrid Connection Manager contributors'
    Copyright            = '(c) Hybrid Connection Manager contributors. MIT License.'
    Description          = 'Installs the Hybrid Connection Manager on IIS (listener and SQL connector sites, app pools, HCM_HOME), checks an installation and removes it.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('HybridConnectionManager.Format.ps1xml')
    FunctionsToExport    = @(
        'Assert-HcmPrerequisite', 'Get-HcmPrerequisite',
        'Get-HcmAppPool', 'Test-HcmAppPool', 'Set-HcmAppPool',
        'Get-HcmWebSite', 'Test-HcmWebSite', 'Set-HcmWebSite',
        'Get-HcmLoopbackAddress', 'Get-HcmSiteBinding', 'Test-HcmSiteBinding', 'Set-HcmSiteBinding',
        'Get-HcmFolderAcl', 'Test-HcmFolderAcl', 'Set-HcmFolderAcl',
        'Get-HcmAppSetting', 'Test-HcmAppSetting', 'Set-HcmAppSetting',
        'Get-HcmProduct', 'Test-HcmProduct', 'Set-HcmProduct',
        'Get-HcmSiteFolder', 'Test-HcmSiteFolder', 'Set-HcmSiteFolder',
        'Get-HcmSiteConfig', 'Test-HcmSiteConfig', 'Set-HcmSiteConfig',
        'Get-HcmSectionUnlock', 'Test-HcmSectionUnlock', 'Set-HcmSectionUnlock', 'Remove-HcmSectionUnlock',
        'Get-HcmWatchdog', 'Test-HcmWatchdog', 'Set-HcmWatchdog', 'Remove-HcmWatchdog',
        'Get-HcmSiteState', 'Start-HcmSite', 'Remove-HcmSite',
        'Invoke-HcmSiteRequest', 'Wait-HcmConnectorReady',
        'Resolve-HcmNodePath', 'Invoke-HcmCli', 'Get-HcmInstallation',
        'Install-HcmConnector', 'Uninstall-HcmConnector', 'Test-HcmInstallation'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('IIS', 'iisnode', 'AzureRelay', 'HybridConnections')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
