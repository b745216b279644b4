/**
 * Two managers, one hybrid connection: a second server joins with `hcm export` / `hcm import`, two
 * `hcm start` processes (each its own HCM_HOME and ports) listen on the same hybrid connection of
 * one relay emulator, in front of one SQL Server stand-in. The relay spreads calls between them;
 * killing one under load fails only the calls in flight on it, and every call after succeeds.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, describe, it } from 'node:test';
import { waitUntilServing } from '../../src/cli/demo-chain';
import { readManifest, updateManifest } from '../../src/config/manifest-store';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { RelayEmulator } from '../../src/emulators/relay';
import { DEMO_DATABASE, DEMO_LOGIN, demoSeedSql, SqlServerStandIn } from '../../src/emulators/sqlserver';
import { sendThroughRelay, waitFor } from '../relay/relay-fixtures';
import { runHcm } from './run-hcm';

const hcm = path.join(__dirname, '../../../bin/hcm.js');
const HC = 'sql-orders';
const PASSPHRASE = 'two managers, one hybrid connection';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-two-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

interface Call {
  id: string;
  started: number;
  ended: number;
  status: number;
}

function startManager(home: string): { child: ChildProcess; exited: Promise<void> } {
  // Its own process group, so killing it takes its sites with it, as losing the machine would.
  // HCM_RELAY_LISTENER_COUNT_MS: ask the relay for the listener count every 300 ms instead of 30 s.
  const child = spawn(process.execPath, [hcm, 'start'], { env: { ...process.env, HCM_HOME: home, HCM_LOG_LEVEL: 'info', HCM_RELAY_LISTENER_COUNT_MS: '300' }, detached: true, stdio: 'ignore' });
  children.push(child);
  return { child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

/** correlation id → status, from a listener's access log. */
function accessLog(home: string): Map<string, number> {
  const file = path.join(home, 'logs', 'MicrosoftAzureBizTalkHybridListener.log');
  const seen = new Map<string, number>();
  if (!fs.existsSync(file)) return seen;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"access"')) continue;
    const record = JSON.parse(line) as { correlationId?: string; status: number };
    if (record.correlationId) seen.set(record.correlationId, record.status);
  }
  return seen;
}

