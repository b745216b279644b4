/**
 * Issue 16, item 8: a rendezvous address that accepts TCP but never completes the WebSocket
 * handshake. hyco-https opens rendezvous sockets with no handshake timeout, so each such request
 * held a socket (and its descriptor) for ever. The handshake timeout set in the one place for relay
 * socket options (relay-websocket-options.ts) releases every one of them; the listener keeps serving.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { RelayListener } from '../../src/relay/relay-listener';
import type { RelayedCall } from '../../src/relay/relayed-call';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, relayWebSocketOptions, useRelayConnectionSettings } from '../../src/relay/relay-websocket-options';
import { Context, connectionFor, relayListenerSockets, sendThroughRelay, startRelay, waitFor } from './relay-fixtures';

const STALLED_REQUESTS = 30;
const HANDSHAKE_TIMEOUT_MS = 300;

/** A TCP server that accepts and never says a word; counts the sockets it holds. */
async function stallingServer(t: Context): Promise<{ port: number; accepted: () => number; open: () => number }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Read (and ignore) the upgrade request, so that the peer's FIN is seen; never answer it.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as net.AddressInfo).port, accepted: () => accepted, open: () => sockets.size };
}

describe('a stalled rendezvous is released after the handshake timeout', () => {
  it('gives every relay socket a handshake timeout (10 s unless set) and room for ping bursts', () => {
    assert.equal(relayWebSocketOptions({}, 'wss://x.servicebus.windows.net/').handshakeTimeout, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    assert.equal(relayWebSocketOptions({ handshakeTimeoutMs: 1234 }, 'ws://127.0.0.1:9351/').handshakeTimeout, 1234);
    assert.ok((relayWebSocketOptions({}).maxPendingAutoPongs ?? 0) >= 1_000);
  });

  it(`closes each of ${STALLED_REQUESTS} request rendezvous that never complete, and a stalled response rendezvous loses only its call`, async (t) => {
    useRelayConnectionSettings({ handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS });
    t.after(() => useRelayConnectionSettings({}));
    const stall = await stallingServer(t);
    const relay = await startRelay(t, ['orders']);
    const big = Buffer.alloc(100 * 1024, 0x61);
    const listener = new RelayListener({
      connection: connectionFor(relay, 'orders'),
      onCall: (call: RelayedCall) => {
        call.response.writeHead(200, 'OK', { 'content-type': 'text/plain' });
        call.response.end(call.target.endsWith('/big') ? big : Buffer.from('ok'));
      },
    });
    listener.start();
    t.after(() => listener.close());
    await waitFor('Connected', () => listener.state === 'Connected' && relayListenerSockets(relay, 'orders').length === 1);
    const control = relayListenerSockets(relay, 'orders')[0];
    const address = (id: string) => `ws://127.0.0.1:${stall.port}/$hc/orders?sb-hc-action=request&sb-hc-id=${id}`;

    // The rendezvous-only form: the listener must connect to the address to read the request.
    for (let i = 0; i < STALLED_REQUESTS; i += 1) control.send(JSON.stringify({ request: { address: address(`stalled-${i}`), id: `stalled-${i}` } }));
    // A small request on the control channel whose response (> 64 kB) must go over a rendezvous: it stalls too.
    control.send(JSON.stringify({
      request: { address: address('big'), id: 'big', requestTarget: '/orders/big', method: 'GET', requestHeaders: {}, remoteEndpoint: { address: '127.0.0.1', port: 1 } },
    }));
    await waitFor('every rendezvous to reach the stalling server', () => stall.accepted() === STALLED_REQUESTS + 1, 15_000);
    await waitFor('every stalled socket released', () => stall.open() === 0, 15_000);
    await waitFor('the big response reported lost', () => listener.stats.lostResponses === 1, 15_000);

    assert.equal(listener.state, 'Connected');
    assert.equal(listener.stats.connects, 1, 'the control channel stayed up');
    assert.equal((await sendThroughRelay(relay, 'orders', { suffix: '/after' })).status, 200);
  });
});
