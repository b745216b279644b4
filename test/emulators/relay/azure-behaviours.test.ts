/**
 * Where the emulator once differed from Azure Relay, spoken on the wire as Microsoft's own clients
 * speak it (azure-relay-dotnet's tests, which pass against Azure): a raw WebSocket connect with no
 * sb-hc-action, the AllowedListeners/DisallowedListeners routing headers, the query strings of the
 * SDK's QueryString test, a listener that aborts a spliced socket, a sender that half-closes, the
 * runtime-information GET, and a listener's rejection text passed exactly. (Token grace: control-channel.test.ts; a response
 * rendezvous closed between requests under --strict: http-senders.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlainSocket, refusal, RelayHarness } from './relay-test-kit';

const CRITERIA = 'None of the connected listeners meet the AllowedListeners/DisallowedListeners criteria';

/** Sends a GET and answers it on whichever of `listeners` gets it; resolves with the listener's index. */
async function routedTo(h: RelayHarness, listeners: PlainSocket[], headers: Record<string, string>): Promise<number> {
  const handlers: Array<() => void> = [];
  const arrived = new Promise<number>((resolve) => {
    listeners.forEach((listener, i) => {
      handlers[i] = () => resolve(i);
      listener.ws.once('message', handlers[i]);
    });
  });
  const pending = h.request('/routed', { headers: { ServiceBusAuthorization: h.token('routed'), ...headers } });
  const index = await arrived;
  listeners.forEach((listener, i) => listener.ws.off('message', handlers[i]));
  const message = await listeners[index].nextJson();
  listeners[index].respond(message.request.id, 200, `listener ${index}`);
  assert.equal((await pending).body.toString(), `listener ${index}`);
  return index;
}