describe('two managers for one hybrid connection', () => {
  it('both listen (the relay spreads calls); killing one under load fails only its calls in flight; every later call succeeds', async (t) => {
    const relay = new RelayEmulator({ port: 0, hybridConnections: [{ name: HC }], responseTimeoutMs: 10_000 });
    const sql = new SqlServerStandIn({ port: 0, seedSql: demoSeedSql() });
    await relay.start();
    await sql.start();
    t.after(async () => {
      await relay.close();
      await sql.close();
    });
    const first = path.join(root, 'first');
    const second = path.join(root, 'second');
    for (const home of [first, second]) {
      await updateManifest(home, async (manifest) => ({ ...manifest, listener: { ...manifest.listener, port: await anyFreeLoopbackPort() } }));
    }
    const setup = await runHcm(['setup', '--home', first, '--config-string', relay.connectionString(HC), '--sql-server', '127.0.0.1', '--sql-port', String(sql.address().port), '--database', DEMO_DATABASE, '--user', DEMO_LOGIN.user], { env: { HCM_SQL_PASSWORD: DEMO_LOGIN.password } });
    assert.equal(setup.code, 0, setup.stderr);
    // Not the default port: the test never races other tests for 6569.
    await updateManifest(first, async (manifest) => ({ ...manifest, connectors: [{ ...manifest.connectors[0], port: await anyFreeLoopbackPort() }] }));
    const file = path.join(root, 'export.bin');
    assert.equal((await runHcm(['export', '--home', first, '--to', file], { stdin: PASSPHRASE })).code, 0);
    const imported = await runHcm(['import', file, '--home', second], { stdin: PASSPHRASE });
    assert.equal(imported.code, 0, imported.stderr);
    const [a, b] = [readManifest(first), readManifest(second)];
    assert.notEqual(a.connectors[0].port, b.connectors[0].port);

    const managerA = startManager(first);
    const managerB = startManager(second);
    await Promise.all([waitUntilServing(a, a.connectors[0]), waitUntilServing(b, b.connectors[0])]);
    assert.equal(relay.listenerCount(HC), 2);
    // Each `hcm status` shows its own listener and connector, and the relay's count of both listeners.
    for (const [home, manifest] of [[first, a], [second, b]] as const) {
      const report = await waitFor(`hcm status of ${path.basename(home)} to count 2 listeners`, async () => {
        const status = await runHcm(['status', '--home', home, '--json']);
        const parsed = JSON.parse(status.stdout);
        return status.code === 0 && parsed.connectors[0]?.listeners === 2 ? parsed : undefined;
      });
      assert.equal(report.listener.port, manifest.listener.port);
      assert.deepEqual(report.connectors.map((c: { site: string; port: number; state: string }) => [c.site, c.port, c.state]), [[manifest.connectors[0].site, manifest.connectors[0].port, 'Connected']]);
    }
    const table = await runHcm(['status', '--home', second]);
    assert.match(table.stdout, /LISTENERS[\s\S]*sql-orders\s+Connected\s+2\s/);

    // Load: six callers in a loop, each call with its own correlation id.
    const calls: Call[] = [];
    let running = true;
    let n = 0;
    const worker = async () => {
      while (running) {
        const id = `two-managers-${n++}`;
        const started = performance.now();
        const status = await sendThroughRelay(relay, HC, { suffix: '/tables/Orders/items?$top=3', headers: { 'x-correlation-id': id } }).then((r) => r.status, () => 0);
        calls.push({ id, started, ended: performance.now(), status });
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await waitFor('40 calls before the kill', () => calls.length >= 40, 60_000);
    const killedAt = performance.now();
    process.kill(-managerA.child.pid!, 'SIGKILL');
    await managerA.exited;
    await waitFor('the relay to drop the dead listener', () => relay.listenerCount(HC) === 1);
    const noticedAt = performance.now();
    const survivor = await waitFor('the survivor\'s hcm status to count 1 listener', async () => {
      const parsed = JSON.parse((await runHcm(['status', '--home', second, '--json'])).stdout);
      return parsed.connectors[0]?.listeners === 1 ? parsed : undefined;
    });
    assert.equal(survivor.connectors[0].state, 'Connected');
    await waitFor('40 calls after the relay noticed', () => calls.filter((c) => c.started > noticedAt).length >= 40, 60_000);
    running = false;
    await Promise.all(workers);
    managerB.child.kill('SIGTERM');
    await managerB.exited;

    const servedByA = accessLog(first);
    const servedByB = accessLog(second);
    const before = calls.filter((c) => c.ended < killedAt);
    assert.ok(before.some((c) => servedByA.has(c.id)) && before.some((c) => servedByB.has(c.id)), 'the relay spread calls over both managers');
    const failed = calls.filter((c) => c.status !== 200);
    for (const call of failed) {
      assert.ok(call.started < noticedAt && call.ended > killedAt, `${call.id} failed but was not in flight when the manager died`);
      assert.ok(!servedByB.has(call.id), `${call.id} failed on the manager that lived`);
    }
    const later = calls.filter((c) => c.started > noticedAt);
    assert.deepEqual(later.filter((c) => c.status !== 200).map((c) => c.id), [], 'every call after the relay noticed succeeded');
    assert.ok(later.every((c) => servedByB.get(c.id) === 200));
    if (process.env.HCM_TEST_VERBOSE) {
      console.log(`calls ${calls.length}: before the kill ${before.length} (A ${before.filter((c) => servedByA.has(c.id)).length}, B ${before.filter((c) => servedByB.has(c.id)).length}), failed ${failed.length}, after ${later.length}; relay noticed ${Math.round(noticedAt - killedAt)} ms after the kill`);
    }
  });
});
