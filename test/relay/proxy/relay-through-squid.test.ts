/**
 * The relay listener through a real Squid: every relay connection (control channel, request and
 * response rendezvous, a reconnect) goes through the proxy — the relay's host name resolves only
 * inside Squid, and Squid's own access log counts as many tunnels as the relay saw listener
 * connections, runtime information included. Also: a proxy that refuses, a wrong password, an NTLM-only proxy, and a proxy that
 * drops every tunnel while calls run (the listener reconnects through it).
 */
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, describe, it } from 'node:test';
import { RelayEmulator } from '../../../src/emulators/relay';
import { parseConfigurationString } from '../../../src/config/connection-string';
import WebSocket from 'ws';
import { RelayConnectionState, RelayListener } from '../../../src/relay/relay-listener';
import { connectUri, createHybridConnectionToken } from '../../../src/relay/uris';
import type { RelayedCall } from '../../../src/relay/relayed-call';
import { useRelayProxy } from '../../../src/relay/proxy/relay-proxy';
import { fetchListenerCount } from '../../../src/relay/runtime-information';
import { Context, relayListenerSockets, sendThroughRelay, startRelay, waitFor } from '../relay-fixtures';
import { Squid } from './squid';

const RELAY_NAME = 'relay.hcm.test';
const PASSWORD = 'pr0xy-Pa55:w@rd';
const BIG = 100 * 1024;

after(() => useRelayProxy(undefined));

/** The connection string with the relay's host replaced by a name only Squid resolves. */
function connectionThroughName(relay: RelayEmulator, name: string) {
  return parseConfigurationString(relay.connectionString(name).replace('sb://127.0.0.1:', `sb://${RELAY_NAME}:`));
}

/** GET /big?n answers n bytes; POST answers the size and a digest of what arrived; /slow waits for `release`. */
function handler(gate: { release?: () => void; waiting: number; next: Promise<void> }) {
  return (call: RelayedCall) => {
    const chunks: Buffer[] = [];
    call.body.on('data', (chunk: Buffer) => chunks.push(chunk));
    call.body.on('end', async () => {
      const body = Buffer.concat(chunks);
      const url = new URL(call.target, 'http://x');
      if (url.pathname.endsWith('/slow')) {
        gate.waiting += 1;
        await gate.next;
      }
      if (url.pathname.endsWith('/big')) {
        const size = Number(url.searchParams.get('n'));
        call.response.writeHead(200, 'OK', { 'content-type': 'application/octet-stream' });
        return call.response.end(Buffer.alloc(size, 'r'));
      }
      call.response.writeHead(200, 'OK', { 'content-type': 'application/json' });
      call.response.end(Buffer.from(JSON.stringify({ received: body.length, allX: body.every((b) => b === 0x78) })));
    });
  };
}

/** Counts the TCP connections the relay emulator accepts (its server is private: test-only reach-in). */
function countRelayConnections(relay: RelayEmulator): { count: number } {
  const counter = { count: 0 };
  const server = (relay as unknown as { server: { on(event: 'connection', listener: (socket: net.Socket) => void): void } }).server;
  server.on('connection', () => (counter.count += 1));
  return counter;
}

function startListener(t: Context, relay: RelayEmulator, name: string, gate = { waiting: 0, next: Promise.resolve() }): RelayListener {
  const listener = new RelayListener({ connection: connectionThroughName(relay, name), onCall: handler(gate), rejectedRetryMs: 60_000 });
  listener.start();
  t.after(() => listener.close());
  return listener;
}

function waitForState(listener: RelayListener, wanted: RelayConnectionState): Promise<void> {
  return new Promise((resolve) => {
    const onState = (state: RelayConnectionState) => {
      if (state !== wanted) return;
      listener.removeListener('state', onState);
      resolve();
    };
    listener.on('state', onState);
  });
}

