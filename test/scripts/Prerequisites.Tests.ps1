# Missing prerequisites: the installer stops before changing anything and says what to install and
# where to get it. Node.js is checked for real (PATH, a fake old node); IIS through the mocks.

BeforeAll {
    . (Join-Path $PSScriptRoot 'helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'helpers/FakeIis.ps1')
    $script:Install = Join-Path $script:ScriptsFolder 'Install-HybridConnectionManager.ps1'
    $script:Root = New-TestFolder
    $script:InstallPath = Join-Path $script:Root 'HybridConnectionManager'
    $script:HcmHome = Join-Path $script:Root 'home'
    $script:EmptyFolder = Join-Path $script:Root 'empty'
    [void] (New-Item -ItemType Directory -Path $script:EmptyFolder)
    # A node that is too old: a script answering --version like Node.js 18 would.
    $script:OldNode = Join-Path $script:Root 'node18'
    Set-Content -LiteralPath $script:OldNode -Value "#!/bin/sh`necho v18.19.1`n"
    & chmod +x $script:OldNode
    $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
    Register-FakeIisMock

    function Invoke-Install([hashtable] $Extra = @{}) {
        & $script:Install -ConfigurationString (New-ConfigurationString) -InstallPath $script:InstallPath -HcmHome $script:HcmHome -SourcePath $script:RepoRoot -VerifyTimeoutSeconds 0 @Extra
    }
}

AfterAll {
    Remove-TestFolder -Path $script:Root
    Remove-FakeIis
}

Describe 'Install-HybridConnectionManager.ps1 with a prerequisite missing' {
    BeforeEach {
        $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome
    }

    It 'stops before changing anything when <Case>, saying what to install and where' -ForEach @(
        @{ Case = 'IIS is not installed'; Check = 'IIS (W3SVC)'; Says = 'Install-WindowsFeature Web-Server,Web-AppInit,Web-Scripting-Tools'; Break = { $global:HcmFakeIis.Services.Remove('W3SVC') } }
        @{ Case = 'W3SVC is stopped'; Check = 'IIS (W3SVC)'; Says = 'W3SVC is Stopped. Start IIS: "Start-Service WAS, W3SVC"'; Break = { $global:HcmFakeIis.Services['W3SVC'] = 'Stopped' } }
        @{ Case = 'iisnode is not registered'; Check = 'iisnode'; Says = 'module iisnode is not registered in IIS. Install iisnode for IIS (the x64 MSI) from https://github.com/Azure/iisnode/releases'; Break = { $global:HcmFakeIis.Modules.Remove('iisnode') } }
        @{ Case = 'URL Rewrite is not installed'; Check = 'URL Rewrite'; Says = 'Install URL Rewrite 2.1 for IIS from https://www.iis.net/downloads/microsoft/url-rewrite'; Break = { $global:HcmFakeIis.Modules.Remove('RewriteModule') } }
        @{ Case = 'Application Initialization is not installed'; Check = 'Application Initialization'; Says = 'Web-AppInit is not installed*"Install-WindowsFeature Web-AppInit" on Windows Server'; Break = { $global:HcmFakeIis.Features['Web-AppInit'] = $false } }
        @{ Case = 'the IIS PowerShell module cannot be loaded'; Count = 3; Check = 'IIS PowerShell module'; Says = 'the WebAdministration module cannot be loaded. Install IIS with its PowerShell module'; Break = { Mock Test-HcmIisModuleAvailable -ModuleName HybridConnectionManager { $false } } }
        @{ Case = 'the session is not elevated'; Check = 'Administrator'; Says = 'Run as administrator'; Break = { Mock Test-HcmElevated -ModuleName HybridConnectionManager { $false } } }
    ) {
        & $Break
        # Without the IIS module, iisnode and URL Rewrite cannot be checked either: 3 failures.
        $expected = if ($Count) { $Count } else { 1 }
        { Invoke-Install } | Should -Throw -ErrorId 'HcmPrerequisiteMissing' -ExpectedMessage "Nothing was changed: $expected prerequisite(s) missing:*- $($Check): *$Says*"
        Test-Path $script:InstallPath | Should -BeFalse
        Test-Path $script:HcmHome | Should -BeFalse
        foreach ($command in @('New-WebAppPool', 'New-Website', 'Set-WebConfigurationProperty', 'Set-Acl')) {
            Should -Invoke $command -ModuleName HybridConnectionManager -Times 0 -Exactly
        }
    }

    It 'names Windows 10/11''s optional feature when Application Initialization is missing there' {
        Mock Get-Command -ModuleName HybridConnectionManager -ParameterFilter { $Name -eq 'Get-WindowsFeature' } { $null }
        Mock Get-WindowsOptionalFeature -ModuleName HybridConnectionManager { [pscustomobject]@{ FeatureName = $FeatureName; State = 'Disabled' } }
        { Invoke-Install } | Should -Throw -ErrorId 'HcmPrerequisiteMissing' -ExpectedMessage '*IIS-ApplicationInit is not installed*"Enable-WindowsOptionalFeature -Online -All -FeatureName IIS-ApplicationDevelopment,IIS-ApplicationInit" on Windows 10/11*'
        Should -Invoke Get-WindowsOptionalFeature -ModuleName HybridConnectionManager -Times 1 -Exactly -ParameterFilter { $Online -and $FeatureName -eq 'IIS-ApplicationInit' }
        Should -Invoke Get-WindowsFeature -ModuleName HybridConnectionManager -Times 0 -Exactly
    }

    It 'stops when Node.js is not on PATH, pointing to nodejs.org' {
        $savedPath = $env:PATH
        try {
            $env:PATH = $script:EmptyFolder
            { Invoke-Install } | Should -Throw -ErrorId 'HcmPrerequisiteMissing' -ExpectedMessage '*- Node.js: node was not found on PATH. Install Node.js 20 or later (a supported LTS release) from https://nodejs.org/en/download*'
        }
        finally { $env:PATH = $savedPath }
        Test-Path $script:InstallPath | Should -BeFalse
    }

    It 'stops when Node.js is older than 20, naming the version found' {
        { Invoke-Install -Extra @{ NodePath = $script:OldNode } } | Should -Throw -ErrorId 'HcmPrerequisiteMissing' -ExpectedMessage "*- Node.js: Node.js 18.19.1 at $($script:OldNode). Install Node.js 20 or later*"
        Test-Path $script:InstallPath | Should -BeFalse
    }

    It 'lists every missing prerequisite at once' {
        $global:HcmFakeIis.Modules.Remove('iisnode')
        $global:HcmFakeIis.Modules.Remove('RewriteModule')
        { Invoke-Install } | Should -Throw -ErrorId 'HcmPrerequisiteMissing' -ExpectedMessage '*2 prerequisite(s) missing:*- iisnode: *- URL Rewrite: *'
    }
}

Describe 'Get-HcmPrerequisite on a ready server' {
    BeforeAll { $script:FakeIis = New-FakeIis -HcmHome $script:HcmHome }

    It 'passes every check, with the real Node.js version' {
        $checks = @(Get-HcmPrerequisite)
        @($checks | ForEach-Object Name) | Should -Be @('Administrator', 'IIS (W3SVC)', 'IIS PowerShell module', 'iisnode', 'URL Rewrite', 'Application Initialization', 'Node.js')
        @($checks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        ($checks | Where-Object Name -eq 'Node.js').Detail | Should -Match "^Node\.js $([regex]::Escape(((& node --version).TrimStart('v')))) at "
        $checks[0].PSObject.TypeNames[0] | Should -Be 'HybridConnectionManager.Check'
    }
}
