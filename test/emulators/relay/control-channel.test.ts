/**
 * The listener's control channel: token renewal and expiry (1008), key regeneration, and bad
 * input — junk frames, responses for unknown requests, a second body frame, listeners and senders
 * that vanish mid-request. The relay must keep serving after all of it.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { ROOT_RULE_NAME } from '../../../src/emulators/relay';
import { refusal, RelayHarness, waitFor } from './relay-test-kit';

describe('listener control channel', () => {
  it('closes the channel with 1008 when the listener\'s token and the grace after it have run out', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'expiring' }], tokenGraceMs: 500 });
    const listener = await h.plainListener('expiring', { token: h.token('expiring', { lifetimeSeconds: 2 }) });
    assert.equal(h.relay.listenerCount('expiring'), 1);
    const closed = await listener.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /expired/i);
    await waitFor(() => h.relay.listenerCount('expiring') === 0, 'the listener to be dropped');
  });

  it('keeps the channel open past expiry for the grace period, where a renewal sent right at expiry (as the .NET SDK does) still counts', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'late' }], tokenGraceMs: 60_000 });
    const firstToken = h.token('late', { lifetimeSeconds: 1 });
    const firstExpiry = Number(/se=(\d+)/.exec(firstToken)![1]) * 1000;
    const listener = await h.plainListener('late', { token: firstToken });
    await waitFor(() => Date.now() > firstExpiry + 200, 'the token to be past its expiry');
    assert.ok(listener.isOpen, 'the channel is still open within the grace period');
    listener.sendJson({ renewToken: { token: h.token('late', { lifetimeSeconds: 3600 }) } });
    const pending = h.request('/late/renewed', { headers: { ServiceBusAuthorization: h.token('late') } });
    const message = await listener.nextJson();
    listener.respond(message.request.id, 200, 'renewed late');
    assert.equal((await pending).body.toString(), 'renewed late');
    assert.ok(listener.isOpen);
  });

  it('keeps the channel past the first token\'s expiry after a renewToken, and serves requests on it', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'renewing' }] });
    const firstToken = h.token('renewing', { lifetimeSeconds: 2 });
    const firstExpiry = Number(/se=(\d+)/.exec(firstToken)![1]) * 1000;
    const listener = await h.plainListener('renewing', { token: firstToken });
    listener.sendJson({ renewToken: { token: h.token('renewing', { lifetimeSeconds: 3600 }) } });
    await waitFor(() => Date.now() > firstExpiry + 700, 'the first token to be past its expiry');
    assert.ok(listener.isOpen, 'the renewed channel stays open');
    const pending = h.request('/renewing/still', { headers: { ServiceBusAuthorization: h.token('renewing') } });
    const message = await listener.nextJson();
    listener.respond(message.request.id, 200, 'alive');
    assert.equal((await pending).body.toString(), 'alive');
  });

  it('closes the channel with 1008 when a renewToken carries a bad token', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'badrenew' }, { name: 'elsewhere' }] });
    for (const token of [h.token('badrenew', { key: 'wrong' }), h.token('elsewhere'), 'SharedAccessSignature nonsense']) {
      const listener = await h.plainListener('badrenew');
      listener.sendJson({ renewToken: { token } });
      assert.equal((await listener.closed).code, 1008);
    }
  });

  it('lets a hyco-https listener whose token expired reconnect by itself with a fresh token', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'hyco-expiry' }], tokenGraceMs: 0 });
    let tokensIssued = 0;
    let opens = 0;
    const server = await h.hycoListener(
      'hyco-expiry',
      (req, res) => res.end(`served ${req.url}`),
      () => {
        tokensIssued += 1;
        // Only the first token is short-lived, so the channel is steady once it has come back.
        return h.token('hyco-expiry', { lifetimeSeconds: tokensIssued === 1 ? 2 : 3600 });
      },
    );
    server.on('listening', () => (opens += 1));
    await waitFor(() => opens >= 1, 'hyco-https to reconnect after the relay closed its expired channel');
    assert.ok(tokensIssued >= 2, 'a fresh token was asked for on reconnect');
    await waitFor(() => h.relay.listenerCount('hyco-expiry') === 1, 'the listener to be back');
    const answer = await h.request('/hyco-expiry/after', { headers: { ServiceBusAuthorization: h.token('hyco-expiry') } });
    assert.equal(answer.body.toString(), 'served /hyco-expiry/after');
  });

  it('regenerates a key: open channels stay until they renew, new connections need the new key', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'rotate' }] });
    const oldToken = h.token('rotate');
    const listener = await h.plainListener('rotate', { token: oldToken });
    const keys = h.relay.regenerateKeys(ROOT_RULE_NAME, 'PrimaryKey');
    assert.equal(Buffer.from(keys.primaryKey, 'base64').length, 32);
    // The open channel still carries requests (sent with the new key).
    const newToken = h.token('rotate', { key: keys.primaryKey });
    const pending = h.request('/rotate', { headers: { ServiceBusAuthorization: newToken } });
    const message = await listener.nextJson();
    listener.respond(message.request.id, 200, 'still here');
    assert.equal((await pending).status, 200);
    // The old key no longer opens anything.
    assert.equal((await h.request('/rotate', { headers: { ServiceBusAuthorization: oldToken } })).status, 401);
    assert.equal(refusal(await h.plainListener('rotate', { token: oldToken }).catch((e) => e)).status, 401);
    assert.ok((await h.plainListener('rotate', { token: newToken })).isOpen);
    assert.match(h.relay.connectionString('rotate'), new RegExp(`SharedAccessKey=${keys.primaryKey.replace(/[+/]/g, '\\$&')};`));
    // Renewing with a token signed by the old key closes the channel.
    listener.sendJson({ renewToken: { token: oldToken } });
    assert.equal((await listener.closed).code, 1008);
  });

  it('ignores junk on the control channel and keeps serving', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'junk' }] });
    const listener = await h.plainListener('junk');
    listener.ws.send('this is not JSON');
    listener.ws.send('[1,2,3]');
    listener.ws.send('{"hello":"world"}');
    listener.ws.send('{"response":{"statusCode":200}}');
    listener.ws.send('{"renewToken":{}}');
    listener.sendBinary(Buffer.from([0, 1, 2, 3, 255]));
    listener.sendBinary(Buffer.alloc(0));
    listener.respond('no-such-request', 200, 'orphan body');
    const token = h.token('junk');
    // A response with an unusable status becomes 502 for its sender.
    const bad = h.request('/junk/bad', { headers: { ServiceBusAuthorization: token } });
    const badRequest = await listener.nextJson();
    listener.sendJson({ response: { requestId: badRequest.request.id, statusCode: 'two hundred', body: false } });
    assert.equal((await bad).status, 502);
    // A second body frame after a complete response is ignored, not appended.
    const first = h.request('/junk/first', { headers: { ServiceBusAuthorization: token } });
    const firstRequest = await listener.nextJson();
    listener.respond(firstRequest.request.id, 200, 'one body');
    listener.sendBinary(Buffer.from('a second body'));
    assert.equal((await first).body.toString(), 'one body');
    // A string statusCode (as the protocol document writes it) is accepted; the channel is in step.
    const after = h.request('/junk/after', { headers: { ServiceBusAuthorization: token } });
    const afterRequest = await listener.nextJson();
    listener.sendJson({ response: { requestId: afterRequest.request.id, statusCode: '201', statusDescription: 'Fine', responseHeaders: { 'X-A': 'b' }, body: true } });
    listener.sendBinary(Buffer.from('still fine'));
    const answer = await after;
    assert.deepEqual([answer.status, answer.statusMessage, answer.headers['x-a'], answer.body.toString()], [201, 'Fine', 'b', 'still fine']);
    assert.ok(listener.isOpen);
    assert.equal(h.relay.status, 'Running');
  });

  it('survives protocol violations: oversized and invalid UTF-8 frames, raw garbage, odd handshakes', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'rough' }] });
    const oversized = await h.plainListener('rough');
    oversized.ws.send(Buffer.alloc(5 * 1024 * 1024, 0x41), { binary: false });
    assert.equal((await oversized.closed).code, 1009);
    const badText = await h.plainListener('rough');
    badText.ws.send(Buffer.from([0xc3, 0x28]), { binary: false });
    assert.equal((await badText.closed).code, 1007);
    const raw = net.connect(h.port, '127.0.0.1');
    raw.on('error', () => undefined);
    const rawAnswer = new Promise<string>((resolve) => {
      let text = '';
      raw.on('data', (chunk: Buffer) => (text += chunk.toString()));
      raw.on('close', () => resolve(text));
    });
    raw.write('\x00\x01 GARBAGE \r\n\r\n');
    assert.match(await rawAnswer, /^HTTP\/1\.1 400/);
    for (const query of ['?sb-hc-action=listen&sb-hc-token=%', '?sb-hc-action=', '?sb-hc-action=listen&sb-hc-token=SharedAccessSignature%20sr%3D%25']) {
      const odd = refusal(await h.connect(`ws://127.0.0.1:${h.port}/$hc/rough${query}`).catch((e) => e));
      assert.ok([400, 401].includes(odd.status), `${query}: ${odd.status}`);
    }
    const listener = await h.plainListener('rough');
    const pending = h.request('/rough/ok', { headers: { ServiceBusAuthorization: h.token('rough') } });
    listener.respond((await listener.nextJson()).request.id, 200, 'fine');
    assert.equal((await pending).body.toString(), 'fine');
    assert.equal(h.relay.status, 'Running');
  });

  it('answers the sender 502 at once when the listener disconnects mid-request', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'vanish' }] });
    const listener = await h.plainListener('vanish');
    const pending = h.request('/vanish', { headers: { ServiceBusAuthorization: h.token('vanish') } });
    await listener.nextJson();
    listener.ws.terminate();
    const answer = await pending;
    assert.equal(answer.status, 502);
    assert.match(answer.statusMessage, /listener disconnected/i);
  });

  it('answers 502 when the listener drops a request rendezvous before responding', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'drop' }] });
    const listener = await h.plainListener('drop');
    const pending = h.request('/drop', { method: 'POST', headers: { ServiceBusAuthorization: h.token('drop') }, body: [Buffer.from('chunked')] });
    const pointer = await listener.nextJson();
    assert.deepEqual(Object.keys(pointer.request).sort(), ['address', 'id'], 'a chunked body is announced by address only');
    const rendezvous = await h.connect(pointer.request.address);
    const full = await rendezvous.nextJson();
    assert.equal(full.request.method, 'POST');
    assert.equal(full.request.body, true);
    assert.equal((await rendezvous.next()).data.toString(), 'chunked');
    rendezvous.ws.terminate();
    assert.equal((await pending).status, 502);
    // The address was single-use.
    assert.equal(refusal(await h.connect(pointer.request.address).catch((e) => e)).status, 403);
  });

  it('closes the rendezvous when the sender disconnects mid-request', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'gone' }] });
    const listener = await h.plainListener('gone');
    const sender = http.request(`${h.base}/gone/upload`, { method: 'POST', headers: { ServiceBusAuthorization: h.token('gone') } });
    sender.on('error', () => undefined);
    sender.write('part one');
    const pointer = await listener.nextJson();
    const rendezvous = await h.connect(pointer.request.address);
    assert.equal((await rendezvous.nextJson()).request.requestTarget, '/gone/upload');
    sender.destroy();
    const closed = await rendezvous.closed;
    assert.equal(closed.code, 1001);
    assert.ok(listener.isOpen, 'the control channel is unaffected');
  });
});
