import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { manifestPath, readManifest } from '../../src/config/manifest-store';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { runHcm } from './run-hcm';

const PRIMARY = 'UHJpbWFyeUtleUZvclRlc3RzT25seU5vdEFSZWFsT25lMTI=';
const SECONDARY = 'U2Vjb25kYXJ5S2V5Rm9yVGVzdHNPbmx5Tm90UmVhbDEyMzQ=';
const configString = (key: string, entity = 'sql-orders') =>
  `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${key};EntityPath=${entity}`;

const roots: string[] = [];
function tempHome(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-setup-'));
  roots.push(root);
  return path.join(root, 'home');
}
after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

describe('hcm setup', () => {
  it('assigns MicrosoftSqlConnector_001, HybridAppPool001 and the first free port, and reports JSON', async () => {
    const home = tempHome();
    const run = await runHcm(['setup', '--home', home, '--config-string-stdin', '--sql-server', 'db1', '--database', 'Orders', '--user', 'reader', '--tables', 'Orders, dbo.OrderLines', '--json'], {
      stdin: `${configString(PRIMARY)}\n`,
      env: { HCM_SQL_PASSWORD: 'pa55;word' },
    });
    assert.equal(run.code, 0, run.stderr);
    const reported = JSON.parse(run.stdout);
    assert.equal(reported.connector, 'MicrosoftSqlConnector_001');
    assert.equal(reported.appPool, 'HybridAppPool001');
    assert.equal(reported.hybridConnection, 'sql-orders');
    assert.equal(reported.changed, true);
    assert.ok(reported.port >= 6569);
    const [connector] = readManifest(home).connectors;
    assert.equal(connector.port, reported.port);
    assert.deepEqual(connector.settings.tables, ['Orders', 'dbo.OrderLines']);
    assert.equal(connector.settings.password, 'pa55;word');
    assert.equal(connector.hybridConnection.key, PRIMARY);
    assert.ok(!run.stdout.includes(PRIMARY) && !run.stdout.includes('pa55'));
  });

  it('changes nothing when run twice with the same string', async () => {
    const home = tempHome();
    await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY), '--database', 'Orders']);
    const before = fs.readFileSync(manifestPath(home), 'utf8');
    const run = await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY), '--json']);
    assert.equal(JSON.parse(run.stdout).changed, false);
    assert.equal(fs.readFileSync(manifestPath(home), 'utf8'), before);
  });

  it('switches to the Secondary key in place: same site, pool, port and settings', async () => {
    const home = tempHome();
    const first = JSON.parse((await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY), '--database', 'Orders', '--json'])).stdout);
    const second = JSON.parse((await runHcm(['setup', '--home', home, '--config-string', configString(SECONDARY).replace('EntityPath=sql-orders', 'entitypath=SQL-Orders'), '--json'])).stdout);
    assert.deepEqual({ ...second, changed: undefined }, { ...first, changed: undefined });
    assert.equal(second.changed, true);
    const manifest = readManifest(home);
    assert.equal(manifest.connectors.length, 1);
    assert.equal(manifest.connectors[0].hybridConnection.key, SECONDARY);
    assert.equal(manifest.connectors[0].settings.database, 'Orders');
  });

  it('gives a second hybrid connection the next number and skips a port in use', async () => {
    const home = tempHome();
    const first = JSON.parse((await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY), '--json'])).stdout);
    const blocker = net.createServer().listen(first.port + 1, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve).once('error', resolve));
    try {
      const second = JSON.parse((await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY, 'sql-invoices'), '--json'])).stdout);
      assert.equal(second.connector, 'MicrosoftSqlConnector_002');
      assert.equal(second.appPool, 'HybridAppPool002');
      assert.ok(second.port > first.port + 1, `port ${second.port} is in use or taken`);
    } finally {
      blocker.close();
    }
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    ['a malformed string', ['--config-string', 'Endpoint=https://x/;SharedAccessKey=' + PRIMARY], /sb:\/\/ scheme/],
    ['no string at all', [], /exactly one of --config-string/],
    ['a bad flag', ['--config-string', configString(PRIMARY), '--colour', 'red'], /Unknown option '--colour'/],
    ['a port out of range', ['--config-string', configString(PRIMARY), '--sql-port', '70000'], /--sql-port must be a whole number/],
    ['port and instance together', ['--config-string', configString(PRIMARY), '--sql-port', '1433', '--sql-instance', 'SQLEXPRESS'], /either --sql-port or --sql-instance/],
    ['a poll query without its data-available query', ['--config-string', configString(PRIMARY), '--poll-data-query', 'SELECT 1'], /dataAvailableQuery and pollDataQuery go together/],
  ];
  for (const [name, args, message] of badInputs) {
    it(`refuses ${name} with exit 2, changing nothing and naming the problem`, async () => {
      const home = tempHome();
      await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY, 'existing')]);
      const before = fs.readFileSync(manifestPath(home), 'utf8');
      const run = await runHcm(['setup', '--home', home, ...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.ok(!run.stderr.includes(PRIMARY));
      assert.equal(fs.readFileSync(manifestPath(home), 'utf8'), before);
    });
  }

  it('takes a chosen site port with --port, keeps it on update, and refuses one taken by the listener, another connector or this machine', async (t) => {
    const home = tempHome();
    const chosen = await anyFreeLoopbackPort();
    const first = await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY), '--port', String(chosen), '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).port, chosen);
    const kept = await runHcm(['setup', '--home', home, '--config-string', configString(SECONDARY), '--json']);
    assert.equal(JSON.parse(kept.stdout).port, chosen, 'an update without --port keeps the port');

    const listenerPort = readManifest(home).listener.port;
    const refused = async (port: number, why: RegExp) => {
      const before = fs.readFileSync(manifestPath(home), 'utf8');
      const run = await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY, 'sql-other'), '--port', String(port)]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, why);
      assert.equal(fs.readFileSync(manifestPath(home), 'utf8'), before, 'nothing changed');
    };
    await refused(listenerPort, new RegExp(`port ${listenerPort} is already the listener's`));
    await refused(chosen, new RegExp(`port ${chosen} is already MicrosoftSqlConnector_001's`));
    const busy = await anyFreeLoopbackPort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
    t.after(() => blocker.close());
    await refused(busy, new RegExp(`port ${busy} is in use on this machine`));
    const bad = await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY, 'sql-other'), '--port', '70000']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port/);

    const moved = await anyFreeLoopbackPort();
    const update = await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY), '--port', String(moved), '--json']);
    assert.deepEqual([JSON.parse(update.stdout).port, JSON.parse(update.stdout).changed], [moved, true]);
    assert.equal(readManifest(home).connectors[0].port, moved);
  });

  it('fails with exit 1 and a reason when the manifest folder cannot be created', async () => {
    const root = tempHome();
    fs.writeFileSync(root, 'a file where the folder should be');
    const run = await runHcm(['setup', '--home', path.join(root, 'home'), '--config-string', configString(PRIMARY)]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Cannot create the folder/);
  });
});

