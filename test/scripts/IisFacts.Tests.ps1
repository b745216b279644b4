# The IIS facts the strict fake is built on, and what they say about the shipped web.config files
# and the provisioner's applicationHost.config writes: re-derived from ../shared/reference/iis-schema
# (IIS 10's own schema files and applicationHost.config), never typed by hand.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    . (Join-Path $PSScriptRoot 'helpers/IisFacts.ps1')
    $script:SchemaFolder = [System.IO.Path]::GetFullPath((Join-Path $script:RepoRoot '../shared/reference/iis-schema'))
    $script:Module = Get-Module HybridConnectionManager
    $script:Unlocked = @($script:Module.Invoke({ $script:SiteUnlockedSections }))
    $script:SiteConfigs = @(Get-ChildItem -LiteralPath (Join-Path $script:RepoRoot 'sites') -Directory | ForEach-Object { Join-Path $_.FullName 'web.config' } | Where-Object { Test-Path -LiteralPath $_ })
    $script:Root = New-TestFolder
    function New-Config([string] $Name, [string] $Body) {
        $path = Join-Path $script:Root $Name
        Set-Content -LiteralPath $path -Value "<?xml version=`"1.0`" encoding=`"utf-8`"?>`n<configuration>$Body</configuration>"
        return $path
    }
}

AfterAll {
    Remove-TestFolder -Path $script:Root
    Remove-FakeIis
}

Describe 'the IIS facts file (scripts/HybridConnectionManager/Data/iis-facts.json)' {
    It 're-derives, byte for byte, from the reference schema folder' {
        if (-not (Test-Path -LiteralPath $script:SchemaFolder)) {
            Write-Host "*** $script:SchemaFolder is absent: the facts file was NOT compared with IIS's schema files (CI has the folder). ***"
            Set-ItResult -Skipped -Because "$script:SchemaFolder is absent"
            return
        }
        $derived = (ConvertTo-HcmIisFactsJson -Facts (ConvertTo-HcmIisFacts -SchemaFolder $script:SchemaFolder)) + "`n"
        [System.IO.File]::ReadAllText($global:HcmIisFactsPath) | Should -BeExactly $derived -Because 'the committed facts must be what the schema files say (regenerate with test/scripts/update-iis-facts.ps1)'
    }

    It 'knows every section the shipped web.config files use; the installer unlocks exactly the locked ones' {
        $used = @($script:SiteConfigs | ForEach-Object { Get-HcmIisConfigSection -Element ([xml] (Get-Content -LiteralPath $_ -Raw)).DocumentElement } | ForEach-Object Name | Sort-Object -Unique)
        @($used | Where-Object { $null -eq (Get-HcmIisSectionFact -Name $_) }) | Should -BeNullOrEmpty
        @($used | Where-Object { (Get-HcmIisSectionFact -Name $_).overrideModeDefault -eq 'Deny' }) | Should -Be $script:Unlocked
        (Get-HcmIisSectionFact -Name 'system.webServer/handlers').overrideModeDefault | Should -Be 'Deny'
    }

    It 'accepts <Name> at its site root with only the installer''s unlock' -ForEach @(
        Get-ChildItem -LiteralPath (Join-Path (Join-Path $PSScriptRoot '../..') 'sites') -Directory | Where-Object { Test-Path (Join-Path $_.FullName 'web.config') } | ForEach-Object { @{ Name = "sites/$($_.Name)/web.config"; Path = Join-Path $_.FullName 'web.config' } }
    ) {
        @(Test-HcmIisWebConfig -Path $Path -AtApplicationRoot -UnlockedSections $script:Unlocked | ForEach-Object Message) | Should -BeNullOrEmpty
        # Without the unlock, a default IIS 10 answers 500.19 on every request (point 1 of the issue).
        @(Test-HcmIisWebConfig -Path $Path -AtApplicationRoot | ForEach-Object HResult) | Should -Be @('0x80070021')
    }

    It 'refuses what IIS refuses: <Case>' -ForEach @(
        @{ Case = 'webSocket, unlocked only by the iisnode MSI''s side effect'; Body = '<system.webServer><webSocket enabled="false" /></system.webServer>'; HResult = '0x80070021'; Message = '*iisnode MSI*' }
        @{ Case = 'an unknown attribute'; Body = '<system.webServer><iisnode nodeProcessCount="1" /></system.webServer>'; HResult = '0x8007000d'; Message = "Unrecognized attribute 'nodeProcessCount'*" }
        @{ Case = 'an unknown element'; Body = '<system.webServer><security><requestFiltering><hiddenSegment /></requestFiltering></security></system.webServer>'; HResult = '0x8007000d'; Message = "Unrecognized element 'hiddenSegment'*" }
        @{ Case = 'a value of the wrong type'; Body = '<system.webServer><httpErrors existingResponse="Passthru" /></system.webServer>'; HResult = '0x8007000d'; Message = '*one of Auto, Replace, PassThrough*' }
        @{ Case = 'a duplicate collection key'; Body = '<appSettings><add key="HCM_HOME" value="a" /><add key="hcm_home" value="b" /></appSettings>'; HResult = '0x800700b7'; Message = '*duplicate collection entry*' }
        @{ Case = 'a locked attribute'; Body = '<system.webServer><httpErrors defaultPath="C:\x.htm" /></system.webServer>'; HResult = '0x80070021'; Message = "*'defaultPath'*locked*" }
        @{ Case = 'a section no installed module declares'; Body = '<system.webServer><aspNetCore processPath="dotnet" /></system.webServer>'; HResult = '0x8007000d'; Message = '*missing a section declaration*' }
    ) {
        $errors = @(Test-HcmIisWebConfig -Path (New-Config -Name 'refused.config' -Body $Body) -AtApplicationRoot -UnlockedSections $script:Unlocked)
        @($errors | ForEach-Object HResult) | Should -Be @($HResult)
        $errors[0].Message | Should -BeLike $Message
    }

    It 'accepts every value the provisioner writes into applicationHost.config' {
        foreach ($row in @($script:Module.Invoke({ $script:AppPoolProperties }))) {
            $parts = $script:Module.Invoke({ param($p) Split-HcmConfigPath -Path $p }, $row.Path)
            { Assert-FakeIisApphostWrite -Kind Pools -Rest $parts.Element -Attribute $parts.Attribute -Value $row.Value } | Should -Not -Throw -Because $row.Path
        }
        $siteValues = @{ ApplicationPool = 'HybridAppPool001'; PhysicalPath = 'C:\x'; PreloadEnabled = 'True'; ServerAutoStart = 'True' }
        foreach ($row in @($script:Module.Invoke({ $script:WebSiteProperties }))) {
            $parts = $script:Module.Invoke({ param($p) Split-HcmConfigPath -Path $p }, $row.Path)
            { Assert-FakeIisApphostWrite -Kind Sites -Rest $parts.Element -Attribute $parts.Attribute -Value $siteValues[$row.Name] } | Should -Not -Throw -Because $row.Path
        }
        { Assert-FakeIisApphostWrite -Kind Pools -Rest 'processModel' -Attribute 'identityType' -Value 'NetworkServce' } | Should -Throw '*not a valid enum*'
    }

    It 'leaves no web.config above the sites: IIS would merge it into every site folder below (point 5)' {
        foreach ($folder in @($script:RepoRoot, (Join-Path $script:RepoRoot 'sites'))) { Join-Path $folder 'web.config' | Should -Not -Exist }
        # Why: a parent holding the same handler, appSettings and rule makes IIS refuse the child, and applicationInitialization is illegal below an application root.
        $parent = New-Config -Name 'parent.config' -Body '<appSettings><add key="HCM_SITE_NAME" value="x" /></appSettings><system.webServer><handlers><add name="iisnode" path="server.js" verb="*" modules="iisnode" /></handlers></system.webServer>'
        $listener = Join-Path $script:RepoRoot 'sites/MicrosoftAzureBizTalkHybridListener/web.config'
        $messages = @(Test-HcmIisWebConfig -Path $listener -UnlockedSections $script:Unlocked -InheritedKeys (Get-HcmIisCollectionKey -Path $parent) | ForEach-Object Message)
        $messages | Should -HaveCount 3
        ($messages -join "`n") | Should -Match "set to 'hcm_site_name'[\s\S]*set to 'iisnode'[\s\S]*applicationInitialization"
    }
}
