# The module's contract and building blocks: help on everything public, approved verbs, nothing
# that Windows PowerShell 5.1 cannot parse, every IIS/Windows cmdlet it calls declared in the stub
# module, command-line quoting for 5.1, the HTTP probe against a real server, web.config editing,
# the production package list, and the folder ACL's Test/Set.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Module = Get-Module HybridConnectionManager
    $script:EntryScripts = @('Install-HybridConnectionManager.ps1', 'Uninstall-HybridConnectionManager.ps1', 'Test-HybridConnectionManager.ps1') | ForEach-Object { Join-Path $script:ScriptsFolder $_ }
    $script:ShippedFiles = @(Get-ChildItem -LiteralPath $script:ScriptsFolder -Recurse -Include '*.ps1', '*.psm1', '*.psd1' -File)
    $script:Root = New-TestFolder
}

AfterAll {
    Remove-TestFolder -Path $script:Root
    Remove-FakeIis
}

Describe 'the HybridConnectionManager module' {
    It 'exports exactly the functions its manifest lists, each with an approved verb' {
        $manifest = Import-PowerShellDataFile -LiteralPath $script:ModuleManifest
        @((Get-Command -Module HybridConnectionManager).Name | Sort-Object) | Should -Be @($manifest.FunctionsToExport | Sort-Object)
        $approved = @(Get-Verb | ForEach-Object Verb)
        @((Get-Command -Module HybridConnectionManager).Verb | Where-Object { $approved -notcontains $_ }) | Should -BeNullOrEmpty
        @($script:Module.Invoke({ Get-Command -CommandType Function | Where-Object { $_.Module -and $_.Module.Name -eq 'HybridConnectionManager' } }).Verb | Where-Object { $approved -notcontains $_ }) | Should -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
    }

    It 'has comment-based help with a synopsis, a description, an example and every parameter for <Name>' -ForEach @(
        (Get-Command -Module HybridConnectionManager | ForEach-Object { @{ Name = $_.Name } }) +
        @(@('Install-HybridConnectionManager.ps1', 'Uninstall-HybridConnectionManager.ps1', 'Test-HybridConnectionManager.ps1') | ForEach-Object { @{ Name = $_ } })
    ) {
        $target = if ($Name -like '*.ps1') { Join-Path $script:ScriptsFolder $Name } else { $Name }
        $help = Get-Help $target -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$($Name)*[<CommonParameters>]*"
        (@($help.description) | Out-String).Trim().Length | Should -BeGreaterThan 10
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $command = Get-Command $target
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in @($command.Parameters.Keys | Where-Object { $common -notcontains $_ })) {
            $described = @($help.parameters.parameter | Where-Object { $_.name -eq $parameter -and (($_.description | Out-String).Trim()) })
            $described.Count | Should -Be 1 -Because "parameter -$parameter of $Name needs a .PARAMETER description"
        }
    }

    It 'uses no syntax Windows PowerShell 5.1 lacks (?:, ??, ?., &&, ||, -Parallel, clean, -AsHashtable) in <Name>' -ForEach @(
        Get-ChildItem -LiteralPath (Join-Path (Join-Path $PSScriptRoot '../..') 'scripts') -Recurse -Include '*.ps1', '*.psm1' -File | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
    ) {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $found = @($ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.TernaryExpressionAst] -or
                    $node -is [System.Management.Automation.Language.PipelineChainAst] -or
                    ($node -is [System.Management.Automation.Language.BinaryExpressionAst] -and $node.Operator -eq 'QuestionQuestion') -or
                    ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Operator -eq 'QuestionQuestionEquals') -or
                    ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.NullConditional) -or
                    ($node -is [System.Management.Automation.Language.IndexExpressionAst] -and $node.NullConditional) -or
                    ($node -is [System.Management.Automation.Language.CommandParameterAst] -and $node.ParameterName -in @('Parallel', 'AsHashtable', 'SkipHttpErrorCheck')) -or
                    ($node -is [System.Management.Automation.Language.NamedBlockAst] -and [string] $node.BlockKind -eq 'Clean')
                }, $true) | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Extent.Text)" })
        $found | Should -BeNullOrEmpty
    }

    It 'calls no IIS or Windows cmdlet that the stub module does not declare, and the stubs are all used' {
        $stubbed = @((Get-Command -Module IisWindowsStubs, ScheduledTaskStubs).Name | Where-Object { @('Stop-UnmockedCall', 'Stop-UnmockedTaskCall') -notcontains $_ })
        # The module's functions, and those a shipped script defines for itself (the watchdog script imports nothing).
        $own = @($script:Module.Invoke({ Get-Command -CommandType Function | Where-Object { $_.Module -and $_.Module.Name -eq 'HybridConnectionManager' } }).Name) +
            @($script:ShippedFiles | ForEach-Object { [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref] $null, [ref] $null).FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true).Name })
        $called = @($script:ShippedFiles | ForEach-Object {
                [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref] $null, [ref] $null).FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
                    ForEach-Object { $_.GetCommandName() }
            } | Where-Object { $_ } | Sort-Object -Unique)
        $unknown = @($called | Where-Object {
                $name = $_
                $own -notcontains $name -and $stubbed -notcontains $name -and
                @(Get-Command -Name $name -All -ErrorAction SilentlyContinue | Where-Object { $_.ModuleName -notin @('IisWindowsStubs', 'ScheduledTaskStubs', 'HybridConnectionManager') }).Count -eq 0
            })
        $unknown | Should -BeNullOrEmpty -Because 'a command that exists neither on Linux nor in the stubs cannot be mocked'
        @($stubbed | Where-Object { $called -notcontains $_ }) | Should -BeNullOrEmpty -Because 'every stub stands for a cmdlet the module calls'
    }

    It 'throws only error ids of its catalogue, each one used and listed in the README' {
        $catalogue = @($script:Module.Invoke({ $script:HcmErrorIds.Keys }) | Sort-Object)
        $used = @($script:ShippedFiles | ForEach-Object { [regex]::Matches((Get-Content -LiteralPath $_.FullName -Raw), '-ErrorId\s+(\w+)') | ForEach-Object { $_.Groups[1].Value } } | Sort-Object -Unique)
        $used | Should -Be $catalogue
        $readme = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'README.md') -Raw
        foreach ($id in $catalogue) { $readme | Should -Match ([regex]::Escape("``$id``")) }
    }

    It 'declares the stubs with the real cmdlets'' parameters' {
        (Get-Command New-Website).Parameters['Port'].ParameterType | Should -Be ([uint32])
        (Get-Command Get-WebConfigurationProperty).Parameters['Filter'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Position | Should -Be 0
        @((Get-Command Set-WebConfigurationProperty).ParameterSets.Name | Sort-Object) | Should -Be @('InputObject', 'InputPSObject')
        @((Get-Command Remove-WebBinding).ParameterSets.Name | Sort-Object) | Should -Be @('InputBindingInformation', 'InputBindingProperties', 'InputObject')
        (Get-Command Set-Acl).Parameters['LiteralPath'].Aliases | Should -Contain 'PSPath'
        (Get-Command Get-WinEvent).Parameters['FilterHashtable'].ParameterType | Should -Be ([hashtable[]])
        { New-WebAppPool -Name 'x' } | Should -Throw '*stub of an IIS/Windows cmdlet*'
    }
}

