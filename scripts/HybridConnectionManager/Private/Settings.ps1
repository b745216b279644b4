# The data the module converges IIS to: one table per kind of IIS thing, looped over by the
# Get/Test/Set functions (WebAdministrationDsc's $PropertyData idea), instead of one `if` per setting.

# IIS configuration is read and written at the server level (applicationHost.config) through
# configuration paths, never through the IIS:\ drive, which PowerShell 7 cannot load (the
# WebAdministration module runs there in a Windows PowerShell compatibility session).
$script:ApplicationHostPath = 'MACHINE/WEBROOT/APPHOST'

# Each app pool the product creates, listener or connector, gets exactly these values.
# Path: a configuration path below the pool's <add> element; the part after '@' is the attribute.
# Alternatives: other spellings IIS may report for the same value (an enum's number).
$script:AppPoolProperties = @(
    [pscustomobject]@{ Name = 'ManagedRuntimeVersion'; Path = '@managedRuntimeVersion'; Value = '' }                       # No Managed Code: iisnode runs node.exe
    [pscustomobject]@{ Name = 'IdentityType'; Path = 'processModel/@identityType'; Value = 'NetworkService'; Alternatives = @('2') }
    [pscustomobject]@{ Name = 'LoadUserProfile'; Path = 'processModel/@loadUserProfile'; Value = 'False' }
    [pscustomobject]@{ Name = 'IdleTimeout'; Path = 'processModel/@idleTimeout'; Value = '00:00:00' }                      # never shut down: the listener holds the relay connection
    [pscustomobject]@{ Name = 'StartMode'; Path = '@startMode'; Value = 'AlwaysRunning'; Alternatives = @('1') }
    [pscustomobject]@{ Name = 'AutoStart'; Path = '@autoStart'; Value = 'True' }
    [pscustomobject]@{ Name = 'PeriodicRestartTime'; Path = 'recycling/periodicRestart/@time'; Value = '00:00:00' }        # no 29-hour recycle
    [pscustomobject]@{ Name = 'RapidFailProtection'; Path = 'failure/@rapidFailProtection'; Value = 'True' }              # IIS's default: guards against w3wp crashes only (a node.exe crash does not crash w3wp; the watchdog task handles those)
    [pscustomobject]@{ Name = 'RapidFailProtectionInterval'; Path = 'failure/@rapidFailProtectionInterval'; Value = '00:05:00' }
    [pscustomobject]@{ Name = 'RapidFailProtectionMaxCrashes'; Path = 'failure/@rapidFailProtectionMaxCrashes'; Value = '5' }
)

# Each site's settings; the values come from the site's parameters (pool, folder) or are fixed.
# Path: below the site's <site> element.
$script:WebSiteProperties = @(
    [pscustomobject]@{ Name = 'ApplicationPool'; Path = "application[@path='/']/@applicationPool" }
    [pscustomobject]@{ Name = 'PhysicalPath'; Path = "application[@path='/']/virtualDirectory[@path='/']/@physicalPath" }
    [pscustomobject]@{ Name = 'PreloadEnabled'; Path = "application[@path='/']/@preloadEnabled" }                       # Application Initialization starts node.exe at pool start
    [pscustomobject]@{ Name = 'ServerAutoStart'; Path = '@serverAutoStart' }
)

# The <appSettings> the provisioner owns in each site's web.config; iisnode turns them into
# environment variables. PORT is not among them: iisnode sets it to its named pipe.
$script:SiteAppSettingKeys = @('HCM_HOME', 'HCM_SITE_NAME')

# Who may use HCM_HOME (well-known SIDs, so the check works on every Windows language).
$script:AdministratorsSid = 'S-1-5-32-544'
$script:NetworkServiceSid = 'S-1-5-20'
# The manifest holds secrets: administrators full control, NetworkService (the pools) read only;
# nothing inherited from %ProgramData%.
$script:HomeAclRules = @(
    [pscustomobject]@{ Sid = $script:AdministratorsSid; Rights = 'FullControl' }
    [pscustomobject]@{ Sid = $script:NetworkServiceSid; Rights = 'ReadAndExecute' }
)
# The sites write their logs: NetworkService may modify the logs folder (and only it).
$script:LogsAclRules = @(
    [pscustomobject]@{ Sid = $script:NetworkServiceSid; Rights = 'Modify' }
)

# The folders of the product copied by the installer (production node_modules are copied separately).
$script:ProductFolders = @('dist/src', 'bin', 'sites', 'scripts', 'docs')
$script:ProductFiles = @('package.json', 'package-lock.json', 'README.md')
$script:ProductStampFile = '.hcm-install.json'
$script:ConnectorTemplate = 'MicrosoftSqlConnector'
$script:MinimumNodeMajor = 20
