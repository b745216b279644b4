/**
 * Regression tests, one per hyco-https 1.4.5 defect we depend on (relay-protocol.md §5.3), run
 * against the real relay emulator. Without the guards most of these crash the test process with
 * an uncaught exception; the others lose a call (504) or a header.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { createHycoServer, HycoIncomingMessage, HycoServerResponse } from '../../src/relay/hyco';
import { installGuards } from '../../src/relay/hyco-guards';
import { RelayListener } from '../../src/relay/relay-listener';
import type { RelayedCall } from '../../src/relay/relayed-call';
import { connectUri, createHybridConnectionToken, listenUri } from '../../src/relay/uris';
import { Context, connectionFor, relayListenerSockets, sendThroughRelay, startRelay, waitFor } from './relay-fixtures';
import type { RelayEmulator } from '../../src/emulators/relay';

function readAll(call: RelayedCall): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    call.body.on('data', (chunk: Buffer) => chunks.push(chunk));
    call.body.on('end', () => resolve(Buffer.concat(chunks)));
    call.body.on('error', reject);
  });
}

async function listen(t: Context, relay: RelayEmulator, onCall: (call: RelayedCall) => void): Promise<RelayListener> {
  const listener = new RelayListener({ connection: connectionFor(relay, 'orders'), onCall });
  listener.start();
  t.after(() => listener.close());
  await waitFor('Connected', () => listener.state === 'Connected' && relay.listenerCount('orders') === 1);
  return listener;
}

const ok = (call: RelayedCall) => {
  call.response.writeHead(200, 'OK', { 'content-type': 'text/plain' });
  call.response.end(Buffer.from(`ok ${call.target}`));
};

describe('hyco-https defects contained behind src/relay', { concurrency: true }, () => {
  it('B2: rejects a WebSocket sender with 501 and keeps serving HTTP', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const listener = await listen(t, relay, ok);
    const port = relay.address().port;
    const target = { namespace: '127.0.0.1', port, entityPath: 'orders', emulator: true };
    const token = createHybridConnectionToken(target, 'RootManageSharedAccessKey', connectionFor(relay, 'orders').key!);
    const answer = await new Promise<{ status: number; message: string }>((resolve, reject) => {
      const sender = new WebSocket(connectUri(target), { headers: { ServiceBusAuthorization: token } });
      sender.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0, message: response.statusMessage ?? '' }));
      sender.on('open', () => reject(new Error('the WebSocket sender was accepted')));
      sender.on('error', reject);
    });
    assert.equal(answer.status, 501);
    assert.match(answer.message, /WebSocket/);
    assert.equal(listener.stats.webSocketsRejected, 1);
    assert.equal(listener.state, 'Connected');
    const response = await sendThroughRelay(relay, 'orders', { suffix: '/after' });
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'ok /orders/after');
  });

  it('B5: drops junk frames from the relay and keeps serving', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const listener = await listen(t, relay, ok);
    const [socket] = relayListenerSockets(relay, 'orders');
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    socket.send('this is not JSON', { binary: false });
    socket.send('[1,2,3]', { binary: false });
    socket.send(JSON.stringify({ request: { id: 'x', method: 'GET' } }), { binary: false });
    socket.send(JSON.stringify({ surprise: true }), { binary: false });
    await waitFor('five junk frames counted', () => listener.stats.junkFrames === 5);
    const response = await sendThroughRelay(relay, 'orders', { suffix: '/still-alive' });
    assert.equal(response.status, 200);
    assert.equal(listener.state, 'Connected');
  });

  it('B3: a request whose prototype lost handleBody (as with Express) still gets its body, and the next call works', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const connection = connectionFor(relay, 'orders');
    const server = createHycoServer({ server: listenUri(connection), token: () => createHybridConnectionToken(connection, connection.keyName!, connection.key!) });
    const handlerErrors: unknown[] = [];
    installGuards(server, {
      onAccept: () => undefined,
      onRequestMessage: () => undefined,
      onBody: () => undefined,
      onJunk: () => undefined,
      onStaleRequest: () => undefined,
      onHandlerError: (error) => handlerErrors.push(error),
    });
    server.on('request', (req: HycoIncomingMessage, res: HycoServerResponse) => {
      // Express swaps in http.IncomingMessage.prototype, which has no handleBody (and whose _destroy
      // calls socket.destroy, which hyco's WebSocket lacks: one more reason we never hand hyco's
      // requests to Express). A bare Readable prototype reproduces the missing handleBody alone.
      Object.setPrototypeOf(req, Readable.prototype);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.end(`got ${Buffer.concat(chunks).toString()} (${req.headers['content-length']})`));
    });
    server.listen();
    t.after(() => server.close());
    await waitFor('listening', () => relay.listenerCount('orders') === 1);
    const first = await sendThroughRelay(relay, 'orders', { method: 'POST', body: 'first body' });
    assert.equal(first.body.toString(), 'got first body (10)');
    const second = await sendThroughRelay(relay, 'orders', { method: 'PUT', body: 'second' });
    assert.equal(second.body.toString(), 'got second (6)');
    assert.deepEqual(handlerErrors, []);
  });

  it('B17: a request left without its body by a dropped channel does not swallow the next call', async (t) => {
    const relay = await startRelay(t, ['orders'], { responseTimeoutMs: 3_000 });
    const listener = await listen(t, relay, ok);
    const [socket] = relayListenerSockets(relay, 'orders');
    // A relay that announces a body and then loses the connection before sending it.
    await new Promise<void>((resolve, reject) =>
      socket.send(JSON.stringify({ request: { id: 'lost', address: 'ws://127.0.0.1:1/none', requestTarget: '/orders/lost', method: 'POST', requestHeaders: {}, body: true } }), (error) => (error ? reject(error) : resolve())),
    );
    await waitFor('the listener to hold the request for its body', () => listener.requestsAwaitingBody === 1);
    socket.terminate();
    await waitFor('reconnected', () => listener.stats.connects === 2 && listener.state === 'Connected');
    const response = await sendThroughRelay(relay, 'orders', { suffix: '/next' });
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'ok /orders/next');
    assert.equal(listener.stats.staleRequests, 1);
  });

  it('B7: joins multi-valued response headers instead of keeping only the first value', async (t) => {
    const relay = await startRelay(t, ['orders']);
    await listen(t, relay, (call) => {
      call.response.writeHead(200, 'OK', { 'x-multi': ['alpha', 'beta'], 'x-single': 'one', 'content-length': 999 });
      call.response.end(Buffer.from('body'));
    });
    const response = await sendThroughRelay(relay, 'orders');
    assert.equal(response.headers['x-multi'], 'alpha, beta');
    assert.equal(response.headers['x-single'], 'one');
    assert.equal(response.body.toString(), 'body', 'a wrong Content-Length from the app is not relayed');
  });

  it('B8/B9: tracks headersSent itself and ignores writes and ends after the end', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const seen: boolean[] = [];
    const listener = await listen(t, relay, (call) => {
      seen.push(call.response.headersSent);
      call.response.writeHead(201, 'Created', {});
      seen.push(call.response.headersSent);
      call.response.write(Buffer.from('one '));
      call.response.end(Buffer.from('two'));
      call.response.write(Buffer.from('three'));
      call.response.end();
      assert.throws(() => call.response.writeHead(500, undefined, {}), /already sent/);
    });
    const response = await sendThroughRelay(relay, 'orders');
    assert.equal(response.status, 201);
    assert.equal(response.body.toString(), 'one two');
    assert.deepEqual(seen, [false, true]);
    assert.equal(listener.stats.handlerErrors, 0);
    assert.equal((await sendThroughRelay(relay, 'orders')).status, 201);
  });

  it('B12: serves the next call a strict relay sends over a response rendezvous (same sender connection)', async (t) => {
    const relay = await startRelay(t, ['orders'], { strict: true, responseTimeoutMs: 3_000 });
    const big = Buffer.alloc(200 * 1024, 'x');
    await listen(t, relay, (call) => {
      call.response.writeHead(200, 'OK', { 'content-type': 'application/octet-stream' });
      call.response.end(call.target.endsWith('/big') ? big : Buffer.from('small'));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const first = await sendThroughRelay(relay, 'orders', { suffix: '/big', agent });
    assert.equal(first.status, 200);
    assert.equal(first.body.length, big.length);
    const second = await sendThroughRelay(relay, 'orders', { suffix: '/small', agent });
    assert.equal(second.status, 200, 'the second call on the same sender connection was not lost');
    assert.equal(second.body.toString(), 'small');
    const third = await sendThroughRelay(relay, 'orders', { suffix: '/big', agent });
    assert.equal(third.body.length, big.length);
  });

  it('survives a response rendezvous the relay refuses (hyco-https gives it no error listener)', async (t) => {
    const relay = await startRelay(t, ['orders'], { responseTimeoutMs: 2_000 });
    const late: RelayedCall[] = [];
    const listener = await listen(t, relay, (call) => {
      if (call.target.endsWith('/late')) late.push(call);
      else ok(call);
    });
    // The relay gives up on the call (504) and forgets its rendezvous address; only then does the
    // listener answer with a body large enough to need that rendezvous.
    const answer = await sendThroughRelay(relay, 'orders', { suffix: '/late' });
    assert.equal(answer.status, 504);
    late[0].response.writeHead(200, 'OK', {});
    late[0].response.end(Buffer.alloc(100 * 1024, 'y'));
    await waitFor('the lost response counted', () => listener.stats.lostResponses === 1);
    assert.equal(listener.state, 'Connected');
    assert.equal((await sendThroughRelay(relay, 'orders', { suffix: '/fine' })).status, 200);
  });

  it('delivers a request body larger than 64 kB (relayed over a rendezvous) intact', async (t) => {
    const relay = await startRelay(t, ['orders']);
    await listen(t, relay, (call) => {
      void readAll(call).then((body) => {
        call.response.writeHead(200, 'OK', {});
        call.response.end(Buffer.from(`${body.length} ${call.headers['content-length']} ${body.equals(Buffer.alloc(300 * 1024, 'z'))}`));
      });
    });
    const response = await sendThroughRelay(relay, 'orders', { method: 'POST', body: Buffer.alloc(300 * 1024, 'z') });
    assert.equal(response.body.toString(), `${300 * 1024} ${300 * 1024} true`);
  });
});