Describe 'command-line quoting for Windows PowerShell 5.1 (ProcessStartInfo.Arguments)' {
    It 'quotes <Value> as <Expected>' -ForEach @(
        @{ Value = 'plain'; Expected = 'plain' }
        @{ Value = ''; Expected = '""' }
        @{ Value = 'two words'; Expected = '"two words"' }
        @{ Value = 'SELECT COUNT(*) FROM "Orders" WHERE Total > 0'; Expected = '"SELECT COUNT(*) FROM \"Orders\" WHERE Total > 0"' }
        @{ Value = 'C:\Program Files\HybridConnectionManager\'; Expected = '"C:\Program Files\HybridConnectionManager\\"' }
        @{ Value = 'a\"b c'; Expected = '"a\\\"b c"' }
        @{ Value = 'C:\no\spaces\'; Expected = 'C:\no\spaces\' }
    ) {
        $script:Module.Invoke({ param($v) ConvertTo-HcmCommandLineArgument -Argument $v }, $Value) | Should -BeExactly $Expected
    }
}

Describe 'Invoke-HcmSiteRequest and the verification checks, against a real HTTP server' {
    BeforeAll {
        # Two loopback servers on free ports: a healthy connector + listener, and a broken one.
        $server = @'
const http = require('http');
const healthy = http.createServer((req, res) => {
  if (req.url === '/status') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ hybridConnections: [{ name: 'sql-orders', connector: 'MicrosoftSqlConnector_001', state: 'Connected', since: '', lastError: null, requests: { total: 0, failed: 0 } }] })); return; }
  res.statusCode = 403; res.end('<html><h3>HTTP Error 403.14 - Forbidden</h3><p>The Web server is configured to not list the contents of this directory.</p></html>');
});
const broken = http.createServer((req, res) => {
  if (req.url === '/status') { res.end(JSON.stringify({ hybridConnections: [{ name: 'sql-orders', connector: 'MicrosoftSqlConnector_001', state: 'Reconnecting', lastError: 'connect ETIMEDOUT 13.69.0.1:443' }] })); return; }
  res.statusCode = 500; res.end('<h3>HTTP Error 500.1002 - Internal Server Error</h3>');
});
healthy.listen(0, '127.0.0.1', () => broken.listen(0, '127.0.0.1', () => console.log(healthy.address().port + ' ' + broken.address().port)));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
'@
        $startInfo = New-Object System.Diagnostics.ProcessStartInfo((Get-Command node -CommandType Application | Select-Object -First 1).Source)
        $startInfo.ArgumentList.Add('-e')
        $startInfo.ArgumentList.Add($server)
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardInput = $true
        $startInfo.UseShellExecute = $false
        $script:Server = [System.Diagnostics.Process]::Start($startInfo)
        $script:Healthy, $script:Broken = ($script:Server.StandardOutput.ReadLine() -split ' ') | ForEach-Object { [int] $_ }
        # A port nothing listens on: bind one, note it, let it go.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $script:Closed = $listener.LocalEndpoint.Port
        $listener.Stop()
    }
    AfterAll {
        if ($script:Server -and -not $script:Server.HasExited) { $script:Server.StandardInput.Close(); if (-not $script:Server.WaitForExit(5000)) { $script:Server.Kill() } }
    }

    It 'returns the status and body of an answer, errors included' {
        $answer = Invoke-HcmSiteRequest -Port $script:Healthy -Path '/'
        $answer.StatusCode | Should -Be 403
        $answer.Body | Should -Match '403\.14'
        (Invoke-HcmSiteRequest -Port $script:Broken -Path '/').StatusCode | Should -Be 500
    }

    It 'returns status 0 and the reason when nothing listens' {
        $answer = Invoke-HcmSiteRequest -Port $script:Closed -Path '/'
        $answer.StatusCode | Should -Be 0
        $answer.Error | Should -Match 'refused'
    }

    It 'passes both checks against a connector answering 403.14 and a Connected listener' {
        $checks = @(Wait-HcmConnectorReady -Connector 'MicrosoftSqlConnector_001' -ConnectorPort $script:Healthy -ListenerPort $script:Healthy -HybridConnection 'sql-orders' -TimeoutSeconds 0)
        @($checks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
    }

    It 'says why not: a 500 instead of 403.14, a Reconnecting listener with its last error, nothing listening' {
        $checks = @(Wait-HcmConnectorReady -Connector 'MicrosoftSqlConnector_001' -ConnectorPort $script:Broken -ListenerPort $script:Broken -HybridConnection 'sql-orders' -TimeoutSeconds 0)
        $checks[0].Detail | Should -Be "http://127.0.0.1:$($script:Broken)/ answered 500 instead of 403.14: HTTP Error 500.1002 - Internal Server Error"
        $checks[1].Detail | Should -Be 'the listener reports sql-orders as Reconnecting: connect ETIMEDOUT 13.69.0.1:443'
        $unknown = @(Wait-HcmConnectorReady -Connector 'MicrosoftSqlConnector_001' -ConnectorPort $script:Closed -ListenerPort $script:Healthy -HybridConnection 'sql-missing' -TimeoutSeconds 0)
        $unknown[0].Detail | Should -BeLike "http://127.0.0.1:$($script:Closed)/ could not be reached: *refused*"
        $unknown[1].Detail | Should -Be 'the listener does not list sql-missing (yet)'
    }
}

