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
const fs = require('node:fs');
const path = require('node:path');
const { commandPath, run, requireCommand, requireRoot } = require('./install-steps');

const root = path.resolve(__dirname, '..', '..');
const tools = path.join(root, 'tools');
const PWSH_VERSION = '7.6.9';
const PESTER_VERSION = '5.9.1';

const existing = (file) => (fs.existsSync(file) ? file : undefined);

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
  {
    name: 'Chromium (headless, for the page tests)',
    env: 'HCM_CHROMIUM',
    find: () => process.env.HCM_CHROMIUM || existing('/usr/bin/chromium') || commandPath('chromium'),
    install: () => {
      requireRoot('chromium');
      console.log('tools: installing the Debian package chromium (an OS package, outside the project) with apt-get');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    },
    missing: 'Chromium is missing: run "sudo apt-get install chromium" (Debian/Ubuntu), or set HCM_CHROMIUM to a Chromium binary.',
  },
  {
    name: 'Squid (the HTTP proxy of the relay proxy tests)',
    env: 'HCM_SQUID',
    find: () => process.env.HCM_SQUID || existing('/usr/sbin/squid') || commandPath('squid'),
    install: () => {
      requireRoot('squid');
      console.log('tools: installing the Debian package squid (an OS package, outside the project) with apt-get');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'squid'], { DEBIAN_FRONTEND: 'noninteractive' });
    },
    missing: 'Squid is missing: run "sudo apt-get install squid" (Debian/Ubuntu), or set HCM_SQUID to a squid binary.',
  },
];
