# Install-HybridConnectionManager.ps1 against the in-memory IIS (mocked stub cmdlets) and the real
# `hcm setup`: a fresh install, a second identical run, the Secondary string, -WhatIf, drift,
# verification failures, failures halfway with their rollback, -ImportFrom and -Proxy.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Install = Join-Path $script:ScriptsFolder 'Install-HybridConnectionManager.ps1'
    $script:Password = 'S3cret-pass;word'
    $script:Credential = New-Object System.Management.Automation.PSCredential('orders_app', (ConvertTo-SecureString $script:Password -AsPlainText -Force))
    $script:Loopback = @('127.0.0.1') + @(if ([System.Net.Sockets.Socket]::OSSupportsIPv6) { '[::1]' })
    # One shared product folder: the suite's installs copy from it.
    $script:SuiteRoot = New-TestFolder
    $script:Source = New-ProductSnapshot -Destination (Join-Path $script:SuiteRoot 'source') -Package 'hyco-https', 'ws', 'typescript', 'better-sqlite3'
    Enable-TestNodePath

    function Get-FakeIisSnapshot { $script:FakeIis | ConvertTo-Json -Depth 8 -Compress }
}

AfterAll {
    Disable-TestNodePath
    Remove-TestFolder -Path $script:SuiteRoot
    Remove-FakeIis
}