Describe 'web.config appSettings (Get/Test/Set-HcmAppSetting)' {
    BeforeEach {
        $script:Config = Join-Path $script:Root 'web.config'
        Set-Content -LiteralPath $script:Config -Value @'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <!-- written by the provisioner -->
    <add key="HCM_HOME" value="C:\ProgramData\HybridConnectionManager" />
    <add key="OTHER" value="kept" />
  </appSettings>
  <system.webServer><iisnode loggingEnabled="false" /></system.webServer>
</configuration>
'@
    }

    It 'updates and adds only the keys given, keeping comments, other keys and other sections' {
        $change = Set-HcmAppSetting -ConfigPath $script:Config -Settings @{ HCM_HOME = 'D:\hcm'; HCM_SITE_NAME = 'MicrosoftSqlConnector_001' }
        $change.Action | Should -Be 'Updated'
        @($change.Changes | Sort-Object) | Should -Be @('HCM_HOME', 'HCM_SITE_NAME')
        $settings = Get-HcmAppSetting -ConfigPath $script:Config
        $settings.HCM_HOME | Should -Be 'D:\hcm'
        $settings.HCM_SITE_NAME | Should -Be 'MicrosoftSqlConnector_001'
        $settings.OTHER | Should -Be 'kept'
        $text = Get-Content -LiteralPath $script:Config -Raw
        $text | Should -Match '<!-- written by the provisioner -->'
        $text | Should -Match '<iisnode loggingEnabled="false" />'
    }

    It 'does nothing (not even a write) when the values already match, and nothing with -WhatIf' {
        $settings = @{ HCM_HOME = 'C:\ProgramData\HybridConnectionManager' }
        Test-HcmAppSetting -ConfigPath $script:Config -Settings $settings | Should -BeTrue
        $before = (Get-Item -LiteralPath $script:Config).LastWriteTimeUtc
        (Set-HcmAppSetting -ConfigPath $script:Config -Settings $settings).Action | Should -Be 'None'
        (Get-Item -LiteralPath $script:Config).LastWriteTimeUtc | Should -Be $before
        Set-HcmAppSetting -ConfigPath $script:Config -Settings @{ HCM_HOME = 'D:\elsewhere' } -WhatIf | Out-Null
        (Get-HcmAppSetting -ConfigPath $script:Config).HCM_HOME | Should -Be 'C:\ProgramData\HybridConnectionManager'
    }

    It 'creates the section, and the file, when missing' {
        Remove-Item -LiteralPath $script:Config
        Set-HcmAppSetting -ConfigPath $script:Config -Settings @{ HCM_SITE_NAME = 'MicrosoftAzureBizTalkHybridListener' } | Out-Null
        (Get-HcmAppSetting -ConfigPath $script:Config).HCM_SITE_NAME | Should -Be 'MicrosoftAzureBizTalkHybridListener'
        ([xml] (Get-Content -LiteralPath $script:Config -Raw)).configuration.appSettings.add.key | Should -Be 'HCM_SITE_NAME'
    }
}

