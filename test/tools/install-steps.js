// Small steps the tool table's install() functions share. A step that cannot go on throws a
// MissingPrerequisite, whose message is the row's own `missing` line (printed by prepare.js).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

class MissingPrerequisite extends Error {}

/** The full path of a command on PATH, or undefined. */
function commandPath(name) {
  for (const folder of (process.env.PATH || '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function requireCommand(command, forWhat) {
  if (!commandPath(command)) throw new MissingPrerequisite(`${command} is not on PATH (needed to install ${forWhat})`);
}

function requireRoot(debianPackage) {
  if (process.platform !== 'linux' || !commandPath('apt-get')) {
    throw new MissingPrerequisite(`the Debian package ${debianPackage} cannot be installed here (no apt-get)`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new MissingPrerequisite(`installing the Debian package ${debianPackage} needs root`);
  }
}

/** Runs a command with its output shown (installs are rare and slow: the user should see them). */
function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...extraEnv },
  });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`"${command} ${args.join(' ')}" exited with ${result.status ?? result.signal}`);
}

let aptListsFresh = false;

/** Installs Debian packages with apt-get, saying so (they live outside the project). */
function installDebianPackage(debianPackage) {
  requireRoot(debianPackage);
  console.log(`tools: installing the Debian package ${debianPackage} (an OS package, outside the project) with apt-get`);
  if (!aptListsFresh) run('apt-get', ['update', '-qq']); // once per run, however many packages
  aptListsFresh = true;
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', debianPackage], { DEBIAN_FRONTEND: 'noninteractive' });
}

/** A tool-table row for a tool that a Debian package brings. */
function debianPackageTool({ name, what, env, debianPackage, find, alternative }) {
  return {
    name,
    env,
    find,
    install: () => installDebianPackage(debianPackage),
    missing: `${what} is missing: run "sudo apt-get install ${debianPackage}" (Debian/Ubuntu), ${alternative}.`,
  };
}

module.exports = { MissingPrerequisite, commandPath, debianPackageTool, requireCommand, requireRoot, run };
