/**
 * End to end through the real relay emulator: an HTTP sender → relay → listener service (real
 * hyco-https) → a plain HTTP test connector on port 0, and back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { RelayEmulator } from '../../src/emulators/relay';
import { ListenerService } from '../../src/listener/listener-service';
import { ListenerSettings } from '../../src/listener/settings';
import { connectUri, createHybridConnectionToken } from '../../src/relay/uris';
import { Context, manifestWith, sendThroughRelay, startConnector, startRelay, TestConnector, waitFor } from '../relay/relay-fixtures';
import { anyFreeLoopbackPort } from '../../src/config/names';

const SITE = 'MicrosoftAzureBizTalkHybridListener';

async function startService(t: Context, relay: RelayEmulator, routes: Array<[string, TestConnector | number]>, settings: Partial<ListenerSettings> = {}): Promise<ListenerService> {
  const service = new ListenerService({ siteName: SITE, settings });
  t.after(() => service.shutdown(0));
  service.apply(manifestWith(routes.map(([name, connector]) => ({ connectionString: relay.connectionString(name), port: typeof connector === 'number' ? connector : connector.port }))));
  await waitFor('every hybrid connection Connected', () => service.status().every((entry) => entry.state === 'Connected'));
  return service;
}

const stateOf = (service: ListenerService, name: string) => service.status().find((entry) => entry.name === name);

/** A connector that answers with what it received. */
async function echoConnector(t: Context): Promise<TestConnector> {
  return startConnector(t, (request, response) => {
    const status = request.method === 'POST' ? 201 : request.method === 'DELETE' ? 204 : 200;
    response.writeHead(status, { 'content-type': 'application/json', 'x-echo-method': request.method, 'set-cookie': ['a=1', 'b=2'] });
    response.end(status === 204 ? undefined : JSON.stringify({ url: request.url, body: request.body.toString('utf8') }));
  });
}

