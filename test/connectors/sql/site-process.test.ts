/**
 * sites/MicrosoftSqlConnector/server.js as a real child process, as the standalone host or iisnode
 * starts it: PORT as a TCP port or a socket path, HCM_HOME, HCM_SITE_NAME; log file, no password in
 * it, graceful stop on SIGTERM. No database is needed for these (readiness reports 503).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptyManifest } from '../../../src/config/manifest';
import { writeManifest } from '../../../src/config/manifest-store';
import { SQL_SETTINGS_DEFAULTS } from '../../../src/config/sql-settings';

const SERVER_JS = path.join(__dirname, '../../../../sites/MicrosoftSqlConnector/server.js');
const SITE = 'MicrosoftSqlConnector_007';
const PASSWORD = 'Sup3r-Secret-Pa55';

function makeHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sql-site-'));
  const manifest = emptyManifest();
  manifest.connectors.push({
    site: SITE,
    appPool: 'HybridAppPool007',
    port: 6575,
    kind: 'sql',
    hybridConnection: { endpoint: 'sb://127.0.0.1:9351/', entityPath: 'sql-site', keyName: 'RootManageSharedAccessKey', key: 'dGVzdC1rZXk=', emulator: true },
    // Port 9 (discard) on loopback: nothing answers, so the database is "unavailable".
    settings: { ...SQL_SETTINGS_DEFAULTS, tables: [], procedures: [], server: '127.0.0.1', port: 9, database: 'demo', user: 'sa', password: PASSWORD },
  });
  writeManifest(home, manifest);
  return home;
}

function start(home: string, port: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [SERVER_JS], {
    env: { ...process.env, PORT: port, HCM_HOME: home, HCM_SITE_NAME: SITE, HCM_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

function get(target: { port?: number; socketPath?: string }, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', ...target, path: urlPath }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('server.js as a child process', () => {
  const cleanups: Array<() => void> = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));

  it('listens on a TCP port, serves the root and health, logs without the password, and stops on SIGTERM', async () => {
    const home = makeHome();
    const { child, output } = start(home, '0');
    cleanups.push(() => {
      child.kill('SIGKILL');
      fs.rmSync(home, { recursive: true, force: true });
    });
    const port = await waitFor(() => {
      const match = /"address":\{"host":"127\.0\.0\.1","port":(\d+)\}/.exec(output());
      return match ? Number(match[1]) : undefined;
    }, 'the listening line');
    const root = await get({ port }, '/');
    assert.equal(root.status, 403);
    assert.match(root.body, /403\.14/);
    assert.equal((await get({ port }, '/health')).status, 200);
    const ready = await get({ port }, '/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(JSON.parse(ready.body).error.code, 'DatabaseUnavailable');
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
    const log = fs.readFileSync(path.join(home, 'logs', `${SITE}.log`), 'utf8');
    assert.match(log, /"channel":"access"/);
    assert.ok(!log.includes(PASSWORD) && !output().includes(PASSWORD), 'the password reached a log');
  });

  it('listens on a socket path given as PORT (as iisnode passes a named pipe)', { skip: process.platform === 'win32' ? 'socket paths are named pipes on Windows' : false }, async () => {
    const home = makeHome();
    const socketPath = path.join(home, 'site.sock');
    const { child } = start(home, socketPath);
    cleanups.push(() => {
      child.kill('SIGKILL');
      fs.rmSync(home, { recursive: true, force: true });
    });
    await waitFor(() => (fs.existsSync(socketPath) ? true : undefined), 'the socket');
    assert.equal((await get({ socketPath }, '/health')).status, 200);
    child.kill('SIGINT');
    assert.equal(await exited(child), 0);
  });

  it('refuses to start without HCM_SITE_NAME, saying what is missing', async () => {
    const child = spawn(process.execPath, [SERVER_JS], { env: { ...process.env, PORT: '0', HCM_SITE_NAME: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let errorText = '';
    child.stderr.on('data', (chunk) => (errorText += chunk));
    assert.equal(await exited(child), 1);
    assert.match(errorText, /HCM_SITE_NAME/);
  });
});
