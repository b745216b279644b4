/**
 * The site as IIS or the standalone host runs it: sites/MicrosoftAzureBizTalkHybridListener/server.js
 * in a child process, with PORT as a TCP port and as a Unix socket path, HCM_HOME holding the
 * manifest, logs in $HCM_HOME/logs, manifest changes picked up without a restart, SIGTERM.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT_RULE_NAME } from '../../src/emulators/relay';
import { Context, manifestWith, sendThroughRelay, startConnector, startRelay, tempHome, waitFor, writeTestManifest } from '../relay/relay-fixtures';

const SITE = 'MicrosoftAzureBizTalkHybridListener';
const SERVER_JS = path.resolve(__dirname, '..', '..', '..', 'sites', SITE, 'server.js');

interface Site {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnSite(t: Context, env: Record<string, string>): Site {
  const child = spawn(process.execPath, [SERVER_JS], {
    env: { PATH: process.env.PATH ?? '', HCM_LOG_LEVEL: 'info', HCM_SITE_NAME: SITE, HCM_MANIFEST_POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, output: () => output, exited };
}

/** The site-started log line's address (the port a PORT=0 site got, or the socket path). */
async function siteAddress(site: Site): Promise<number | string> {
  const line = await waitFor('the site to start', () => site.output().split('\n').find((entry) => entry.includes('"site-started"')));
  return JSON.parse(line!).address;
}

function getJson(address: number | string, urlPath: string): Promise<{ status: number; body: any }> {
  const where = typeof address === 'number' ? { host: '127.0.0.1', port: address } : { socketPath: address };
  return new Promise((resolve, reject) => {
    http
      .get({ ...where, path: urlPath }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

async function states(address: number | string): Promise<Record<string, { state: string; lastError: string | null }>> {
  const { body } = await getJson(address, '/status');
  return Object.fromEntries(body.hybridConnections.map((entry: { name: string; state: string; lastError: string | null }) => [entry.name, entry]));
}

describe('the listener site as a child process', { concurrency: true }, () => {
  it('listens on a TCP PORT, follows manifest changes without a restart, heals a regenerated key, logs calls and stops on SIGTERM', async (t) => {
    const relay = await startRelay(t, ['sql-orders', 'inventory']);
    const connector = await startConnector(t, (request, response) => response.end(`served ${request.url}`));
    const second = await startConnector(t, (request, response) => response.end(`inventory ${request.url}`));
    const home = tempHome(t);
    const primary = relay.connectionString('sql-orders');
    writeTestManifest(home, manifestWith([{ connectionString: primary, port: connector.port }]));
    const site = spawnSite(t, { PORT: '0', HCM_HOME: home, HCM_RELAY_TOKEN_RENEW_MS: '200', HCM_RELAY_REJECTED_RETRY_MS: '60000' });
    const address = await siteAddress(site);
    assert.equal(typeof address, 'number');
    await waitFor('sql-orders Connected', async () => (await states(address))['sql-orders']?.state === 'Connected');
    const first = await sendThroughRelay(relay, 'sql-orders', { suffix: '/tables?x=1', headers: { 'x-correlation-id': 'site-call-1' } });
    assert.equal(first.body.toString(), 'served /tables?x=1');

    // A second connector appears in the manifest: a new listener, same process.
    writeTestManifest(home, manifestWith([{ connectionString: primary, port: connector.port }, { connectionString: relay.connectionString('inventory'), port: second.port }]));
    await waitFor('inventory Connected', async () => (await states(address)).inventory?.state === 'Connected');
    assert.equal((await sendThroughRelay(relay, 'inventory', { suffix: '/x' })).body.toString(), 'inventory /x');

    // The primary key is regenerated: the next token renewal is refused and the reconnect gets 401.
    relay.regenerateKeys(ROOT_RULE_NAME, 'PrimaryKey');
    await waitFor('sql-orders Failed', async () => (await states(address))['sql-orders']?.state === 'Failed');
    const failed = (await states(address))['sql-orders'];
    assert.match(failed.lastError ?? '', /401/);
    assert.match(failed.lastError ?? '', /key/i);
    // Setup run again with the Secondary string: the manifest changes, the listener re-keys and heals.
    writeTestManifest(home, manifestWith([{ connectionString: relay.connectionString('sql-orders', { keyType: 'secondary' }), port: connector.port }, { connectionString: relay.connectionString('inventory', { keyType: 'secondary' }), port: second.port }]));
    await waitFor('sql-orders Connected with the secondary key', async () => (await states(address))['sql-orders']?.state === 'Connected');
    const secondaryKey = /SharedAccessKey=([^;]+)/.exec(relay.connectionString('sql-orders', { keyType: 'secondary' }))![1];
    assert.equal((await sendThroughRelay(relay, 'sql-orders', { suffix: '/healed', key: secondaryKey })).body.toString(), 'served /healed');

    site.child.kill('SIGTERM');
    assert.equal(await site.exited, 0);
    assert.equal(relay.listenerCount('sql-orders'), 0);

    const log = fs.readFileSync(path.join(home, 'logs', `${SITE}.log`), 'utf8');
    const access = log.split('\n').filter((line) => line.includes('"channel":"access"')).map((line) => JSON.parse(line));
    const call = access.find((entry) => entry.correlationId === 'site-call-1');
    assert.ok(call, 'an access line for the relayed call');
    assert.deepEqual([call.method, call.target, call.status, typeof call.ms], ['GET', '/sql-orders/tables?x=1', 200, 'number']);
    const keys = [primary, relay.connectionString('sql-orders', { keyType: 'secondary' })].map((text) => /SharedAccessKey=([^;]+)/.exec(text)![1]);
    for (const key of keys) assert.ok(!log.includes(key) && !site.output().includes(key), 'no key in the log or on stdout');
    assert.match(log, /"site-stopped"/);
  });

  it('listens on a Unix socket path given as PORT', { skip: process.platform === 'win32' ? 'Unix sockets: not on Windows (iisnode uses named pipes)' : false }, async (t) => {
    const home = tempHome(t);
    const socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sock-')), 'listener.sock');
    t.after(() => fs.rmSync(path.dirname(socketPath), { recursive: true, force: true }));
    writeTestManifest(home, manifestWith([]));
    const site = spawnSite(t, { PORT: socketPath, HCM_HOME: home });
    assert.equal(await siteAddress(site), socketPath);
    const status = await getJson(socketPath, '/status');
    assert.equal(status.status, 200);
    assert.deepEqual(status.body, { hybridConnections: [] });
    assert.equal((await getJson(socketPath, '/warmup')).status, 200);
    site.child.kill('SIGTERM');
    assert.equal(await site.exited, 0);
  });

  it('refuses to start with a clear message when PORT is taken', async (t) => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const site = spawnSite(t, { PORT: String(port), HCM_HOME: tempHome(t) });
    assert.equal(await site.exited, 1);
    assert.match(site.output(), new RegExp(`could not start: Port ${port} .* already in use`));
  });
});
