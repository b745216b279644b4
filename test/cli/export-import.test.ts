import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openExport, sealExport } from '../../src/config/export-file';
import { manifestPath, readManifest } from '../../src/config/manifest-store';
import { runHcm } from './run-hcm';

const KEY_A = 'QWxwaGFLZXlGb3JUZXN0c09ubHlOb3RBUmVhbE9uZTEyMzQ=';
const KEY_B = 'QnJhdm9LZXlGb3JUZXN0c09ubHlOb3RBUmVhbE9uZTEyMzQ=';
const SQL_PASSWORD = 'Sq1-pa55;word';
const PASSPHRASE = 'correct horse battery staple';
const configString = (key: string, entity: string) =>
  `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${key};EntityPath=${entity}`;

const roots: string[] = [];
function tempDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-export-'));
  roots.push(root);
  return root;
}
after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

async function firstServer(): Promise<{ home: string; file: string }> {
  const root = tempDir();
  const home = path.join(root, 'first');
  for (const [key, entity] of [[KEY_A, 'sql-orders'], [KEY_B, 'sql-stock']]) {
    const run = await runHcm(['setup', '--home', home, '--config-string', configString(key, entity), '--database', 'Orders', '--user', 'app'], { env: { HCM_SQL_PASSWORD: SQL_PASSWORD } });
    assert.equal(run.code, 0, run.stderr);
  }
  const file = path.join(root, 'export.bin');
  const run = await runHcm(['export', '--home', home, '--to', file], { stdin: `${PASSPHRASE}\n` });
  assert.equal(run.code, 0, run.stderr);
  return { home, file };
}

