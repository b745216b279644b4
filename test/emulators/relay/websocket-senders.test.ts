/**
 * WebSocket senders (sb-hc-action=connect) with a hand-written `ws` listener — hyco-https cannot
 * be used here: any `accept` message crashes it (defect B2). Covers accept and splice, the
 * sub-protocol the listener picks, both rejection forms, single-use accept addresses, the accept
 * timeout and anonymous senders.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlainSocket, refusal, RelayHarness } from './relay-test-kit';

function connectUrl(h: RelayHarness, name: string, query = ''): string {
  return `ws://127.0.0.1:${h.port}/$hc/${name}?sb-hc-action=connect${query}`;
}

describe('WebSocket senders', () => {
  it('hands the sender to the listener through an accept message and splices the two sockets', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'chat' }] });
    const listener = await h.plainListener('chat');
    const senderOpen = h.connect(connectUrl(h, 'chat/room1', '&sb-hc-id=sender-1&app=x'), { ServiceBusAuthorization: h.token('chat'), 'X-Sender': 'yes' }, ['chat.v2', 'chat.v1']);
    const { accept } = await listener.nextJson();
    assert.match(accept.address, /^ws:\/\/127\.0\.0\.1:\d+\/\$hc\/chat\?sb-hc-action=accept&sb-hc-id=/);
    assert.equal(typeof accept.id, 'string');
    const headerNames = Object.keys(accept.connectHeaders).map((name) => name.toLowerCase());
    assert.ok(headerNames.includes('sec-websocket-key'), 'the sender\'s handshake headers are passed on');
    assert.equal(accept.connectHeaders['X-Sender'] ?? accept.connectHeaders['x-sender'], 'yes');
    assert.ok(!headerNames.includes('servicebusauthorization'), 'but never its token');
    assert.equal(typeof accept.remoteEndpoint.port, 'number');
    const accepted = await h.connect(accept.address, {}, ['chat.v1']);
    const sender: PlainSocket = await senderOpen;
    assert.equal(sender.ws.protocol, 'chat.v1', 'the sender gets the sub-protocol the listener picked');
    sender.ws.send('hello listener');
    const atListener = await accepted.next();
    assert.deepEqual([atListener.isBinary, atListener.data.toString()], [false, 'hello listener']);
    accepted.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const atSender = await sender.next();
    assert.deepEqual([atSender.isBinary, [...atSender.data]], [true, [1, 2, 3]]);
    const big = Buffer.alloc(300_000, 9);
    sender.ws.send(big);
    assert.ok((await accepted.next()).data.equals(big));
    accepted.ws.close(4001, 'done here');
    const closed = await sender.closed;
    assert.deepEqual([closed.code, closed.reason], [4001, 'done here']);
    assert.ok(listener.isOpen, 'the control channel carries on');
  });

  it('tells the listener when the sender leaves (1001 when it sends no close code)', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'leave' }] });
    const listener = await h.plainListener('leave');
    const senderOpen = h.connect(connectUrl(h, 'leave'), { ServiceBusAuthorization: h.token('leave') });
    const { accept } = await listener.nextJson();
    const accepted = await h.connect(accept.address);
    const sender = await senderOpen;
    sender.ws.terminate();
    assert.equal((await accepted.closed).code, 1001);
  });

  it('passes a rejection to the sender: sb-hc-statusCode/Description, and hyco-https\'s unprefixed form', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'picky' }] });
    const listener = await h.plainListener('picky');
    const forms: Array<[string, number, string]> = [
      ['&sb-hc-statusCode=403&sb-hc-statusDescription=Not%20you', 403, 'Not you'],
      ['&statusCode=401&statusDescription=Who%20are%20you', 401, 'Who are you'],
      ['&sb-hc-statusCode=999', 400, 'Rejected by user code'],
    ];
    for (const [query, status, text] of forms) {
      const senderOpen = h.connect(connectUrl(h, 'picky'), { ServiceBusAuthorization: h.token('picky') }).catch((e) => e);
      const { accept } = await listener.nextJson();
      const listenerSide = refusal(await h.connect(accept.address + query).catch((e) => e));
      assert.equal(listenerSide.status, 410, 'the rejecting listener\'s own handshake ends in 410 Gone');
      const senderSide = refusal(await senderOpen);
      assert.equal(senderSide.status, status);
      assert.ok(senderSide.statusMessage.startsWith(text), senderSide.statusMessage);
    }
  });

  it('refuses a used or made-up accept address with 403 and answers 504 when the listener never accepts', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'late' }], responseTimeoutMs: 300 });
    const listener = await h.plainListener('late');
    const made = refusal(await h.connect(`ws://127.0.0.1:${h.port}/$hc/late?sb-hc-action=accept&sb-hc-id=guess`).catch((e) => e));
    assert.equal(made.status, 403);
    const senderOpen = h.connect(connectUrl(h, 'late'), { ServiceBusAuthorization: h.token('late') }).catch((e) => e);
    const { accept } = await listener.nextJson();
    const timedOut = refusal(await senderOpen);
    assert.equal(timedOut.status, 504);
    assert.equal(refusal(await h.connect(accept.address).catch((e) => e)).status, 403, 'the address died with the wait');
  });

  it('lets WebSocket senders of an anonymous hybrid connection in without a token', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'open', requiresClientAuthorization: false }, { name: 'closed' }] });
    const listener = await h.plainListener('open');
    const senderOpen = h.connect(connectUrl(h, 'open'));
    const { accept } = await listener.nextJson();
    const accepted = await h.connect(accept.address);
    const sender = await senderOpen;
    sender.ws.send('anonymous hello');
    assert.equal((await accepted.next()).data.toString(), 'anonymous hello');
    assert.equal(refusal(await h.connect(connectUrl(h, 'closed')).catch((e) => e)).status, 401);
  });

  it('refuses unknown sb-hc-action values and plain-HTTP WebSocket paths', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'acts' }] });
    assert.equal(refusal(await h.connect(`ws://127.0.0.1:${h.port}/$hc/acts?sb-hc-action=dance`).catch((e) => e)).status, 400);
    // No action at all is a WebSocket sender (here: without a token, 401), as on Azure.
    assert.equal(refusal(await h.connect(`ws://127.0.0.1:${h.port}/$hc/acts`).catch((e) => e)).status, 401);
    assert.equal(refusal(await h.connect(`ws://127.0.0.1:${h.port}/acts`).catch((e) => e)).status, 404);
    const plain = await h.request('/$hc/acts?sb-hc-action=listen');
    assert.equal(plain.status, 404);
  });
});
