# Install-HybridConnectionManager.ps1 -Proxy / -ProxyCredential and -ImportFrom, against the
# in-memory IIS (mocked stub cmdlets) and the real `hcm setup --proxy` and `hcm import`.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Install = Join-Path $script:ScriptsFolder 'Install-HybridConnectionManager.ps1'
    $script:SuiteRoot = New-TestFolder
    $script:Source = New-ProductSnapshot -Destination (Join-Path $script:SuiteRoot 'source') -Package 'hyco-https'
    $script:Passphrase = 'a passphrase for the second server'
    Enable-TestNodePath
}

AfterAll {
    Disable-TestNodePath
    Remove-TestFolder -Path $script:SuiteRoot
    Remove-FakeIis
}

Describe 'ConvertTo-HcmProxyArgument' {
    It 'keeps the user name in the URL and moves the password to the environment' {
        $result = (Get-Module HybridConnectionManager).Invoke({ ConvertTo-HcmProxyArgument -Proxy 'http://svc:p%40ss@proxy.corp.local:3128' })
        $result.Url | Should -Be 'http://svc@proxy.corp.local:3128'
        $result.Environment.HCM_PROXY_PASSWORD | Should -Be 'p@ss'
    }

    It 'takes the user and password of -ProxyCredential over the URL' {
        $credential = New-Object System.Management.Automation.PSCredential('corp\svc', (ConvertTo-SecureString 'Cred-pa55' -AsPlainText -Force))
        $result = (Get-Module HybridConnectionManager).Invoke({ param($c) ConvertTo-HcmProxyArgument -Proxy 'proxy.corp.local:8080' -Credential $c }, $credential)
        $result.Url | Should -Be 'http://corp%5Csvc@proxy.corp.local:8080'
        $result.Environment.HCM_PROXY_PASSWORD | Should -Be 'Cred-pa55'
    }
}

Describe 'Install-HybridConnectionManager.ps1 -Proxy and -ImportFrom' {
    BeforeEach {
        $script:Root = New-TestFolder
        $script:InstallPath = Join-Path $script:Root 'Program Files/HybridConnectionManager'
        $script:HcmHome = Join-Path $script:Root 'ProgramData/HybridConnectionManager'
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
        Register-FakeIisMock
        $script:Common = @{ InstallPath = $script:InstallPath; HcmHome = $script:HcmHome; SourcePath = $script:Source; VerifyTimeoutSeconds = 0 }
    }
    AfterEach { Remove-TestFolder -Path $script:Root }

    # One install with both (each install copies the product: seconds on a busy machine).
    It 'imports every connector of an export as this server''s own with the proxy and its credential, and installs their sites' {
        $first = Join-Path $script:Root 'first'
        $key = New-TestKey
        [void] (Invoke-TestHcm -HcmHome $first -Arguments @('setup', '--config-string', (New-ConfigurationString -EntityPath 'sql-orders' -Key $key)))
        [void] (Invoke-TestHcm -HcmHome $first -Arguments @('setup', '--config-string', (New-ConfigurationString -EntityPath 'sql-stock')))
        $file = Join-Path $script:Root 'export.bin'
        [void] (Invoke-TestHcm -HcmHome $first -Arguments @('export', '--to', $file) -InputText $script:Passphrase)
        $secure = ConvertTo-SecureString $script:Passphrase -AsPlainText -Force

        $credential = New-Object System.Management.Automation.PSCredential('svc', (ConvertTo-SecureString 'Pr0xy-secret' -AsPlainText -Force))
        $result = & $script:Install -ImportFrom $file -ImportPassphrase $secure -Proxy 'http://proxy.corp.local:3128' -ProxyCredential $credential @script:Common
        $result.Connector | Should -Be 'MicrosoftSqlConnector_001'
        ($result | Out-String) | Should -Not -Match 'Pr0xy-secret'
        $manifest = Read-TestManifest -HcmHome $script:HcmHome
        $manifest.proxy.url | Should -Be 'http://proxy.corp.local:3128'
        $manifest.proxy.username | Should -Be 'svc'
        $manifest.proxy.password | Should -Be 'Pr0xy-secret'
        @($manifest.connectors.site) | Should -Be @('MicrosoftSqlConnector_001', 'MicrosoftSqlConnector_002')
        $manifest.connectors[0].hybridConnection.key | Should -Be $key
        foreach ($site in @('MicrosoftSqlConnector_001', 'MicrosoftSqlConnector_002')) {
            Should -Invoke New-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq $site }
        }
        # A second run skips both (hcm import --skip-existing, test/cli/export-import.test.ts): not
        # repeated here, as each install costs seconds of the suite's budget.
    }

    # A wrong passphrase or a changed file is hcm import's exit 2 (test/cli/export-import.test.ts),
    # which the installer reports as HcmCliFailed and rolls back like any failed hcm step.
    It 'refuses both -ConfigurationString and -ImportFrom before changing anything' {
        { & $script:Install -ConfigurationString (New-ConfigurationString) -ImportFrom (Join-Path $script:Root 'export.bin') @script:Common } | Should -Throw -ErrorId 'HcmInvalidArgument*'
        Test-Path -LiteralPath $script:InstallPath | Should -BeFalse
    }
}
