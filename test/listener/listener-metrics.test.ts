/**
 * The listener's Prometheus metrics through the real relay emulator: calls by status, the duration
 * histogram, bytes each way, the state gauge and a reconnect after the relay restarts; /metrics on
 * the site's own port, refused to anything that came through a proxy; and a relayed /metrics
 * (however it is spelled) answered 404 by the listener without reaching the connector.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import type { RelayEmulator } from '../../src/emulators/relay';
import { ListenerService } from '../../src/listener/listener-service';
import { createLocalSurface } from '../../src/listener/local-surface';
import type { ListenerSettings } from '../../src/listener/settings';
import { Context, manifestWith, sendThroughRelay, startConnector, startRelay, TestConnector, waitFor } from '../relay/relay-fixtures';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { metricTypes, sampleValue } from '../common/prometheus-text';

const SITE = 'MicrosoftAzureBizTalkHybridListener';

async function startService(t: Context, relay: RelayEmulator, connector: TestConnector, settings: Partial<ListenerSettings> = {}): Promise<ListenerService> {
  const service = new ListenerService({ siteName: SITE, settings });
  t.after(() => service.shutdown(0));
  service.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: connector.port }]));
  await waitFor('Connected', () => service.status()[0]?.state === 'Connected');
  return service;
}

async function startSurface(t: Context, service: ListenerService): Promise<number> {
  const server = http.createServer(createLocalSurface({ siteName: SITE, service }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const hc = { hybrid_connection: 'sql-orders', site: SITE };

describe('listener metrics', () => {
  it('counts calls by status, their duration and bytes each way, the state, and a reconnect', async (t) => {
    const relay = await startRelay(t, ['sql-orders'], { port: await anyFreeLoopbackPort() });
    const connector = await startConnector(t, (request, response) => {
      response.writeHead(request.url.startsWith('/missing') ? 404 : 200);
      response.end('x'.repeat(1000));
    });
    const service = await startService(t, relay, connector, { listenerCountPollMs: 60_000 });
    const port = await startSurface(t, service);
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return response.text();
    };

    assert.equal((await sendThroughRelay(relay, 'sql-orders', { method: 'POST', suffix: '/tables/T/items', body: 'y'.repeat(300) })).status, 200);
    assert.equal((await sendThroughRelay(relay, 'sql-orders', { suffix: '/tables' })).status, 200);
    assert.equal((await sendThroughRelay(relay, 'sql-orders', { suffix: '/missing' })).status, 404);

    let text = await scrape();
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_calls_total', { ...hc, status: '200' }), 2);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_calls_total', { ...hc, status: '404' }), 1);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_call_duration_seconds_count', hc), 3);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_call_duration_seconds_bucket', { ...hc, le: '+Inf' }), 3);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_request_bytes_total', hc), 300);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_response_bytes_total', hc), 3000);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_state', { ...hc, state: 'Connected' }), 1);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_state', { ...hc, state: 'Reconnecting' }), 0);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_reconnects_total', hc), 0);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_calls_in_flight', hc), 0);
    // Asked of the relay (runtime information) as soon as the connection is up.
    await waitFor('the relay\'s listener count', () => service.status()[0].listeners === 1);
    assert.equal(sampleValue(await scrape(), 'hcm_hybrid_connection_listeners', hc), 1);
    const types = metricTypes(text);
    assert.equal(types.get('hcm_hybrid_connection_calls_total'), 'counter');
    assert.equal(types.get('hcm_hybrid_connection_call_duration_seconds'), 'histogram');
    assert.equal(types.get('hcm_hybrid_connection_state'), 'gauge');

    const [entry] = service.status();
    assert.equal(entry.callsPerMinute, 3);
    assert.equal(entry.relayEndpoint, `ws://127.0.0.1:${relay.address().port}/$hc/sql-orders`);

    await relay.close();
    await waitFor('Reconnecting', () => service.status()[0].state === 'Reconnecting');
    text = await scrape();
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_state', { ...hc, state: 'Reconnecting' }), 1);
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_reconnects_total', hc), 1);
    await relay.start();
    await waitFor('Connected again', () => service.status()[0].state === 'Connected', 20_000);
    text = await scrape();
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_reconnects_total', hc), 1, 'one drop is one reconnect, however many attempts it took');
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_state', { ...hc, state: 'Connected' }), 1);
  });

  it('answers /metrics on its own port but 404 to a request that came through a proxy', async (t) => {
    const service = new ListenerService({ siteName: SITE });
    const port = await startSurface(t, service);
    assert.doesNotMatch(await service.metrics.registry.metrics(), /^hcm_hybrid_connection_listeners\{/m, 'no listener count before the relay has said');
    const plain = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(plain.status, 200);
    assert.match(await plain.text(), /# TYPE hcm_hybrid_connection_calls_total counter/);
    for (const header of ['x-forwarded-for', 'x-forwarded-prefix', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded']) {
      const proxied = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { [header]: 'x' } });
      assert.equal(proxied.status, 404, header);
      const body = await proxied.text();
      assert.equal(JSON.parse(body).error.code, 'NotFound');
      assert.ok(!body.includes('hcm_'), 'no metric leaks into the refusal');
    }
  });

  it('answers a relayed /metrics itself with 404, however it is spelled, and never forwards it', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await startConnector(t, (_request, response) => response.end('hcm_connector_requests_total 1'));
    const service = await startService(t, relay, connector);
    for (const suffix of ['/metrics', '/METRICS', '/metrics/', '/metrics?x=1', '//metrics', '/%6detrics', '/a/../metrics', '/%2e/metrics', '/Metrics%2F']) {
      const response = await sendThroughRelay(relay, 'sql-orders', { suffix });
      assert.equal(response.status, 404, suffix);
      assert.equal(JSON.parse(response.body.toString()).error.code, 'NotFound', suffix);
    }
    assert.deepEqual(connector.received.map((r) => r.url), [], 'no /metrics call reached the connector');
    for (const suffix of ['/metricsx', '/tables/metrics', '/metrics.json']) {
      assert.equal((await sendThroughRelay(relay, 'sql-orders', { suffix })).status, 200, suffix);
    }
    assert.equal(connector.received.length, 3);
    const text = await service.metrics.registry.metrics();
    assert.equal(sampleValue(text, 'hcm_hybrid_connection_calls_total', { ...hc, status: '404' }), 9);
  });
});