describe('hcm list and hcm remove', () => {
  it('lists connectors without secrets and removes one by number, site or entity path', async () => {
    const home = tempHome();
    for (const entity of ['sql-a', 'sql-b', 'sql-c']) {
      await runHcm(['setup', '--home', home, '--config-string', configString(PRIMARY, entity), '--database', entity]);
    }
    const listed = await runHcm(['list', '--home', home, '--json']);
    const summary = JSON.parse(listed.stdout);
    assert.deepEqual(summary.connectors.map((c: { site: string }) => c.site), ['MicrosoftSqlConnector_001', 'MicrosoftSqlConnector_002', 'MicrosoftSqlConnector_003']);
    assert.equal(summary.listener.site, 'MicrosoftAzureBizTalkHybridListener');
    assert.ok(!listed.stdout.includes(PRIMARY));
    const table = await runHcm(['list', '--home', home]);
    assert.match(table.stdout, /MicrosoftSqlConnector_002\s+HybridAppPool002\s+\d+\s+contoso\.servicebus\.windows\.net\/sql-b/);

    assert.equal((await runHcm(['remove', '2', '--home', home])).code, 0);
    assert.equal(JSON.parse((await runHcm(['remove', 'sql-c', '--home', home, '--json'])).stdout).removed.connector, 'MicrosoftSqlConnector_003');
    assert.equal((await runHcm(['remove', 'MicrosoftSqlConnector_001', '--home', home])).code, 0);
    assert.deepEqual(readManifest(home).connectors, []);
  });

  it('exits 1 when nothing matches and 2 when nothing is named', async () => {
    const home = tempHome();
    const missing = await runHcm(['remove', 'sql-nothing', '--home', home]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no connector matches 'sql-nothing'/);
    assert.equal((await runHcm(['remove', '--home', home])).code, 2);
  });
});
