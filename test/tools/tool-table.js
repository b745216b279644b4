// The tools the test suite needs beyond npm's packages: one row each. `npm test` walks this table
// (test/tools/prepare.js) before any test runs: a row's tool is found, or installed, or the run stops
// with the row's `missing` line. What a row installs goes under tools/ (ignored by git) or is a
// Debian package (installed with a line saying so), so a second run finds it and downloads nothing.
//
// A row: { name, env, find(), install(), missing }
//   find()    → the tool's path, or undefined;
//   install() → installs it (throws when it cannot); `find()` is asked again afterwards;
//   env       → the variable that hands the found path to the tests (they fail when it is unset);
//   missing   → the one line printed when it is absent and cannot be installed: what, and the command.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { commandPath, debianPackageTool, run, requireCommand } = require('./install-steps');

const root = path.resolve(__dirname, '..', '..');
const tools = path.join(root, 'tools');
const PWSH_VERSION = '7.6.9';
const PESTER_VERSION = '5.9.1';

const existing = (file) => (fs.existsSync(file) ? file : undefined);

// The SqlClient probe is built once per change of its sources: the build folder keeps their hash.
// Every file of the project folder counts (a new .cs file too), except the build's own bin/ and obj/.
const SQLCLIENT_SOURCES = path.join(root, 'test', 'clients', 'sqlclient');
const SQLCLIENT_BUILD = path.join(tools, 'sqlclient-probe');
function sqlclientSourceHash() {
  const hash = createHash('sha256');
  const files = fs.readdirSync(SQLCLIENT_SOURCES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(SQLCLIENT_SOURCES, path.join(entry.parentPath ?? entry.path, entry.name)))
    .filter((file) => !/^(bin|obj)([\\/]|$)/.test(file))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(path.join(SQLCLIENT_SOURCES, file)));
  return hash.digest('hex');
}

/** @type {Array<{name: string, env: string, find: () => string | undefined, install: () => void, missing: string}>} */
module.exports = [
  {
    name: `PowerShell ${PWSH_VERSION}`,
    env: 'HCM_PWSH',
    // Pinned, in the project: the unpinned latest .NET tool does not run on this kind of machine.
    find: () =>
      fs.existsSync(path.join(tools, 'pwsh', '.store', 'powershell', PWSH_VERSION))
        ? existing(path.join(tools, 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh'))
        : undefined,
    install: () => {
      requireCommand('dotnet', 'PowerShell');
      run('dotnet', ['tool', 'install', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', path.join(tools, 'pwsh')]);
    },
    missing: `PowerShell ${PWSH_VERSION} is missing and needs the .NET SDK to install: install the .NET SDK, or run "dotnet tool install PowerShell --version ${PWSH_VERSION} --tool-path tools/pwsh" yourself.`,
  },
  {
    name: `Pester ${PESTER_VERSION}`,
    env: 'HCM_PESTER_PATH',
    find: () => existing(path.join(tools, 'packages', 'pester', PESTER_VERSION, 'tools', 'Pester.psd1')),
    // A restore-only project brings the NuGet package's module files; nothing is built.
    install: () => {
      requireCommand('dotnet', 'Pester');
      run('dotnet', ['restore', path.join(__dirname, 'pester', 'restore.csproj'), '--packages', path.join(tools, 'packages')]);
    },
    missing: `Pester ${PESTER_VERSION} is missing and needs the .NET SDK to install: install the .NET SDK, or run "dotnet restore test/tools/pester/restore.csproj --packages tools/packages" yourself.`,
  },
  debianPackageTool({
    name: 'Chromium (headless, for the page tests)',
    what: 'Chromium',
    env: 'HCM_CHROMIUM',
    debianPackage: 'chromium',
    find: () => process.env.HCM_CHROMIUM || existing('/usr/bin/chromium') || commandPath('chromium'),
    alternative: 'or set HCM_CHROMIUM to a Chromium binary',
  }),
  {
    name: 'Microsoft.Data.SqlClient 7.1.2 probe (.NET, for the SQL Server stand-in tests)',
    env: 'HCM_SQLCLIENT_PROBE',
    find: () => {
      const dll = existing(path.join(SQLCLIENT_BUILD, 'sqlclient-probe.dll'));
      const stamp = existing(path.join(SQLCLIENT_BUILD, 'sources.sha256'));
      return dll && stamp && fs.readFileSync(stamp, 'utf8').trim() === sqlclientSourceHash() ? dll : undefined;
    },
    install: () => {
      requireCommand('dotnet', 'the SqlClient probe');
      run('dotnet', ['build', path.join(SQLCLIENT_SOURCES, 'sqlclient-probe.csproj'), '-c', 'Release', '-o', SQLCLIENT_BUILD, '--nologo', '-v', 'quiet']);
      fs.writeFileSync(path.join(SQLCLIENT_BUILD, 'sources.sha256'), sqlclientSourceHash());
    },
    missing: 'The SqlClient probe is missing and needs the .NET SDK (and NuGet) to build: install the .NET SDK, then run npm test again (it builds the probe into tools/sqlclient-probe).',
  },
  debianPackageTool({
    name: 'FreeTDS tsql and freebcp (for the SQL Server stand-in tests)',
    what: 'FreeTDS (tsql and freebcp)',
    env: 'HCM_FREETDS_TSQL',
    debianPackage: 'freetds-bin',
    find: () => (commandPath('freebcp') ? commandPath('tsql') : undefined),
    alternative: 'which brings both',
  }),
  debianPackageTool({
    name: 'Squid (the HTTP proxy of the relay proxy tests)',
    what: 'Squid',
    env: 'HCM_SQUID',
    debianPackage: 'squid',
    find: () => process.env.HCM_SQUID || existing('/usr/sbin/squid') || commandPath('squid'),
    alternative: 'or set HCM_SQUID to a squid binary',
  }),
];