describe('the relay emulator behaves as Azure does for Microsoft\'s clients', () => {
  it('takes a raw WebSocket connect without sb-hc-action as a sender (wss://host/$hc/path?sb-hc-token=…)', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'raw' }] });
    const listener = await h.plainListener('raw');
    const senderOpen = h.connect(`ws://127.0.0.1:${h.port}/$hc/raw?sb-hc-token=${encodeURIComponent(h.token('raw'))}`);
    const { accept } = await listener.nextJson();
    const accepted = await h.connect(accept.address);
    const sender = await senderOpen;
    sender.ws.send(Buffer.from([0, 1, 2]), { binary: true });
    assert.deepEqual([...(await accepted.next()).data], [0, 1, 2]);
  });

  it('routes by Microsoft-Relay-AllowedListeners / DisallowedListeners (the listeners\' sb-hc-id), 404 when none qualifies', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'routed' }] });
    // The .NET listener's sb-hc-id is its tracking GUID; senders name listeners by it.
    const ids = ['1b4e28ba-2fa1-11d2-883f-0016d3cca427', '6fa459ea-ee8a-3ca4-894e-db77e160355e', '886313e1-3b8a-5372-9b90-0c9aee199e5d'];
    const listeners: PlainSocket[] = [];
    for (const id of ids) listeners.push(await h.plainListener('routed', { query: `&sb-hc-id=${id}` }));
    for (let round = 0; round < 3; round += 1) {
      assert.equal(await routedTo(h, listeners, { 'Microsoft-Relay-AllowedListeners': ids[2].toUpperCase() }), 2);
      assert.equal(await routedTo(h, listeners, { 'Microsoft-Relay-DisallowedListeners': `${ids[0]},${ids[2]}` }), 1);
      assert.notEqual(await routedTo(h, listeners, { 'Microsoft-Relay-AllowedListeners': `${ids[0]}, ${ids[1]}` }), 2);
    }
    const token = { ServiceBusAuthorization: h.token('routed') };
    const nobody = await h.request('/routed', { headers: { ...token, 'Microsoft-Relay-AllowedListeners': 'ad7c2f36-0b54-4a3e-9e43-0c2f1fd5e1a1' } });
    assert.equal(nobody.status, 404);
    assert.ok(nobody.statusMessage.startsWith(CRITERIA), nobody.statusMessage);
    const excluded = await h.request('/routed', { headers: { ...token, 'Microsoft-Relay-DisallowedListeners': ids.join(',') } });
    assert.equal(excluded.status, 404);
    // WebSocket senders are routed the same way.
    const refused = refusal(await h.connect(`ws://127.0.0.1:${h.port}/$hc/routed?sb-hc-action=connect`, { ...token, 'Microsoft-Relay-AllowedListeners': 'nobody' }).catch((e) => e));
    assert.equal(refused.status, 404);
    assert.ok(refused.statusMessage.startsWith(CRITERIA));
    const senderOpen = h.connect(`ws://127.0.0.1:${h.port}/$hc/routed?sb-hc-action=connect`, { ...token, 'Microsoft-Relay-AllowedListeners': ids[1] });
    const { accept } = await listeners[1].nextJson();
    await h.connect(accept.address);
    await senderOpen;
  });

  it('passes query strings as Azure does: only sb-hc-* parameters with a value are removed', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'qs' }] });
    const listener = await h.plainListener('qs');
    // Cases from the SDK's HybridRequestTests.QueryString, as they travel on the wire.
    const cases: Array<[string, string]> = [
      ['?a=1&a=2', '?a=1&a=2'],
      ['?a=1&a=2&', '?a=1&a=2&'],
      ['?&&&', '?&&&'],
      ['?foo=bar&', '?foo=bar&'],
      ['?&foo=bar', '?&foo=bar'],
      ['?sb-hc-id=1', ''],
      ['?', ''],
      ['?sb-hc-id=1&custom=value', '?custom=value'],
      ['?custom=value&sb-hc-id=1', '?custom=value'],
      ['?sb-hc-undefined', '?sb-hc-undefined'],
      ['?sb-hc-whatever=&foo=bar', '?foo=bar'],
      ['?&custom&value&', '?&custom&value&'],
      ['?&&value&&', '?&&value&&'],
      ['?+', '?+'],
      ['?%2f%3a%3d%26', '?%2f%3a%3d%26'],
      ['?api-version=abc', '?api-version=abc'],
    ];
    for (const [sent, expected] of cases) {
      const pending = h.request(`/qs${sent}`, { headers: { ServiceBusAuthorization: h.token('qs') } });
      const message = await listener.nextJson();
      assert.equal(message.request.requestTarget, `/qs${expected}`, `query ${sent}`);
      listener.respond(message.request.id, 200);
      assert.equal((await pending).status, 200);
    }
  });

  it('passes a listener\'s abort of a spliced socket to the sender as an abort, not a clean close', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'abort' }] });
    const listener = await h.plainListener('abort');
    const senderOpen = h.connect(`ws://127.0.0.1:${h.port}/$hc/abort?sb-hc-action=connect`, { ServiceBusAuthorization: h.token('abort') });
    const { accept } = await listener.nextJson();
    const accepted = await h.connect(accept.address);
    const sender = await senderOpen;
    accepted.ws.terminate();
    const closed = await sender.closed;
    assert.equal(closed.code, 1006, 'no close frame reached the sender: its read fails');
  });

  it('passes a sender\'s half-close (a close frame, the TCP connection kept, as the .NET SDK\'s Shutdown) to the listener at once', { timeout: 15_000 }, async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'half' }] });
    const listener = await h.plainListener('half');
    const senderOpen = h.connect(`ws://127.0.0.1:${h.port}/$hc/half?sb-hc-action=connect`, { ServiceBusAuthorization: h.token('half') });
    const { accept } = await listener.nextJson();
    const accepted = await h.connect(accept.address);
    const sender = await senderOpen;
    // The sender reads nothing more, so its TCP connection stays open (ws would wait 30 s for it).
    (sender.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    sender.ws.close(1000, 'Shutdown');
    const closed = await accepted.closed;
    assert.deepEqual([closed.code, closed.reason], [1000, 'Shutdown']);
  });

  it('passes a listener\'s rejection status and description to the WebSocket sender exactly', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'reject' }] });
    const listener = await h.plainListener('reject');
    const senderOpen = h.connect(`ws://127.0.0.1:${h.port}/$hc/reject?sb-hc-action=connect`, { ServiceBusAuthorization: h.token('reject') }).catch((e) => e);
    const { accept } = await listener.nextJson();
    await h.connect(`${accept.address}&sb-hc-statusCode=401&sb-hc-statusDescription=${encodeURIComponent('Status Description from test')}`).catch((e) => e);
    const refused = refusal(await senderOpen);
    assert.deepEqual([refused.status, refused.statusMessage], [401, 'Status Description from test']);
  });

  it('answers the runtime-information GET itself with the Atom entry the SDK parses, listener count included', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'info/orders' }, { name: 'open-info', requiresClientAuthorization: false }] });
    const ask = (path: string, token?: string) =>
      h.request(`${path}?api-version=2016-07`, { headers: { 'X-PROCESS-AT': 'ServiceBus', ...(token ? { Authorization: token } : {}) } });
    // Before any listener, with a Send token; the .NET SDK signs http://host/path/ (no port, trailing slash).
    const sendToken = h.token('info/orders', { audience: 'http://127.0.0.1/info/orders/' });
    let answer = await ask('/info/orders', sendToken);
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^application\/atom\+xml;type=entry/);
    assert.match(answer.body.toString(), /<ListenerCount>0<\/ListenerCount>/);
    // A listener asks with its own token: the count includes it.
    const listenToken = h.token('info/orders');
    const listener = await h.plainListener('info/orders', { token: listenToken });
    answer = await ask('/info/orders', listenToken);
    const xml = answer.body.toString();
    assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?><entry xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    assert.match(xml, /<content type="application\/xml"><HybridConnectionDescription xmlns="http:\/\/schemas\.microsoft\.com\/netservices\/2010\/10\/servicebus\/connect"/);
    // DataContractSerializer reads the members in their declared order.
    assert.match(xml, /<CreatedAt>[^<]+Z<\/CreatedAt><UpdatedAt>[^<]+Z<\/UpdatedAt><RequiresClientAuthorization>true<\/RequiresClientAuthorization><ListenerCount>1<\/ListenerCount>/);
    assert.ok(listener.isOpen, 'the request never reached the listener');
    // Not a hybrid connection: a feed (the SDK's EndpointNotFoundException); no token: 401.
    const unknown = await ask('/nothing-here', sendToken);
    assert.match(String(unknown.headers['content-type']), /type=feed/);
    assert.equal((await ask('/info/orders')).status, 401);
    assert.equal((await ask('/open-info')).status, 401, 'even an anonymous hybrid connection wants a token here');
  });
});