describe('hcm export / hcm import', () => {
  it('writes nothing in clear: no key, password, entity path, server or database in the file', async () => {
    const { file } = await firstServer();
    const bytes = fs.readFileSync(file);
    const latin = bytes.toString('latin1');
    for (const secret of [KEY_A, KEY_B, SQL_PASSWORD, 'sql-orders', 'contoso', 'Orders', 'listen']) {
      assert.ok(!latin.includes(secret), `${secret} appears in the export`);
      assert.ok(!latin.includes(Buffer.from(secret).toString('base64').slice(0, 12)), `${secret} appears base64-encoded`);
    }
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('imports every connector with its secrets under this server\'s own names and free ports', async () => {
    const { home: first, file } = await firstServer();
    const second = path.join(tempDir(), 'second');
    // The second server already has a connector, so its numbers and ports must move on.
    await runHcm(['setup', '--home', second, '--config-string', configString(KEY_A, 'sql-other')]);
    const run = await runHcm(['import', file, '--home', second, '--json'], { stdin: `${PASSPHRASE}\r\n` });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.imported.map((r: { connector: string }) => r.connector), ['MicrosoftSqlConnector_002', 'MicrosoftSqlConnector_003']);
    assert.deepEqual(report.skipped, []);
    const manifest = readManifest(second);
    const original = readManifest(first);
    const ports = manifest.connectors.map((c) => c.port);
    assert.equal(new Set(ports).size, ports.length);
    for (const [index, entity] of ['sql-orders', 'sql-stock'].entries()) {
      const imported = manifest.connectors.find((c) => c.hybridConnection.entityPath === entity)!;
      const source = original.connectors.find((c) => c.hybridConnection.entityPath === entity)!;
      assert.deepEqual(imported.hybridConnection, source.hybridConnection);
      assert.deepEqual(imported.settings, source.settings);
      assert.equal(imported.site, `MicrosoftSqlConnector_00${index + 2}`);
    }
    assert.ok(!run.stdout.includes(KEY_A) && !run.stdout.includes(SQL_PASSWORD));
  });

  it('refuses a hybrid connection already served (changing nothing), or skips it with --skip-existing', async () => {
    const { file } = await firstServer();
    const second = path.join(tempDir(), 'second');
    await runHcm(['setup', '--home', second, '--config-string', configString(KEY_B, 'SQL-Stock')]);
    const before = fs.readFileSync(manifestPath(second), 'utf8');
    const refused = await runHcm(['import', file, '--home', second], { stdin: PASSPHRASE });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already serves .*sql-stock.*MicrosoftSqlConnector_001.*Nothing was imported.*--skip-existing/is);
    assert.equal(fs.readFileSync(manifestPath(second), 'utf8'), before);
    const skipped = await runHcm(['import', file, '--home', second, '--skip-existing'], { stdin: PASSPHRASE });
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /Imported sql-orders as MicrosoftSqlConnector_002/);
    assert.match(skipped.stdout, /Skipped .*sql-stock.*left as it was/i);
    const manifest = readManifest(second);
    assert.equal(manifest.connectors.length, 2);
    assert.equal(manifest.connectors[0].hybridConnection.key, KEY_B, 'the existing connector keeps its own key');
  });

  it('a wrong passphrase exits 2 and changes nothing', async () => {
    const { file } = await firstServer();
    const second = path.join(tempDir(), 'second');
    await runHcm(['setup', '--home', second, '--config-string', configString(KEY_A, 'sql-other')]);
    const before = fs.readFileSync(manifestPath(second), 'utf8');
    const run = await runHcm(['import', file, '--home', second], { stdin: 'correct horse battery stapl\n' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /passphrase is wrong, or the export file was changed/);
    assert.ok(!run.stderr.includes('correct horse'));
    assert.equal(fs.readFileSync(manifestPath(second), 'utf8'), before);
  });

  it('a file with any one byte changed — header, salt, nonce, ciphertext or tag — exits 2 and changes nothing', async () => {
    const { file } = await firstServer();
    const original = fs.readFileSync(file);
    const second = path.join(tempDir(), 'second');
    const altered = path.join(path.dirname(file), 'altered.bin');
    // One byte in every field of the format (export-file.ts): magic, version, N, salt, nonce, ciphertext, tag.
    for (const offset of [0, 8, 9, 10, 37, 38, original.length - 1]) {
      const copy = Buffer.from(original);
      copy[offset] ^= 0x01;
      fs.writeFileSync(altered, copy);
      const run = await runHcm(['import', altered, '--home', second], { stdin: PASSPHRASE });
      assert.equal(run.code, 2, `byte ${offset}: ${run.stderr}`);
      assert.equal(fs.existsSync(manifestPath(second)), false, `byte ${offset} created a manifest`);
    }
    fs.writeFileSync(altered, original.subarray(0, original.length - 1));
    const truncated = await runHcm(['import', altered, '--home', second], { stdin: PASSPHRASE });
    assert.equal(truncated.code, 2);
  });

  it('round-trips any JSON and uses a fresh salt and nonce each time', async () => {
    const payload = { kind: 'x', list: [1, 'two', { three: 'é' }] };
    const one = await sealExport(payload, PASSPHRASE, 14);
    const two = await sealExport(payload, PASSPHRASE, 14);
    assert.notDeepEqual(one.subarray(10, 38), two.subarray(10, 38));
    assert.deepEqual(await openExport(one, PASSPHRASE), payload);
  });

  it('refuses a short passphrase, an existing --to file, a missing file, and explains itself in --help', async () => {
    const { home, file } = await firstServer();
    const short = await runHcm(['export', '--home', home, '--to', `${file}.2`], { stdin: 'short\n' });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 8 characters/);
    assert.equal(fs.existsSync(`${file}.2`), false);
    const exists = await runHcm(['export', '--home', home, '--to', file], { stdin: PASSPHRASE });
    assert.equal(exists.code, 2);
    assert.match(exists.stderr, /exists; give --force/);
    const missing = await runHcm(['import', `${file}.missing`, '--home', home], { stdin: PASSPHRASE });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read .*ENOENT/);
    for (const name of ['export', 'import']) {
      const help = await runHcm([name, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /passphrase/);
      assert.match(help.stdout, /Exit codes/);
    }
    assert.match((await runHcm(['import', '--help'])).stdout, /refused: nothing is imported[\s\S]*--skip-existing/);
  });
});
