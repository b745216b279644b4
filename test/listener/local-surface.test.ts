/**
 * The listener's own port: /status, /, /warmup and the JSON errors, over real HTTP (supertest),
 * with a listener service connected to the relay emulator.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ListenerService } from '../../src/listener/listener-service';
import { createLocalSurface } from '../../src/listener/local-surface';
import { renderStatusPage } from '../../src/listener/status-page';
import { manifestWith, relayPrimaryKey, startConnector, startRelay, waitFor } from '../relay/relay-fixtures';
import { anyFreeLoopbackPort } from '../../src/config/names';

describe('listener local surface', () => {
  it('reports each hybrid connection on /status, / and /warmup', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const connector = await startConnector(t, (_request, response) => response.end('ok'));
    const service = new ListenerService({ siteName: 'MicrosoftAzureBizTalkHybridListener' });
    t.after(() => service.shutdown(0));
    const wrong = relay.connectionString('orders').replace('EntityPath=orders', 'EntityPath=missing');
    service.apply(manifestWith([{ connectionString: relay.connectionString('orders'), port: connector.port }, { connectionString: wrong, port: await anyFreeLoopbackPort() }]));
    await waitFor('one Connected, one Failed', () => service.status().map((entry) => entry.state).join() === 'Failed,Connected');
    const app = http.createServer(createLocalSurface({ siteName: 'MicrosoftAzureBizTalkHybridListener', service }));

    const status = await request(app).get('/status').expect(200).expect('content-type', /application\/json/);
    assert.deepEqual(Object.keys(status.body), ['hybridConnections']);
    const [missing, orders] = status.body.hybridConnections;
    assert.deepEqual(Object.keys(orders).sort(), ['callsPerMinute', 'connector', 'inFlight', 'lastError', 'listeners', 'name', 'relayEndpoint', 'requests', 'since', 'state']);
    assert.equal(orders.name, 'orders');
    assert.equal(orders.connector, 'MicrosoftSqlConnector_001');
    assert.equal(orders.state, 'Connected');
    assert.equal(orders.lastError, null);
    assert.deepEqual(orders.requests, { total: 0, failed: 0 });
    assert.ok(!Number.isNaN(Date.parse(orders.since)));
    assert.equal(missing.state, 'Failed');
    assert.match(missing.lastError, /404/);
    assert.ok(!JSON.stringify(status.body).includes(relayPrimaryKey(relay)), 'no key in /status');

    const page = await request(app).get('/').expect(200).expect('content-type', /text\/html/);
    assert.match(page.text, /data-name="orders" data-state="Connected"/);
    assert.match(page.text, /data-name="missing" data-state="Failed"/);
    assert.ok(!page.text.includes(relayPrimaryKey(relay)));

    const warm = await request(app).get('/warmup').expect(200);
    assert.deepEqual(warm.body, { status: 'warm', hybridConnections: 2 });
  });

  it('answers the catalogue\'s JSON errors for unknown paths and methods', async () => {
    const service = new ListenerService({ siteName: 'MicrosoftAzureBizTalkHybridListener' });
    const app = http.createServer(createLocalSurface({ siteName: 'MicrosoftAzureBizTalkHybridListener', service }));
    const missing = await request(app).get('/nothing-here').expect(404);
    assert.equal(missing.body.error.code, 'NotFound');
    const wrongMethod = await request(app).post('/status').expect(405);
    assert.equal(wrongMethod.body.error.code, 'MethodNotAllowed');
    assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
    await request(app).head('/').expect(200);
  });

  it('escapes whatever reaches the status page', () => {
    const html = renderStatusPage('<site>', [
      { name: 'a"b', connector: 'MicrosoftSqlConnector_001', state: 'Reconnecting', since: '2024-01-01T00:00:00.000Z', lastError: '<script>alert(1)</script>', requests: { total: 3, failed: 1 },
        relayEndpoint: 'wss://<ns>:443/$hc/a"b', listeners: null, callsPerMinute: 0, inFlight: 0 },
    ]);
    assert.ok(!html.includes('<script>'));
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /data-name="a&quot;b" data-state="Reconnecting"/);
    assert.match(html, /wss:\/\/&lt;ns&gt;:443\/\$hc\/a&quot;b/);
    assert.match(html, /<span class="state down">Reconnecting<\/span>/);
    assert.match(renderStatusPage('s', []), /No hybrid connection is set up yet/);
  });
});
