/**
 * The relay listener wrapper (real hyco-https 1.4.5) against the real relay emulator: connection
 * states, rejected keys, missing hybrid connections, relay restarts, close during back-off (B6),
 * token renewal (B14) and keep-alive pongs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelayListener, RelayListenerOptions, RelayConnectionState } from '../../src/relay/relay-listener';
import type { RelayedCall } from '../../src/relay/relayed-call';
import { Context, connectionFor, relayListenerSockets, sendThroughRelay, startRelay, waitFor } from './relay-fixtures';
import { anyFreeLoopbackPort } from '../../src/config/names';

/** Answers every call with what it saw, as JSON. */
function echo(call: RelayedCall): void {
  const chunks: Buffer[] = [];
  call.body.on('data', (chunk: Buffer) => chunks.push(chunk));
  call.body.on('end', () => {
    const body = Buffer.concat(chunks);
    call.response.writeHead(200, 'OK', { 'content-type': 'application/json' });
    call.response.end(Buffer.from(JSON.stringify({ method: call.method, target: call.target, headers: call.headers, body: body.toString('utf8'), remoteAddress: call.remoteAddress })));
  });
}

function startListener(t: Context, options: Partial<RelayListenerOptions> & Pick<RelayListenerOptions, 'connection'>): RelayListener {
  const listener = new RelayListener({ onCall: echo, ...options });
  listener.start();
  t.after(() => listener.close());
  return listener;
}

function recordStates(listener: RelayListener): RelayConnectionState[] {
  const states: RelayConnectionState[] = [];
  listener.on('state', (state: RelayConnectionState) => {
    if (states[states.length - 1] !== state) states.push(state);
  });
  return states;
}