Describe 'the product copy' {
    It 'takes production packages from package-lock.json: no dev, no optional (the stand-ins'' native module)' {
        $packages = @($script:Module.Invoke({ param($p) Get-HcmProductionPackage -SourcePath $p }, $script:RepoRoot))
        foreach ($wanted in @('hyco-https', 'express', 'mssql', 'tedious', 'pino', 'ws', 'node-sql-parser')) { $packages | Should -Contain "node_modules/$wanted" }
        foreach ($unwanted in @('typescript', 'eslint', 'better-sqlite3', 'supertest', 'fast-check')) { $packages | Should -Not -Contain "node_modules/$unwanted" }
        @($packages | Where-Object { $_ -match '/node_modules/' }) | Should -BeNullOrEmpty
    }

    It 'refuses a folder without a build, naming what is missing and what to run' {
        $empty = Join-Path $script:Root 'not-built'
        [void] (New-Item -ItemType Directory -Path $empty -Force)
        { Set-HcmProduct -SourcePath $empty -InstallPath (Join-Path $script:Root 'x') -NodePath 'node' } |
            Should -Throw -ErrorId 'HcmSourceInvalid' -ExpectedMessage "*(dist/src/cli/main.js, bin/hcm.js, package-lock.json*missing): run 'npm ci' there*"
        Test-Path (Join-Path $script:Root 'x') | Should -BeFalse
    }
}