describe('relay connections through a real Squid proxy', () => {
  it('sends the control channel, both rendezvous kinds, a WebSocket rejection and a reconnect through the proxy, with Basic authentication', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ basicAuth: { user: 'hcm', password: PASSWORD }, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    // The manifest's form: the URL without credentials, the password from HCM_PROXY_PASSWORD.
    useRelayProxy({ url: squid.url, username: 'hcm' }, { HCM_PROXY_PASSWORD: PASSWORD });
    const connections = countRelayConnections(relay);
    let senderRequests = 0;
    const send = (options: Parameters<typeof sendThroughRelay>[2]) => {
      senderRequests += 1;
      return sendThroughRelay(relay, 'orders', options);
    };
    const listener = startListener(t, relay, 'orders');
    await waitFor('Connected through the proxy', () => listener.state === 'Connected' || listener.lastError);
    assert.equal(listener.state, 'Connected', String(listener.lastError));

    const exchange = async () => {
      const upload = await send({ method: 'POST', body: Buffer.alloc(BIG, 'x') });
      assert.equal(upload.status, 200);
      assert.deepEqual(JSON.parse(upload.body.toString()), { received: BIG, allX: true });
      const download = await send({ suffix: `/big?n=${BIG}` });
      assert.equal(download.status, 200);
      assert.equal(download.body.length, BIG);
      assert.ok(download.body.every((b) => b === 0x72));
    };
    await exchange();
    // A reconnect: the relay drops the control channel, the listener comes back through the proxy.
    const reconnected = waitForState(listener, 'Connected');
    for (const socket of relayListenerSockets(relay, 'orders')) socket.terminate();
    await reconnected;
    await exchange();
    assert.equal(listener.stats.connects, 2);
    // A WebSocket sender: the listener's rejection handshake is a relay connection too.
    const target = { namespace: '127.0.0.1', port: relay.address().port, entityPath: 'orders', emulator: true };
    const token = createHybridConnectionToken(target, 'RootManageSharedAccessKey', connectionThroughName(relay, 'orders').key!);
    const refused = await new Promise<number>((resolve, reject) => {
      senderRequests += 1;
      const sender = new WebSocket(connectUri(target), { headers: { ServiceBusAuthorization: token } });
      sender.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      sender.on('open', () => reject(new Error('the WebSocket sender was accepted')));
      sender.on('error', reject);
    });
    assert.equal(refused, 501);
    // The runtime-information request (listener count) is a relay connection too.
    assert.equal(await fetchListenerCount(connectionThroughName(relay, 'orders')), 1);

    await listener.close();
    await squid.stop(); // Squid logs a tunnel when it ends; stopping ends them all.
    const tunnels = squid.accessLog().filter((entry) => entry.method === 'CONNECT');
    const relayPort = relay.address().port;
    assert.ok(tunnels.length > 0, 'Squid logged no CONNECT');
    for (const entry of tunnels) {
      assert.equal(entry.url, `${RELAY_NAME}:${relayPort}`);
      assert.equal(entry.result, 'TCP_TUNNEL/200');
      assert.equal(entry.user, 'hcm');
    }
    // Every connection the relay accepted that was not one of the test's own sender requests is a
    // listener connection, and Squid tunnelled each one: 2 control channels + 2 request + 2 response rendezvous.
    if (process.env.HCM_TEST_VERBOSE) console.log(`relay connections ${connections.count}, sender requests ${senderRequests}, Squid tunnels ${tunnels.length}`);
    assert.equal(connections.count - senderRequests, tunnels.length);
    assert.ok(tunnels.length >= 6, `expected at least 6 tunnels, Squid logged ${tunnels.length}`);
  });

  it('goes Failed naming the proxy when it refuses the tunnel (403)', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ denyAll: true, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    useRelayProxy(undefined, { HTTP_PROXY: squid.url });
    const listener = startListener(t, relay, 'orders');
    await waitFor('Failed', () => listener.state === 'Failed');
    assert.match(String(listener.lastError), new RegExp(`proxy ${squid.url} \\(from HTTP_PROXY\\) refused the tunnel to ${RELAY_NAME}:\\d+ \\(403`));
    assert.equal(relay.listenerCount('orders'), 0);
    // Squid writes its access log a moment after the answer: wait for the line, do not race it.
    await waitFor('Squid to log the refused CONNECT', () => squid.accessLog().some((entry) => entry.result === 'TCP_DENIED/403' && entry.method === 'CONNECT'));
  });

  it('goes Failed naming the proxy authentication, never the password, when the password is wrong', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ basicAuth: { user: 'hcm', password: PASSWORD }, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const wrong = 'not-the-Pa55word';
    useRelayProxy(undefined, { HTTP_PROXY: `http://hcm:${wrong}@127.0.0.1:${squid.port}` });
    const listener = startListener(t, relay, 'orders');
    await waitFor('Failed', () => listener.state === 'Failed');
    const message = String(listener.lastError);
    assert.match(message, /refused the user name and password of hcm \(407 Proxy Authentication Required\)/);
    assert.ok(!message.includes(wrong) && !message.includes(Buffer.from(`hcm:${wrong}`).toString('base64')));
    await waitFor('Squid to log the 407', () => squid.accessLog().some((entry) => entry.result === 'TCP_DENIED/407'));
  });

  it('says NTLM/Negotiate is not supported when the 407 offers only NTLM', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ ntlmOnly: true, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    useRelayProxy({ url: squid.url });
    const listener = startListener(t, relay, 'orders');
    await waitFor('Failed', () => listener.state === 'Failed');
    assert.match(String(listener.lastError), /asks for NTLM authentication \(407\), which hcm does not support \(only Basic\)/);
  });

  it('reconnects through the proxy after it drops every tunnel while calls run; later calls all succeed', async (t) => {
    const relay = await startRelay(t, ['orders'], { responseTimeoutMs: 5_000 });
    const squid = await new Squid({ hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    useRelayProxy(undefined, { HTTP_PROXY: squid.url });
    let release!: () => void;
    const gate = { waiting: 0, next: new Promise<void>((resolve) => (release = resolve)) };
    const listener = startListener(t, relay, 'orders', gate);
    await waitFor('Connected', () => listener.state === 'Connected');
    // Calls in flight: held by the handler until the proxy is gone.
    const inFlight = [1, 2, 3].map(() => sendThroughRelay(relay, 'orders', { suffix: '/slow' }).then((r) => r.status, () => 0));
    await waitFor('three calls held by the listener', () => gate.waiting === 3);
    const dropped = waitForState(listener, 'Reconnecting');
    await squid.kill();
    await dropped;
    release();
    const statuses = await Promise.all(inFlight);
    assert.ok(statuses.every((status) => status !== 200), `calls whose tunnel died cannot have answered: ${statuses}`);
    const back = waitForState(listener, 'Connected');
    await squid.start(t, squid.port);
    await back;
    for (let i = 0; i < 5; i++) {
      const response = await sendThroughRelay(relay, 'orders', { method: 'POST', body: 'after the drop' });
      assert.equal(response.status, 200);
    }
    await listener.close();
    await squid.stop();
    assert.ok(squid.accessLog().some((entry) => entry.method === 'CONNECT' && entry.result === 'TCP_TUNNEL/200'), 'the reconnect went through the restarted proxy');
  });

  it('takes HTTP_PROXY for a relay on loopback too, unless NO_PROXY names it', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid().start(t);
    const loopback = parseConfigurationString(relay.connectionString('orders'));
    useRelayProxy(undefined, { HTTP_PROXY: squid.url });
    const proxied = new RelayListener({ connection: loopback, onCall: handler({ waiting: 0, next: Promise.resolve() }) });
    proxied.start();
    t.after(() => proxied.close());
    await waitFor('Connected through the proxy', () => proxied.state === 'Connected');
    useRelayProxy(undefined, { HTTP_PROXY: squid.url, NO_PROXY: `localhost,127.0.0.1:${relay.address().port}` });
    const direct = new RelayListener({ connection: loopback, onCall: handler({ waiting: 0, next: Promise.resolve() }) });
    direct.start();
    t.after(() => direct.close());
    await waitFor('Connected directly', () => direct.state === 'Connected');
    await proxied.close();
    await direct.close();
    await squid.stop();
    const tunnels = squid.accessLog().filter((entry) => entry.method === 'CONNECT');
    assert.deepEqual(tunnels.map((entry) => entry.url), [`127.0.0.1:${relay.address().port}`], 'one tunnel: the first listener\'s; the second went direct');
  });
});