Describe 'Install-HybridConnectionManager.ps1, run after run on one server' {
    BeforeAll {
        $script:Root = New-TestFolder
        # A space in the path, as in "Program Files".
        $script:InstallPath = Join-Path $script:Root 'Program Files/HybridConnectionManager'
        $script:HcmHome = Join-Path $script:Root 'ProgramData/HybridConnectionManager'
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
        Register-FakeIisMock
        $script:PrimaryKey = New-TestKey
        $script:Primary = New-ConfigurationString -EntityPath 'sql-orders' -Key $script:PrimaryKey
        $script:Common = @{ InstallPath = $script:InstallPath; HcmHome = $script:HcmHome; SourcePath = $script:Source; VerifyTimeoutSeconds = 0 }
    }
    AfterAll { Remove-TestFolder -Path $script:Root }

    It 'installs the product, restricts HCM_HOME, creates both pools and sites, and verifies the connector' {
        $result = & $script:Install -ConfigurationString $script:Primary -SqlServer 'sql01' -Database 'Orders' -SqlCredential $script:Credential -Tables 'Orders', 'Customers' @script:Common

        $result.Connector | Should -Be 'MicrosoftSqlConnector_001'
        $result.AppPool | Should -Be 'HybridAppPool001'
        $result.Port | Should -Be 6569
        $result.HybridConnection | Should -Be 'sql-orders'
        $result.ManifestChanged | Should -BeTrue
        $result.Verified | Should -BeTrue
        @($result.Checks).Count | Should -Be 2
        $LASTEXITCODE | Should -Be 0

        Should -Invoke New-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridListenerAppPool' }
        Should -Invoke New-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridAppPool001' }
        Should -Invoke New-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter {
            $Name -eq 'MicrosoftAzureBizTalkHybridListener' -and $ApplicationPool -eq 'HybridListenerAppPool' -and $IPAddress -eq '127.0.0.1' -and $Port -eq 6568
        }
        Should -Invoke New-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter {
            $Name -eq 'MicrosoftSqlConnector_001' -and $ApplicationPool -eq 'HybridAppPool001' -and $IPAddress -eq '127.0.0.1' -and $Port -eq 6569 -and
            $PhysicalPath -eq (Join-Path $script:InstallPath 'sites/MicrosoftSqlConnector_001')
        }
    }

    It 'leaves every app pool NetworkService, No Managed Code, AlwaysRunning, never idle, never recycled' {
        foreach ($pool in @('HybridListenerAppPool', 'HybridAppPool001')) {
            $attributes = $script:FakeIis.Pools[$pool].Attributes
            $attributes['processModel/@identityType'] | Should -Be 'NetworkService'
            $attributes['@managedRuntimeVersion'] | Should -Be ''
            $attributes['@startMode'] | Should -Be 'AlwaysRunning'
            $attributes['processModel/@idleTimeout'] | Should -Be '00:00:00'
            $attributes['recycling/periodicRestart/@time'] | Should -Be '00:00:00'
            $attributes['failure/@rapidFailProtection'] | Should -Be 'True'
            $script:FakeIis.Pools[$pool].State | Should -Be 'Started'
        }
        Test-HcmAppPool -Name 'HybridAppPool001' | Should -BeTrue
    }

    It 'binds each site to loopback only, preloaded, with HCM_HOME and its name in its web.config' {
        $sites = @{ MicrosoftAzureBizTalkHybridListener = 6568; MicrosoftSqlConnector_001 = 6569 }
        foreach ($name in $sites.Keys) {
            $site = $script:FakeIis.Sites[$name]
            @($site.Bindings | Sort-Object) | Should -Be @($script:Loopback | ForEach-Object { "http/$($_):$($sites[$name]):" } | Sort-Object)
            $site.Attributes["application[@path='/']/@preloadEnabled"] | Should -Be 'True'
            $site.State | Should -Be 'Started'
            $settings = Get-HcmAppSetting -ConfigPath (Join-Path $script:InstallPath "sites/$name/web.config")
            $settings.HCM_HOME | Should -Be $script:HcmHome
            $settings.HCM_SITE_NAME | Should -Be $name
        }
    }

    It 'restricts HCM_HOME to administrators and NetworkService before any secret is written' {
        $homeAcl = $script:FakeIis.Acls[$script:HcmHome]
        $homeAcl.Protected | Should -BeTrue
        @($homeAcl.Rules | ForEach-Object { '{0}={1:x}' -f $_.Sid, $_.Rights } | Sort-Object) | Should -Be @('S-1-5-20=1200a9', 'S-1-5-32-544=1f01ff')
        $script:FakeIis.Acls[(Join-Path $script:HcmHome 'logs')].Rules[0].Sid | Should -Be 'S-1-5-20'
        @($script:FakeIis.AclLog | Where-Object { $_.ManifestExisted }).Count | Should -Be 0
        Test-HcmFolderAcl -Path $script:HcmHome -Rules @([pscustomobject]@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl' }, [pscustomobject]@{ Sid = 'S-1-5-20'; Rights = 'ReadAndExecute' }) -Protect | Should -BeTrue
    }

    It 'copies the build, production node_modules only (no dev, no optional), and an hcm.cmd shim' {
        Test-Path (Join-Path $script:InstallPath 'dist/src/cli/main.js') | Should -BeTrue
        Test-Path (Join-Path $script:InstallPath 'sites/MicrosoftAzureBizTalkHybridListener/server.js') | Should -BeTrue
        @(Get-ChildItem (Join-Path $script:InstallPath 'node_modules') -Name | Sort-Object) | Should -Be @('hyco-https', 'ws')
        (Get-FileHash (Join-Path $script:InstallPath 'node_modules/ws/package.json')).Hash | Should -Be (Get-FileHash (Join-Path $script:RepoRoot 'node_modules/ws/package.json')).Hash
        Get-Content (Join-Path $script:InstallPath 'hcm.cmd') -Raw | Should -Match ([regex]::Escape('"%~dp0bin\hcm.js" %*'))
        # The installed hcm runs (its other packages come through NODE_PATH in this test).
        $list = Invoke-HcmCli -InstallPath $script:InstallPath -Arguments 'list' -HcmHome $script:HcmHome
        $list.connectors[0].database | Should -Be 'Orders'
        $list.connectors[0].server | Should -Be 'sql01,1433'
    }

    It 'hands the SQL password and the key to hcm setup without putting them on a command line' {
        $manifest = Read-TestManifest -HcmHome $script:HcmHome
        $manifest.connectors[0].settings.user | Should -Be 'orders_app'
        $manifest.connectors[0].settings.password | Should -Be $script:Password
        $manifest.connectors[0].settings.tables | Should -Be @('Orders', 'Customers')
        $manifest.connectors[0].hybridConnection.key | Should -Be $script:PrimaryKey
        # ...while the command line holds neither the password nor the key (they go by environment and stdin).
        $arguments = (Get-Module HybridConnectionManager).Invoke({ param($o) ConvertTo-HcmSetupArgument -Options $o }, @{ ConfigurationString = $script:Primary; SqlCredential = $script:Credential; SqlServer = 'sql01'; Tables = @('Orders', 'Customers'); Encrypt = [switch] $true }) -join ' '
        $arguments | Should -Be 'setup --config-string-stdin --sql-server sql01 --tables Orders,Customers --user orders_app --encrypt'
        $arguments | Should -Not -Match ([regex]::Escape($script:Password))
        $arguments | Should -Not -Match ([regex]::Escape($script:PrimaryKey))
    }

    It 'changes nothing when run again with the same string' {
        $manifestBefore = Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw
        $iisBefore = Get-FakeIisSnapshot
        $result = & $script:Install -ConfigurationString $script:Primary -SqlServer 'sql01' -Database 'Orders' -SqlCredential $script:Credential -Tables 'Orders', 'Customers' @script:Common

        $result.ManifestChanged | Should -BeFalse
        @($result.Changes) | Should -BeNullOrEmpty
        $result.Verified | Should -BeTrue
        foreach ($command in @('New-WebAppPool', 'New-Website', 'Set-WebConfigurationProperty', 'Set-WebConfiguration', 'Register-ScheduledTask', 'New-WebBinding', 'Remove-WebBinding', 'Set-Acl', 'Start-WebAppPool', 'Start-Website', 'Remove-WebAppPool', 'Remove-Website')) {
            Should -Invoke $command -ModuleName HybridConnectionManager -Times 0 -Exactly
        }
        Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw | Should -BeExactly $manifestBefore
        Get-FakeIisSnapshot | Should -BeExactly $iisBefore
    }

    It 'switches to the Secondary key in place: same site, pool and port, nothing else changed' {
        $secondaryKey = New-TestKey
        $result = & $script:Install -ConfigurationString (New-ConfigurationString -EntityPath 'sql-orders' -Key $secondaryKey -KeyName 'listen2') @script:Common

        $result.Connector | Should -Be 'MicrosoftSqlConnector_001'
        $result.AppPool | Should -Be 'HybridAppPool001'
        $result.Port | Should -Be 6569
        $result.ManifestChanged | Should -BeTrue
        @($result.Changes) | Should -BeNullOrEmpty
        Should -Invoke Set-WebConfigurationProperty -ModuleName HybridConnectionManager -Times 0 -Exactly
        Should -Invoke New-Website -ModuleName HybridConnectionManager -Times 0 -Exactly
        $manifest = Read-TestManifest -HcmHome $script:HcmHome
        @($manifest.connectors).Count | Should -Be 1
        $manifest.connectors[0].hybridConnection.key | Should -Be $secondaryKey
        $manifest.connectors[0].hybridConnection.keyName | Should -Be 'listen2'
        $manifest.connectors[0].settings.database | Should -Be 'Orders'
    }

    It 'shows with -WhatIf what a new connector would change, and changes nothing' {
        $manifestBefore = Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw
        $iisBefore = Get-FakeIisSnapshot
        $result = & $script:Install -ConfigurationString (New-ConfigurationString -EntityPath 'sql-inventory') -Database 'Inventory' -WhatIf @script:Common

        $result.Connector | Should -BeNullOrEmpty
        $result.Verified | Should -BeNullOrEmpty
        foreach ($command in @('New-WebAppPool', 'New-Website', 'Set-WebConfigurationProperty', 'New-WebBinding', 'Set-Acl', 'Start-WebAppPool')) {
            Should -Invoke $command -ModuleName HybridConnectionManager -Times 0 -Exactly
        }
        Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw | Should -BeExactly $manifestBefore
        Get-FakeIisSnapshot | Should -BeExactly $iisBefore
        Test-Path (Join-Path $script:InstallPath 'sites/MicrosoftSqlConnector_002') | Should -BeFalse
    }

    It 'puts back what someone changed by hand (a pool identity, a binding, a stopped pool and site), and only that' {
        $script:FakeIis.Pools['HybridAppPool001'].Attributes['processModel/@identityType'] = 'ApplicationPoolIdentity'
        [void] $script:FakeIis.Sites['MicrosoftSqlConnector_001'].Bindings.Add('http/*:6569:')
        $script:FakeIis.Pools['HybridAppPool001'].State = 'Stopped'
        $script:FakeIis.Sites['MicrosoftAzureBizTalkHybridListener'].State = 'Stopped'
        $result = & $script:Install -ConfigurationString $script:Primary @script:Common

        Should -Invoke Set-WebConfigurationProperty -ModuleName HybridConnectionManager -Times 1 -Exactly
        Should -Invoke Set-WebConfigurationProperty -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'identityType' -and $Value -eq 'NetworkService' -and $Filter[0] -like "*add``[@name='HybridAppPool001'``]/processModel" }
        Should -Invoke Remove-WebBinding -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'MicrosoftSqlConnector_001' -and $BindingInformation -eq '*:6569:' }
        Should -Invoke Start-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridAppPool001' }
        Should -Invoke Start-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'MicrosoftAzureBizTalkHybridListener' }
        Should -Invoke Start-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly
        Should -Invoke Start-Website -ModuleName HybridConnectionManager -Times 1 -Exactly
        @($result.Changes | ForEach-Object { "$($_.Resource) $($_.Name)" } | Sort-Object) | Should -Be @('AppPool HybridAppPool001', 'SiteBinding MicrosoftSqlConnector_001', 'SiteState MicrosoftAzureBizTalkHybridListener', 'SiteState MicrosoftSqlConnector_001')
        Test-HcmSiteBinding -Name 'MicrosoftSqlConnector_001' -Port 6569 | Should -BeTrue
        $result.Verified | Should -BeTrue
    }

    It 'says exactly why the connector is not verified, and exits 1' {
        $script:FakeIis.Connections['sql-orders'] = 'Connecting'
        $script:FakeIis.Http['MicrosoftSqlConnector_001'] = [pscustomobject]@{ StatusCode = 500; Body = '<h3>HTTP Error 500.1002 - Internal Server Error</h3>'; Error = '' }
        try {
            $output = & $script:Install -ConfigurationString $script:Primary @script:Common 3>&1
            $LASTEXITCODE | Should -Be 1
            $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $result = $output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }
            $result.Verified | Should -BeFalse
            $root = $result.Checks | Where-Object Name -eq 'MicrosoftSqlConnector_001 answers 403.14'
            $root.Detail | Should -Match 'answered 500 instead of 403\.14: HTTP Error 500\.1002'
            $connected = $result.Checks | Where-Object Name -eq 'sql-orders Connected'
            $connected.Detail | Should -Match 'as Connecting: getaddrinfo ENOTFOUND'
            $warnings.Count | Should -Be 2
            $warnings[1].Message | Should -Match 'Check outbound HTTPS \(443\)'
        }
        finally {
            $script:FakeIis.Connections.Clear()
            $script:FakeIis.Http.Clear()
        }
    }

    It 'stops with hcm setup''s own message on a legacy ACS string, changing nothing' {
        $manifestBefore = Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw
        $acs = 'Endpoint=sb://contoso.servicebus.windows.net/;SharedSecretIssuer=owner;SharedSecretValue={0};EntityPath=sql-legacy' -f (New-TestKey)
        { & $script:Install -ConfigurationString $acs @script:Common } | Should -Throw -ErrorId 'HcmInstallFailed' -ExpectedMessage "*step 'hcm setup': hcm setup failed (exit code 2): *2018-11-07*Nothing had been created*"
        Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw | Should -BeExactly $manifestBefore
        foreach ($command in @('New-WebAppPool', 'New-Website', 'Set-WebConfigurationProperty', 'Remove-WebAppPool', 'Remove-Website')) {
            Should -Invoke $command -ModuleName HybridConnectionManager -Times 0 -Exactly
        }
    }

    It 'undoes what a failing run created and leaves the existing installation as it was' {
        Mock New-Website -ModuleName HybridConnectionManager -ParameterFilter { $Name -eq 'MicrosoftSqlConnector_002' } {
            throw 'The process cannot access the file because it is being used by another process. (Exception from HRESULT: 0x80070020)'
        }
        $manifestBefore = Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw
        { & $script:Install -ConfigurationString (New-ConfigurationString -EntityPath 'sql-inventory') -Database 'Inventory' @script:Common } |
            Should -Throw -ErrorId 'HcmInstallFailed' -ExpectedMessage "*step 'site MicrosoftSqlConnector_002'*0x80070020*removed AppPool HybridAppPool002*"

        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly
        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridAppPool002' }
        Should -Invoke Remove-Website -ModuleName HybridConnectionManager -Times 0 -Exactly
        $script:FakeIis.Pools.Keys | Sort-Object | Should -Be @('HybridAppPool001', 'HybridListenerAppPool')
        $script:FakeIis.Sites.Keys | Sort-Object | Should -Be @('MicrosoftAzureBizTalkHybridListener', 'MicrosoftSqlConnector_001')
        Test-Path (Join-Path $script:InstallPath 'sites/MicrosoftSqlConnector_002') | Should -BeFalse
        Get-Content (Join-Path $script:HcmHome 'hcm.json') -Raw | Should -BeExactly $manifestBefore
    }

    # -ImportFrom and -Proxy on the installation above (no second product copy: each costs seconds).
    It 'imports an export''s connectors (skipping the hybrid connection it has), installs their sites, and stores the proxy with -ProxyCredential''s password' {
        $first = Join-Path $script:Root 'first-server'
        [void] (Invoke-TestHcm -HcmHome $first -Arguments @('setup', '--config-string', (New-ConfigurationString -EntityPath 'sql-orders')))
        $stockKey = New-TestKey
        [void] (Invoke-TestHcm -HcmHome $first -Arguments @('setup', '--config-string', (New-ConfigurationString -EntityPath 'sql-stock' -Key $stockKey)))
        $file = Join-Path $script:Root 'export.bin'
        $passphrase = 'a passphrase for the second server'
        [void] (Invoke-TestHcm -HcmHome $first -Arguments @('export', '--to', $file) -InputText $passphrase)
        $proxyCredential = New-Object System.Management.Automation.PSCredential('svc', (ConvertTo-SecureString 'Pr0xy-secret' -AsPlainText -Force))

        $output = & $script:Install -ImportFrom $file -ImportPassphrase (ConvertTo-SecureString $passphrase -AsPlainText -Force) -Proxy 'http://proxy.corp.local:3128' -ProxyCredential $proxyCredential @script:Common 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $result = $output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }

        $result.Connector | Should -Be 'MicrosoftSqlConnector_002'
        $result.HybridConnection | Should -Be 'sql-stock'
        @($warnings | Where-Object { $_.Message -match 'Skipped .*sql-orders.*already serves it' }).Count | Should -Be 1
        Should -Invoke New-Website -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'MicrosoftSqlConnector_002' -and $Port -eq [int] $result.Port }
        $manifest = Read-TestManifest -HcmHome $script:HcmHome
        ($manifest.connectors | Where-Object { $_.site -eq 'MicrosoftSqlConnector_002' }).hybridConnection.key | Should -Be $stockKey
        $manifest.proxy.url | Should -Be 'http://proxy.corp.local:3128'
        $manifest.proxy.username | Should -Be 'svc'
        $manifest.proxy.password | Should -Be 'Pr0xy-secret'
        ($output | Out-String) | Should -Not -Match 'Pr0xy-secret'
    }

    It 'refuses both -ConfigurationString and -ImportFrom before changing anything' {
        { & $script:Install -ConfigurationString $script:Primary -ImportFrom (Join-Path $script:Root 'export.bin') @script:Common } | Should -Throw -ErrorId 'HcmInvalidArgument*'
    }
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