describe('listener end to end through the relay emulator', { concurrency: true }, () => {
  it('forwards GET, POST, PUT, PATCH and DELETE with path, query, headers, body and forwarding headers', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await echoConnector(t);
    const service = await startService(t, relay, [['sql-orders', connector]]);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const body = method === 'GET' ? undefined : `{"method":"${method}","ü":"✓"}`;
      const response = await sendThroughRelay(relay, 'sql-orders', {
        method,
        suffix: `/tables/Orders(7)?$select=Id,Total&filter=a%20b`,
        body,
        headers: { 'content-type': 'application/json', 'x-custom': `v-${method}`, 'x-correlation-id': `corr-${method}`, accept: 'application/json' },
      });
      const seen = connector.received[connector.received.length - 1];
      assert.equal(seen.method, method);
      assert.equal(seen.url, '/tables/Orders(7)?$select=Id,Total&filter=a%20b', 'entity path removed, query intact');
      assert.equal(seen.headers['x-custom'], `v-${method}`);
      assert.equal(seen.headers['content-type'], 'application/json');
      assert.equal(seen.headers.accept, 'application/json');
      assert.equal(seen.headers['x-correlation-id'], `corr-${method}`);
      assert.equal(seen.headers['x-forwarded-prefix'], '/sql-orders');
      assert.equal(seen.headers['x-forwarded-proto'], 'http');
      assert.equal(seen.headers['x-forwarded-host'], `127.0.0.1:${relay.address().port}`);
      assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
      assert.equal(seen.headers.host, `127.0.0.1:${connector.port}`);
      assert.equal(seen.headers.servicebusauthorization, undefined, 'the relay token never reaches the connector');
      assert.equal(seen.body.toString('utf8'), body ?? '');
      if (body !== undefined) assert.equal(seen.headers['content-length'], String(Buffer.byteLength(body)));

      const expected = method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200;
      assert.equal(response.status, expected);
      assert.equal(response.headers['x-echo-method'], method);
      assert.equal(response.headers['x-correlation-id'], `corr-${method}`);
      assert.equal(response.headers['content-type'], 'application/json');
      if (expected === 204) assert.equal(response.body.length, 0);
      else assert.deepEqual(JSON.parse(response.body.toString('utf8')), { url: seen.url, body: body ?? '' });
    }
    assert.deepEqual(stateOf(service, 'sql-orders')?.requests, { total: 5, failed: 0 });
  });

  it('carries 1 MB each way intact, and a 204 with no body', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const megabyte = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < megabyte.length; i += 1) megabyte[i] = (i * 31 + 7) & 0xff;
    const connector = await startConnector(t, (request, response) => {
      if (request.url === '/empty') {
        response.writeHead(204);
        return response.end();
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'x-got': String(request.body.length), 'x-same': String(request.body.equals(megabyte)) });
      response.end(megabyte);
    });
    await startService(t, relay, [['sql-orders', connector]]);
    const big = await sendThroughRelay(relay, 'sql-orders', { method: 'POST', suffix: '/upload', body: megabyte, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(big.status, 200);
    assert.equal(big.headers['x-got'], String(megabyte.length));
    assert.equal(big.headers['x-same'], 'true');
    assert.equal(connector.received[0].headers['content-length'], String(megabyte.length));
    assert.equal(big.body.length, megabyte.length);
    assert.ok(big.body.equals(megabyte), 'the 1 MB response is byte-identical');
    const empty = await sendThroughRelay(relay, 'sql-orders', { suffix: '/empty' });
    assert.equal(empty.status, 204);
    assert.equal(empty.body.length, 0);
  });

  it('answers 502 ConnectorUnreachable JSON when the connector is down', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    // A port nothing listens on and no other test's port-0 server can get (a closed connector's
    // port could be handed to another test's server a moment later).
    const service = await startService(t, relay, [['sql-orders', await anyFreeLoopbackPort()]]);
    const response = await sendThroughRelay(relay, 'sql-orders', { suffix: '/tables', headers: { 'x-correlation-id': 'down-1' } });
    assert.equal(response.status, 502);
    assert.match(String(response.headers['content-type']), /application\/json/);
    const body = JSON.parse(response.body.toString());
    assert.equal(body.error.code, 'ConnectorUnreachable');
    assert.equal(body.error.connector, 'MicrosoftSqlConnector_001');
    assert.match(body.error.message, /MicrosoftSqlConnector_001/);
    assert.equal(response.headers['x-correlation-id'], 'down-1');
    assert.deepEqual(stateOf(service, 'sql-orders')?.requests, { total: 1, failed: 1 });
  });

  it('answers 504 ConnectorTimeout JSON when the connector does not answer within the configured time', async (t) => {
    const relay = await startRelay(t, ['slow']);
    const hanging = await startConnector(t, () => undefined); // never answers
    const service = await startService(t, relay, [['slow', hanging]], { connectorTimeoutMs: 1_000 });
    const timedOut = await sendThroughRelay(relay, 'slow', { suffix: '/hang' });
    assert.equal(timedOut.status, 504);
    assert.match(String(timedOut.headers['content-type']), /application\/json/);
    const body = JSON.parse(timedOut.body.toString());
    assert.deepEqual([body.error.code, body.error.connector, body.error.timeoutMs], ['ConnectorTimeout', 'MicrosoftSqlConnector_001', 1000]);
    assert.deepEqual(stateOf(service, 'slow')?.requests, { total: 1, failed: 1 });
  });

  it('keeps serving another connector while one connector is slow', async (t) => {
    const relay = await startRelay(t, ['slow', 'fast']);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slowConnector = await startConnector(t, (_request, response) => void released.then(() => response.end('slow done')));
    const fast = await echoConnector(t);
    await startService(t, relay, [['slow', slowConnector], ['fast', fast]]);
    let slowSettled = false;
    const slow = sendThroughRelay(relay, 'slow', { suffix: '/wait' }).finally(() => (slowSettled = true));
    await waitFor('the slow call to reach its connector', () => slowConnector.received.length === 1);
    const quick = await sendThroughRelay(relay, 'fast', { suffix: '/quick' });
    assert.equal(quick.status, 200);
    assert.equal(slowSettled, false, 'the fast connector answered while the slow call was still waiting');
    release();
    const done = await slow;
    assert.equal(done.status, 200);
    assert.equal(done.body.toString(), 'slow done');
  });

  it('rejects a WebSocket sender and keeps serving HTTP', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await echoConnector(t);
    const service = await startService(t, relay, [['sql-orders', connector]]);
    const target = { namespace: '127.0.0.1', port: relay.address().port, entityPath: 'sql-orders', emulator: true };
    const key = /SharedAccessKey=([^;]+)/.exec(relay.connectionString('sql-orders'))![1];
    const status = await new Promise<number>((resolve, reject) => {
      const sender = new WebSocket(connectUri(target), { headers: { ServiceBusAuthorization: createHybridConnectionToken(target, 'RootManageSharedAccessKey', key) } });
      sender.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      sender.on('open', () => reject(new Error('accepted')));
      sender.on('error', reject);
    });
    assert.equal(status, 501);
    const response = await sendThroughRelay(relay, 'sql-orders', { suffix: '/after-ws' });
    assert.equal(response.status, 200);
    assert.equal(stateOf(service, 'sql-orders')?.state, 'Connected');
  });

  it('goes Reconnecting when the relay stops and Connected again when it restarts, then serves calls', async (t) => {
    // Restarted on the same port: one that no port-0 bind can take while the relay is down.
    const relay = await startRelay(t, ['sql-orders'], { port: await anyFreeLoopbackPort() });
    const connector = await echoConnector(t);
    const service = await startService(t, relay, [['sql-orders', connector]]);
    const seen: string[] = [];
    const sample = () => {
      const state = stateOf(service, 'sql-orders')!.state;
      if (seen[seen.length - 1] !== state) seen.push(state);
    };
    // The first sample is taken now, before the relay stops: a sampler left to its first tick could
    // start after the drop and miss the Connected state.
    sample();
    assert.deepEqual(seen, ['Connected']);
    const timer = setInterval(sample, 5);
    t.after(() => clearInterval(timer));
    await relay.close();
    await waitFor('Reconnecting', () => stateOf(service, 'sql-orders')?.state === 'Reconnecting');
    assert.match(stateOf(service, 'sql-orders')?.lastError ?? '', /relay/i);
    await relay.start();
    await waitFor('Connected again', () => stateOf(service, 'sql-orders')?.state === 'Connected', 20_000);
    sample();
    assert.deepEqual(seen.slice(0, 3), ['Connected', 'Reconnecting', 'Connected']);
    const response = await sendThroughRelay(relay, 'sql-orders', { suffix: '/after-restart' });
    assert.equal(response.status, 200);
  });

  it('lets an in-flight call finish during shutdown, then closes the relay connection', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const connector = await startConnector(t, (_request, response) => setTimeout(() => response.end('finished'), 400));
    const service = await startService(t, relay, [['sql-orders', connector]]);
    const inFlight = sendThroughRelay(relay, 'sql-orders', { suffix: '/slow' });
    await waitFor('the call to reach the connector', () => connector.received.length === 1);
    await service.shutdown(5_000);
    const response = await inFlight;
    assert.equal(response.status, 200, `the in-flight call was answered ${response.status}: ${response.body.toString()}`);
    assert.equal(response.body.toString(), 'finished');
    await waitFor('the relay connection closed', () => relay.listenerCount('sql-orders') === 0);
  });
});