describe('relay listener against the relay emulator', { concurrency: true }, () => {
  it('connects, reports Connected and answers a relayed POST with its body and Content-Length (B4)', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const listener = startListener(t, { connection: connectionFor(relay, 'orders') });
    await waitFor('Connected', () => listener.state === 'Connected');
    assert.equal(relay.listenerCount('orders'), 1);
    const response = await sendThroughRelay(relay, 'orders', { method: 'POST', suffix: '/tables/x?top=1', body: 'hello relay', headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 200);
    const seen = JSON.parse(response.body.toString());
    assert.equal(seen.method, 'POST');
    assert.equal(seen.target, '/orders/tables/x?top=1');
    assert.equal(seen.body, 'hello relay');
    assert.equal(seen.headers['content-length'], String(Buffer.byteLength('hello relay')));
    assert.equal(seen.headers['content-type'], 'text/plain');
    assert.equal(seen.remoteAddress, '127.0.0.1', 'the relay remoteEndpoint reaches the call (hyco-https ignores it, B11)');
  });

  it('goes Failed with a clear message naming the 401 and no secret when the key is wrong', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const wrongKey = 'd3Jvbmcta2V5LXRoYXQtaXMtbm90LXRoZS1yZWFsLW9uZQ==';
    const connection = { ...connectionFor(relay, 'orders'), key: wrongKey };
    const listener = startListener(t, { connection, rejectedRetryMs: 60_000 });
    await waitFor('Failed', () => listener.state === 'Failed');
    assert.match(listener.lastError ?? '', /401/);
    assert.match(listener.lastError ?? '', /key/i);
    assert.ok(!(listener.lastError ?? '').includes(wrongKey), 'the key is not in the message');
    assert.equal(listener.state, 'Failed');
    assert.equal(listener.stats.connectAttempts, 1, 'no quick retries with a rejected key');
    assert.equal(listener.stats.connects, 0);
  });

  it('goes Failed on a missing hybrid connection (404) and heals on its slow retry once it exists', async (t) => {
    const relay = await startRelay(t, ['other']);
    const connection = { ...connectionFor(relay, 'other'), entityPath: 'orders' };
    const listener = startListener(t, { connection, rejectedRetryMs: 400 });
    await waitFor('Failed', () => listener.state === 'Failed');
    assert.match(listener.lastError ?? '', /404/);
    assert.match(listener.lastError ?? '', /orders/);
    relay.addHybridConnection({ name: 'orders' });
    await waitFor('Connected after the retry', () => listener.state === 'Connected');
    assert.equal(listener.lastError, null);
    assert.equal(relay.listenerCount('orders'), 1);
  });

  it('goes Reconnecting when the relay stops and Connected again when it restarts on the same port', async (t) => {
    const relay = await startRelay(t, ['orders'], { port: await anyFreeLoopbackPort() });
    const listener = startListener(t, { connection: connectionFor(relay, 'orders') });
    await waitFor('Connected', () => listener.state === 'Connected');
    const states = recordStates(listener);
    await relay.close();
    await waitFor('Reconnecting', () => listener.state === 'Reconnecting');
    assert.ok(listener.lastError, 'the reason is reported');
    await relay.start();
    await waitFor('Connected again', () => listener.state === 'Connected', 20_000);
    assert.deepEqual(states.slice(0, 2), ['Reconnecting', 'Connected']);
    const response = await sendThroughRelay(relay, 'orders', { suffix: '/again' });
    assert.equal(response.status, 200);
  });

  it('stays closed when close() comes during its reconnect back-off (B6): no timer of hyco-https or ours reopens it', async (t) => {
    const relay = await startRelay(t, ['orders'], { port: await anyFreeLoopbackPort() });
    const pending = new Set<NodeJS.Timeout>();
    const timers = {
      setTimeout: (callback: () => void, ms: number) => {
        const handle: NodeJS.Timeout = setTimeout(() => (pending.delete(handle), callback()), ms);
        pending.add(handle);
        return handle;
      },
      clearTimeout: (handle: unknown) => (pending.delete(handle as NodeJS.Timeout), clearTimeout(handle as NodeJS.Timeout)),
    };
    const listener = startListener(t, { connection: connectionFor(relay, 'orders'), reconnectSchedule: () => 1_500, timers });
    await waitFor('Connected', () => listener.state === 'Connected');
    const scheduled = new Promise<void>((resolve) => listener.once('reconnectScheduled', () => resolve()));
    await relay.close();
    await scheduled;
    assert.equal(pending.size, 1, 'one attempt is scheduled');
    await listener.close();
    assert.equal(pending.size, 0, 'close() cancelled the scheduled attempt');
    await relay.start();
    // hyco-https's own reconnect would have been immediate: another listener's round trip is later than it.
    const other = startListener(t, { connection: connectionFor(relay, 'orders') });
    await waitFor('the other listener Connected', () => other.state === 'Connected');
    assert.equal((await sendThroughRelay(relay, 'orders')).status, 200);
    assert.equal(relay.listenerCount('orders'), 1);
    assert.equal(listener.stats.reopenedAfterClose, 0);
    assert.equal(listener.state, 'Closed');
  });

  it('keeps to its schedule through a long outage (fake timers), and is Connected at the next attempt after the relay returns', async (t) => {
    const relay = await startRelay(t, ['orders'], { port: await anyFreeLoopbackPort() });
    const asked: number[] = [];
    // Each pause is recorded as asked, then taken as 5 ms: 60 attempts of a 5–10 s schedule in well under a second.
    const timers = { setTimeout: (callback: () => void, ms: number) => (asked.push(ms), setTimeout(callback, 5)), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
    const listener = startListener(t, { connection: connectionFor(relay, 'orders'), timers });
    await waitFor('Connected', () => listener.state === 'Connected');
    await relay.close();
    await waitFor('60 attempts while the relay is gone', () => asked.length >= 60, 20_000);
    assert.deepEqual(asked.slice(0, 3), [1_000, 2_000, 4_000]);
    for (const ms of asked) assert.ok(ms >= 1_000 && ms <= 10_000, `a pause of ${ms} ms`);
    assert.ok(asked.slice(3).every((ms) => ms >= 5_000), 'past the first attempts the pause is 5–10 s');
    assert.ok(new Set(asked.slice(3)).size > 10, 'the pauses are jittered');
    await relay.start();
    await waitFor('Connected again', () => listener.state === 'Connected', 10_000);
    assert.equal(listener.stats.connects, 2);
  });

  it('keeps the slow retry after a 401: no fast attempts while Failed', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const asked: number[] = [];
    const timers = { setTimeout: (callback: () => void, ms: number) => (asked.push(ms), setTimeout(callback, ms === 60_000 ? 60_000 : 5)), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
    const listener = startListener(t, { connection: { ...connectionFor(relay, 'orders'), key: 'd3Jvbmcta2V5' }, timers });
    await waitFor('Failed', () => listener.state === 'Failed');
    // ws reports the refusal's error and close together: by now a fast attempt would be scheduled.
    assert.deepEqual(asked, [60_000]);
    assert.equal(listener.stats.connectAttempts, 1);
  });

  it('renews its token before it expires, so the relay never closes the channel for expiry (B14)', async (t) => {
    // No grace after expiry (Azure's is about 5 min): the drop comes at the expiry itself.
    const relay = await startRelay(t, ['orders'], { tokenGraceMs: 0 });
    const connection = connectionFor(relay, 'orders');
    const renewing = startListener(t, { connection, tokenLifetimeSeconds: 3, tokenRenewMs: 500 });
    const notRenewing = startListener(t, { connection, tokenLifetimeSeconds: 3, tokenRenewMs: 3_600_000 });
    await waitFor('both Connected', () => renewing.state === 'Connected' && notRenewing.state === 'Connected');
    // The relay closes a channel with 1008 when its token expires: the one that does not renew reconnects.
    await waitFor('the non-renewing listener to be dropped and come back', () => notRenewing.stats.connects >= 2, 10_000);
    assert.equal(renewing.stats.connects, 1, 'the renewing listener kept its first channel');
    assert.ok(renewing.stats.tokenRenewals >= 2);
    assert.equal(renewing.state, 'Connected');
  });

  it('sends unsolicited keep-alive pongs on the control channel', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const listener = startListener(t, { connection: connectionFor(relay, 'orders'), keepAliveMs: 100 });
    await waitFor('Connected', () => listener.state === 'Connected' && relayListenerSockets(relay, 'orders').length === 1);
    let pongs = 0;
    relayListenerSockets(relay, 'orders')[0].on('pong', () => (pongs += 1));
    await waitFor('three pongs', () => pongs >= 3);
  });

  it('keeps its control channel open through a burst of 1,000 pings from the relay', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const listener = startListener(t, { connection: connectionFor(relay, 'orders') });
    await waitFor('Connected', () => listener.state === 'Connected' && relayListenerSockets(relay, 'orders').length === 1);
    const socket = relayListenerSockets(relay, 'orders')[0];
    let pongs = 0;
    socket.on('pong', () => (pongs += 1));
    for (let i = 0; i < 1_000; i += 1) socket.ping(Buffer.from(String(i)));
    await waitFor('1,000 pongs', () => pongs >= 1_000 || socket.readyState !== socket.OPEN);
    assert.equal(pongs, 1_000, 'every ping answered before the channel closed');
    assert.equal((await sendThroughRelay(relay, 'orders', { suffix: '/after-pings' })).status, 200);
    assert.equal(listener.stats.connects, 1, 'the channel was never dropped');
    assert.equal(listener.state, 'Connected');
    assert.equal(relayListenerSockets(relay, 'orders')[0], socket);
  });
});
