/**
 * `hcm support-bundle` against a running chain (relay emulator, SQL stand-in, host with both sites
 * writing real logs): the zip is extracted with yauzl (an independent reader) and every file, logs
 * included, is searched for each secret of the manifest — as is, base64, base64url and URL-encoded
 * — and for the signature of SAS tokens minted from its key. A site log is first made to leak them
 * (as a careless version might), so the scrubbing is what keeps them out, not luck.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yauzl from 'yauzl';
import { Chain, startChain } from '../../src/cli/demo-chain';
import { manifestPath } from '../../src/config/manifest-store';
import { createHybridConnectionToken } from '../../src/relay/uris';
import { runHcm } from './run-hcm';

const CONNECTOR = 'MicrosoftSqlConnector_001';
const LISTENER = 'MicrosoftAzureBizTalkHybridListener';

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The secrets, read from hcm.json by field name (independently of the product's own list). */
function manifestSecrets(home: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown, name: string) => {
    if (typeof node === 'string' && /^(key|password|sharedAccessSignature)$/i.test(name)) found.push(node);
    else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) walk(value, key);
  };
  walk(JSON.parse(fs.readFileSync(manifestPath(home), 'utf8')), '');
  return found;
}

function forms(secret: string): Record<string, string> {
  return {
    plain: secret,
    base64: Buffer.from(secret).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    urlEncoded: encodeURIComponent(secret),
    formEncoded: new URLSearchParams({ s: secret }).toString().slice(2),
  };
}

describe('hcm support-bundle', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-bundle-'));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-bundle-out-'));
  let chain: Chain | undefined;
  let leakedToken = '';

  before(async () => {
    chain = await startChain({ home, relayPort: 0, sqlPort: 0, listenerPort: 0, connectorPort: 0, siteEnv: { HCM_LOG_LEVEL: 'info' } });
    const call = await runHcm(['call', 'sql-orders', 'GET', '/tables', '--home', home]);
    assert.equal(call.code, 0, call.stderr);
    // A careless log line with every secret in every form, and a token minted from the key.
    const hc = chain.connector.hybridConnection;
    leakedToken = createHybridConnectionToken({ namespace: '127.0.0.1', port: chain.relay.address().port, entityPath: hc.entityPath, emulator: true }, hc.keyName!, hc.key!);
    const leaks = manifestSecrets(home).flatMap((secret) => Object.values(forms(secret)));
    const logs = path.join(home, 'logs');
    fs.appendFileSync(path.join(logs, `${CONNECTOR}.log`), `${JSON.stringify({ msg: 'support-bundle-leak', leaks, token: `${leakedToken}`, auth: `ServiceBusAuthorization: ${leakedToken}` })}\n`);
    fs.appendFileSync(path.join(logs, `${LISTENER}.log`), `plain text leak ${leaks.join(' ')} wss://x/$hc/y?sb-hc-token=${encodeURIComponent(leakedToken)}\n`);
  });
  after(async () => {
    await chain?.stop();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes a zip with the manifest without secrets, the logs, status, doctor, metrics and versions — and no secret in any form', async () => {
    const file = path.join(out, 'bundle.zip');
    const run = await runHcm(['support-bundle', '--to', file, '--home', home]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'everything was collected');
    assert.match(run.stdout, /^Wrote .*bundle\.zip \(\d+ files\)\.\n$/);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    const files = await readZip(file);
    assert.deepEqual([...files.keys()].sort(), [
      'README.txt', 'doctor.json', `logs/${CONNECTOR}.log`, `logs/${LISTENER}.log`, 'manifest.json',
      `metrics/${CONNECTOR}.txt`, `metrics/${LISTENER}.txt`, 'status.json', 'versions.json',
    ].sort());

    const secrets = manifestSecrets(home);
    assert.equal(secrets.length, 2, 'the relay key and the SQL password');
    const signature = new URL(`http://x/?${leakedToken.replace(/^SharedAccessSignature /, '')}`).searchParams.get('sig')!;
    const hc = chain!.connector.hybridConnection;
    const fresh = createHybridConnectionToken({ namespace: '127.0.0.1', port: chain!.relay.address().port, entityPath: hc.entityPath, emulator: true }, hc.keyName!, hc.key!, { lifetimeSeconds: 60 });
    const freshSignature = new URL(`http://x/?${fresh.replace(/^SharedAccessSignature /, '')}`).searchParams.get('sig')!;
    for (const [name, content] of files) {
      const text = content.toString('utf8');
      for (const secret of [...secrets, signature, freshSignature]) {
        for (const [form, value] of Object.entries(forms(secret))) assert.ok(!text.includes(value), `${name} holds a secret (${form})`);
      }
      assert.doesNotMatch(text, /sig=(?!\*\*\*)/i, `${name} holds a SAS signature`);
    }

    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    assert.equal(manifest.connectors[0].hybridConnection.key, '(removed)');
    assert.equal(manifest.connectors[0].settings.password, '(removed)');
    assert.equal(manifest.connectors[0].hybridConnection.entityPath, 'sql-orders', 'what is not secret stays');
    assert.equal(manifest.connectors[0].port, chain!.connector.port);

    const connectorLog = files.get(`logs/${CONNECTOR}.log`)!.toString();
    assert.match(connectorLog, /support-bundle-leak/, 'the last log lines are there, cleaned');
    assert.match(files.get(`logs/${LISTENER}.log`)!.toString(), /"status":200/, 'with the access line of the call');
    const status = JSON.parse(files.get('status.json')!.toString());
    assert.equal(status.connectors[0].state, 'Connected');
    const doctor = JSON.parse(files.get('doctor.json')!.toString()) as Array<{ name: string; passed: boolean }>;
    assert.ok(doctor.length > 3 && doctor.every((check) => check.passed), JSON.stringify(doctor));
    assert.match(files.get(`metrics/${LISTENER}.txt`)!.toString(), /hcm_hybrid_connection_calls_total\{[^}]*status="200"[^}]*\} 1/);
    const versions = JSON.parse(files.get('versions.json')!.toString());
    assert.equal(versions.node.node, process.versions.node);
    assert.equal(versions.platform.platform, process.platform);
    assert.match(versions.product.version, /^\d+\.\d+\.\d+/);
    assert.match(files.get('README.txt')!.toString(), /Everything was collected/);
  });

  it('keeps the last N log lines, refuses to overwrite without --force, and needs --to', async () => {
    const file = path.join(out, 'short.zip');
    assert.equal((await runHcm(['support-bundle', '--to', file, '--log-lines', '2', '--home', home])).code, 0);
    const log = (await readZip(file)).get(`logs/${LISTENER}.log`)!.toString();
    assert.equal(log.split('\n').filter(Boolean).length, 2);
    assert.match(log, /plain text leak/, 'the last line is the last one written');
    const again = await runHcm(['support-bundle', '--to', file, '--home', home]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists; give --force/);
    assert.equal((await runHcm(['support-bundle', '--to', file, '--force', '--log-lines', '1', '--home', home])).code, 0);
    const missing = await runHcm(['support-bundle', '--home', home]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Give --to FILE\.zip/);
  });
});