Describe 'folder ACLs (Get/Test/Set-HcmFolderAcl)' {
    BeforeAll {
        Register-FakeIisMock
        $script:FakeIis = New-FakeIis -HcmHome $script:Root
        $script:Rules = @([pscustomobject]@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl' }, [pscustomobject]@{ Sid = 'S-1-5-20'; Rights = 'ReadAndExecute' })
    }

    It 'replaces inherited access and extra accounts with exactly administrators and NetworkService, then leaves it alone' {
        # As %ProgramData% gives it: inherited, Users may read, plus an explicit extra account.
        $script:FakeIis.Acls[$script:Root] = @{ Protected = $false; Rules = @(@{ Sid = 'S-1-5-32-545'; Rights = 0x1200a9 }, @{ Sid = 'S-1-5-32-544'; Rights = 0x1f01ff }) }
        Test-HcmFolderAcl -Path $script:Root -Rules $script:Rules -Protect | Should -BeFalse
        (Set-HcmFolderAcl -Path $script:Root -Rules $script:Rules -Protect).Changes | Should -Be @('D:PAI(A;OICI;0x1f01ff;;;S-1-5-32-544)(A;OICI;0x1200a9;;;S-1-5-20)')
        Should -Invoke Set-Acl -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $LiteralPath[0] -eq $script:Root -and $AclObject.Sddl -like 'D:PAI*' }
        Test-HcmFolderAcl -Path $script:Root -Rules $script:Rules -Protect | Should -BeTrue
        (Set-HcmFolderAcl -Path $script:Root -Rules $script:Rules -Protect).Action | Should -Be 'None'
        Should -Invoke Set-Acl -ModuleName HybridConnectionManager -Times 1 -Exactly
    }

    It 'does not count a folder that still inherits as restricted' {
        $script:FakeIis.Acls[$script:Root] = @{ Protected = $false; Rules = @(@{ Sid = 'S-1-5-32-544'; Rights = 0x1f01ff }, @{ Sid = 'S-1-5-20'; Rights = 0x1200a9 }) }
        Test-HcmFolderAcl -Path $script:Root -Rules $script:Rules -Protect | Should -BeFalse
        Test-HcmFolderAcl -Path $script:Root -Rules $script:Rules | Should -BeTrue
    }
}
