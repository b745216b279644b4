import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyManifest, toHybridConnectionString, validateManifest } from '../../src/config/manifest';
import { manifestPath, readManifest, updateManifest, writeManifest } from '../../src/config/manifest-store';
import { connectorNames, isLoopbackPortFree, nextConnectorNumber, nextConnectorPort } from '../../src/config/names';
import { sampleManifest, TEST_KEY } from './manifest-fixtures';

const homes: string[] = [];
function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-manifest-'));
  homes.push(home);
  return path.join(home, 'home');
}
after(() => homes.forEach((home) => fs.rmSync(home, { recursive: true, force: true })));

function problemsOf(value: unknown): string {
  try {
    validateManifest(value);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the manifest was accepted');
}

describe('manifest', () => {
  it('reads a missing manifest as an empty installation', () => {
    assert.deepEqual(readManifest(tempHome()), emptyManifest());
  });

  it('round-trips through write and read', () => {
    const home = tempHome();
    writeManifest(home, sampleManifest());
    assert.deepEqual(readManifest(home), sampleManifest());
    const stored = toHybridConnectionString(readManifest(home).connectors[0].hybridConnection);
    assert.equal(stored.key, TEST_KEY);
    assert.equal(stored.entityPath, 'sql-orders');
  });

  it('fills settings defaults the file leaves out', () => {
    const manifest = sampleManifest() as unknown as { connectors: Array<{ settings: Record<string, unknown> }> };
    manifest.connectors[0].settings = { server: 'db', database: 'Orders' };
    const valid = validateManifest(manifest);
    assert.equal(valid.connectors[0].settings.pageSize, 1000);
    assert.equal(valid.connectors[0].settings.requestTimeoutMs, 45000);
    assert.deepEqual(valid.connectors[0].settings.tables, []);
  });

  it('keeps the folder 0700 and the file 0600 outside Windows', { skip: process.platform === 'win32' ? 'POSIX modes only' : false }, () => {
    const home = tempHome();
    writeManifest(home, sampleManifest());
    assert.equal(fs.statSync(home).mode & 0o777, 0o700);
    assert.equal(fs.statSync(manifestPath(home)).mode & 0o777, 0o600);
  });

  it('names every bad field in a validation error and never echoes values', () => {
    const bad = sampleManifest() as unknown as Record<string, any>;
    bad.version = 2;
    bad.listener.port = 70000;
    bad.connectors[0].site = 'Other_1';
    bad.connectors[0].settings.pageSize = 'many';
    bad.connectors[0].settings.password = 42;
    bad.connectors[0].surprise = true;
    const message = problemsOf(bad);
    for (const field of ['version', 'listener.port', 'connectors[0].site', 'connectors[0].settings.pageSize', 'connectors[0].settings.password', 'connectors[0].surprise']) {
      assert.ok(message.includes(field), `${field} is not named in: ${message}`);
    }
    assert.ok(!message.includes(TEST_KEY));
  });

  it('refuses an invalid hybrid connection, repeated ports and repeated sites', () => {
    const badEndpoint = sampleManifest();
    badEndpoint.connectors[0].hybridConnection.endpoint = 'https://contoso/';
    assert.match(problemsOf(badEndpoint), /connectors\[0\]\.hybridConnection is not a valid hybrid connection/);
    const repeated = sampleManifest();
    repeated.connectors.push({ ...structuredClone(repeated.connectors[0]), appPool: 'HybridAppPool002' });
    const message = problemsOf(repeated);
    assert.match(message, /connectors\[1\]\.site repeats/);
    assert.match(message, /connectors\[1\]\.port repeats/);
    assert.match(message, /connectors\[1\]\.hybridConnection repeats/);
  });

  it('says which file is not JSON', () => {
    const home = tempHome();
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(manifestPath(home), '{"version": 1,');
    assert.throws(() => readManifest(home), (error: Error) => error.message.includes('hcm.json is not valid JSON'));
  });

  it('never leaves a temporary file behind and never writes an invalid manifest', () => {
    const home = tempHome();
    writeManifest(home, sampleManifest());
    const invalid = sampleManifest();
    invalid.listener.port = 0;
    assert.throws(() => writeManifest(home, invalid), /listener\.port/);
    assert.deepEqual(readManifest(home), sampleManifest());
    assert.deepEqual(fs.readdirSync(home).sort(), ['hcm.json']);
  });
});

describe('names and ports', () => {
  it('takes the lowest free connector number and formats nnn', () => {
    const manifest = sampleManifest();
    assert.equal(nextConnectorNumber(emptyManifest()), 1);
    assert.equal(nextConnectorNumber(manifest), 2);
    manifest.connectors[0].site = 'MicrosoftSqlConnector_002';
    assert.equal(nextConnectorNumber(manifest), 1);
    assert.deepEqual(connectorNames(7), { site: 'MicrosoftSqlConnector_007', appPool: 'HybridAppPool007' });
  });

  it('takes the lowest port from 6569 that neither the manifest nor the host uses', async () => {
    assert.equal(await nextConnectorPort(emptyManifest()), 6569);
    assert.equal(await nextConnectorPort(sampleManifest()), 6570);
    assert.equal(await nextConnectorPort(sampleManifest(), async (port) => port > 6572), 6573);
  });

  it('sees a port in use on loopback', async () => {
    const net = await import('node:net');
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    assert.equal(await isLoopbackPortFree(port), false);
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await isLoopbackPortFree(port), true);
  });
});

describe('updateManifest', () => {
  it('skips the write when nothing changed', async () => {
    const home = tempHome();
    writeManifest(home, sampleManifest());
    // Dated an hour back, so that any write, however soon, would change the time.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(manifestPath(home), anHourAgo, anHourAgo);
    const before = fs.statSync(manifestPath(home)).mtimeMs;
    await updateManifest(home, (current) => current);
    assert.equal(fs.statSync(manifestPath(home)).mtimeMs, before);
  });

  it('leaves the manifest untouched when the change throws', async () => {
    const home = tempHome();
    writeManifest(home, sampleManifest());
    await assert.rejects(updateManifest(home, () => { throw new Error('bad input'); }), /bad input/);
    assert.deepEqual(readManifest(home), sampleManifest());
    assert.ok(!fs.existsSync(path.join(home, 'hcm.json.lock')), 'the lock was not released');
  });
});