Describe 'Install-HybridConnectionManager.ps1 failing during a first installation' {
    BeforeAll {
        $script:Root = New-TestFolder
        $script:InstallPath = Join-Path $script:Root 'HybridConnectionManager'
        $script:HcmHome = Join-Path $script:Root 'home'
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
        Register-FakeIisMock
    }
    AfterAll { Remove-TestFolder -Path $script:Root }

    It 'changes nothing on a fresh server with -WhatIf' {
        & $script:Install -ConfigurationString (New-ConfigurationString) -InstallPath $script:InstallPath -HcmHome $script:HcmHome -SourcePath $script:Source -VerifyTimeoutSeconds 0 -WhatIf | Out-Null
        Test-Path $script:InstallPath | Should -BeFalse
        Test-Path $script:HcmHome | Should -BeFalse
        foreach ($command in @('New-WebAppPool', 'New-Website', 'Set-WebConfigurationProperty', 'Set-Acl')) {
            Should -Invoke $command -ModuleName HybridConnectionManager -Times 0 -Exactly
        }
    }

    It 'removes the pool, the manifest, HCM_HOME and the product folder it created' {
        Mock New-Website -ModuleName HybridConnectionManager -ParameterFilter { $Name -eq 'MicrosoftAzureBizTalkHybridListener' } {
            throw "Cannot create a file when that file already exists. (Exception from HRESULT: 0x800700B7)"
        }
        { & $script:Install -ConfigurationString (New-ConfigurationString) -InstallPath $script:InstallPath -HcmHome $script:HcmHome -SourcePath $script:Source -VerifyTimeoutSeconds 0 } |
            Should -Throw -ErrorId 'HcmInstallFailed' -ExpectedMessage "*step 'site MicrosoftAzureBizTalkHybridListener'*"

        Should -Invoke Remove-WebAppPool -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Name -eq 'HybridListenerAppPool' }
        Should -Invoke New-WebAppPool -ModuleName HybridConnectionManager -Times 0 -Exactly -ParameterFilter { $Name -eq 'HybridAppPool001' }
        $script:FakeIis.Pools.Count | Should -Be 0
        $script:FakeIis.Sites.Count | Should -Be 0
        Test-Path $script:HcmHome | Should -BeFalse
        Test-Path $script:InstallPath | Should -BeFalse
        Test-Path $script:Source | Should -BeTrue
    }
}
