import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/common/logger';
import { parseConfigurationString } from '../../src/config/connection-string';
import { applyConnectorSetup } from '../../src/config/connector-setup';
import { updateManifest } from '../../src/config/manifest-store';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { RelayEmulator } from '../../src/emulators/relay';
import { RunningSite, startSite } from '../../src/listener/site';
import { waitFor } from '../../src/cli/progress';
import { runHcm } from './run-hcm';

/** A stand-in connector: echoes what it got, answers /health/ready, 404 under /missing. */
function echoConnector(): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c)).on('end', () => {
      if (req.url === '/health/ready') return res.end(JSON.stringify({ status: 'ready', database: 'Echo' }));
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString(), prefix: req.headers['x-forwarded-prefix'] }));
    });
  });
}

describe('hcm call and hcm status against the relay emulator and the listener', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-call-'));
  const relay = new RelayEmulator({ port: 0, hybridConnections: [{ name: 'sql-orders' }], logger: silentLogger() });
  const connector = echoConnector();
  let listener: RunningSite;

  before(async () => {
    await relay.start();
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
    const connectorPort = (connector.address() as { port: number }).port;
    const listenerPort = await anyFreeLoopbackPort();
    await updateManifest(home, async (manifest) => {
      manifest.listener.port = listenerPort;
      const { manifest: next } = await applyConnectorSetup(manifest, parseConfigurationString(relay.connectionString('sql-orders')), { database: 'Echo' });
      next.connectors[0].port = connectorPort;
      return next;
    });
    listener = await startSite({ env: { HCM_HOME: home, PORT: String(listenerPort) }, processHandlers: false, logger: silentLogger() });
    await waitFor('the listener to connect', async () => (listener.service.status()[0]?.state === 'Connected' ? true : undefined), 15_000);
  });

  after(async () => {
    await listener?.close();
    await relay.close();
    connector.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('calls the connector through relay and listener with the manifest\'s emulator string', async () => {
    const run = await runHcm(['call', 'sql-orders', 'POST', '/tables/Orders/items?$top=5', '--data', '{"a":1}', '--home', home]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^HTTP 200\n/);
    const body = JSON.parse(run.stdout.slice('HTTP 200\n'.length));
    assert.deepEqual(body, { method: 'POST', url: '/tables/Orders/items?$top=5', body: '{"a":1}', prefix: '/sql-orders' });
  });

  it('exits 1 on a non-2xx answer and prints it', async () => {
    const run = await runHcm(['call', 'sql-orders', 'GET', '/missing', '--home', home]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^HTTP 404/);
  });

  it('takes a namespace-level Send string from HCM_SEND_CONNECTION_STRING', async () => {
    const namespaceLevel = relay.connectionString('sql-orders').replace(/;EntityPath=[^;]*/, '');
    const run = await runHcm(['call', 'sql-orders', 'GET', '/x', '--home', path.join(home, 'none')], { env: { HCM_SEND_CONNECTION_STRING: namespaceLevel } });
    assert.equal(run.code, 0, run.stderr);
  });

  it('refuses bad input with exit 2: a string for another entity, a bad method, bad JSON, no connector', async () => {
    const other = relay.connectionString('sql-orders').replace('EntityPath=sql-orders', 'EntityPath=other');
    const cases: Array<[string[], RegExp]> = [
      [['call', 'sql-orders', 'GET', '/x', '--connection-string', other], /is for hybrid connection 'other'/],
      [['call', 'sql-orders', 'FETCH', '/x', '--home', home], /Method must be one of/],
      [['call', 'sql-orders', 'POST', '/x', '--data', '{nope', '--home', home], /--data is not valid JSON/],
      [['call', 'sql-elsewhere', 'GET', '/x', '--home', home], /No connector for 'sql-elsewhere'/],
      [['call', 'sql-orders', 'GET', 'x', '--home', home], /must start with "\/"/],
    ];
    for (const [args, message] of cases) {
      const run = await runHcm(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });

  it('reports each hybrid connection Connected and each connector ready', async () => {
    const run = await runHcm(['status', '--home', home, '--json']);
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout);
    assert.equal(report.listener.reachable, true);
    assert.deepEqual(report.connectors.map((c: Record<string, unknown>) => [c.site, c.hybridConnection, c.state, c.health, c.database]), [
      ['MicrosoftSqlConnector_001', 'sql-orders', 'Connected', 'ready', 'Echo'],
    ]);
    const table = await runHcm(['status', '--home', home]);
    assert.match(table.stdout, /MicrosoftSqlConnector_001\s+\d+\s+sql-orders\s+Connected\s+(?:\d+|\?)\s+Echo\s+ready/);
  });
});
