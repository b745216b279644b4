/**
 * Every answer the relay itself gives, with Azure's texts and a tracking id: unknown hybrid
 * connection, no listener, token missing / malformed / expired / wrongly signed, token for another
 * entity or without the right, the 26th listener, and the response timeout.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEV_SECONDARY_KEY, MAX_LISTENERS_PER_HYBRID_CONNECTION } from '../../../src/emulators/relay';
import { refusal, RelayHarness, waitFor, writeConfigFile } from './relay-test-kit';

const TRACKING = /TrackingId:[^,]+_G0, SystemTracker:sb:\/\/[^,]+, Timestamp:\d{4}-\d\d-\d\dT/;

function detail(body: Buffer | string): string {
  const text = /<Detail>(.*)<\/Detail>/s.exec(body.toString())?.[1] ?? '';
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A config file with a Listen-only and a Send-only namespace rule. */
function rulesFile(t: import('node:test').TestContext): string {
  return writeConfigFile(t, {
    authorizationRules: [
      { name: 'listen-only', rights: ['Listen'], primaryKey: 'listen-key-1', secondaryKey: 'listen-key-2' },
      { name: 'send-only', rights: ['Send'], primaryKey: 'send-key-1' },
    ],
  });
}

describe('relay answers', () => {
  it('answers 404 "Endpoint does not exist." for an unknown hybrid connection (HTTP, WebSocket sender, listener)', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'known' }] });
    const http = await h.request('/unknown/x?sb-hc-id=my-trace', { headers: { ServiceBusAuthorization: h.token('unknown') } });
    assert.equal(http.status, 404);
    assert.match(detail(http.body), /^Endpoint does not exist\. TrackingId:my-trace_G0, SystemTracker:sb:\/\/127\.0\.0\.1:\d+\/unknown\/x, Timestamp:/);
    assert.match(http.statusMessage, /^Endpoint does not exist\./);
    assert.match(String(http.headers['content-type']), /application\/xml/);
    const ws = await h.connect(`ws://127.0.0.1:${h.port}/$hc/unknown?sb-hc-action=connect`, { ServiceBusAuthorization: h.token('unknown') }).catch(refusal);
    assert.equal((ws as { status: number }).status, 404);
    const listener = await h.plainListener('unknown').catch(refusal);
    assert.equal((listener as { status: number }).status, 404);
    assert.match((listener as { statusMessage: string }).statusMessage, TRACKING);
    const longer = await h.plainListener('known/sub', { token: h.token('known') }).catch(refusal);
    assert.equal((longer as { status: number }).status, 404, 'a listener must name its hybrid connection exactly');
  });

  it('answers an HTTP sender 502 and a WebSocket sender 404 when no listener is connected', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'empty' }] });
    const http = await h.request('/empty', { headers: { ServiceBusAuthorization: h.token('empty') } });
    assert.equal(http.status, 502);
    assert.match(detail(http.body), /^There are no listeners connected for the endpoint\. /);
    assert.match(detail(http.body), TRACKING);
    const ws = refusal(await h.connect(`ws://127.0.0.1:${h.port}/$hc/empty?sb-hc-action=connect`, { ServiceBusAuthorization: h.token('empty') }).catch((e) => e));
    assert.equal(ws.status, 404);
    assert.match(ws.statusMessage, /^There are no listeners connected for the endpoint\. TrackingId:/);
  });

  it('answers 401 for a missing, malformed, expired or wrongly signed token', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'secure' }] });
    await h.plainListener('secure');
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['missing', {}, /^MissingToken: /],
      ['not SAS at all', { ServiceBusAuthorization: 'Bearer abc' }, /^MalformedToken: /],
      ['SAS without fields', { ServiceBusAuthorization: 'SharedAccessSignature sr=&sig=' }, /^MalformedToken: /],
      ['bad percent-encoding', { ServiceBusAuthorization: 'SharedAccessSignature sr=%E0%A4%A&sig=a&se=1&skn=x' }, /^MalformedToken: /],
      ['expired', { ServiceBusAuthorization: h.token('secure', { lifetimeSeconds: 60, now: Date.now() - 600_000 }) }, /^ExpiredToken: The token is expired\. Expiration time: '/],
      ['wrong key', { ServiceBusAuthorization: h.token('secure', { key: 'not-the-key' }) }, /^The token has an invalid signature\. /],
      ['unknown rule', { ServiceBusAuthorization: h.token('secure', { rule: 'nobody' }) }, /^The token has an invalid signature\. /],
      ['Authorization Bearer only', { Authorization: 'Bearer app' }, /^MissingToken: /],
    ];
    for (const [name, headers, text] of cases) {
      const answer = await h.request('/secure/x', { headers });
      assert.equal(answer.status, 401, name);
      assert.match(detail(answer.body), text, name);
      assert.match(detail(answer.body), TRACKING, name);
      assert.doesNotMatch(answer.body.toString(), /sig=|not-the-key/, `${name}: the answer never echoes the token`);
    }
    const noToken = refusal(await h.plainListener('secure', { headers: {} }).catch((e) => e));
    assert.equal(noToken.status, 401, 'listeners always need a token');
    const expired = refusal(await h.plainListener('secure', { token: h.token('secure', { lifetimeSeconds: 1, now: Date.now() - 10_000 }) }).catch((e) => e));
    assert.equal(expired.status, 401);
    const byQuery = await h.plainListener('secure', { headers: {}, query: `&sb-hc-token=${encodeURIComponent(h.token('secure'))}` });
    assert.ok(byQuery.isOpen, 'a listener may send its token as sb-hc-token');
  });

  it('accepts the secondary key and the audience forms clients send (port, $hc/, trailing slash, parent path, namespace)', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'team/orders' }] });
    const audiences = [
      'http://contoso.servicebus.windows.net:443/team/orders',
      'sb://localhost/$hc/team/orders/',
      'https://127.0.0.1/TEAM/Orders',
      'http://anything/team',
      'http://anything/',
    ];
    for (const audience of audiences) {
      const answer = await h.request('/team/orders/x', { headers: { ServiceBusAuthorization: h.token('', { audience }) } });
      assert.equal(answer.status, 502, `${audience}: accepted (502: past authorization, no listener connected)`);
    }
    const wrongTail = await h.request('/team/orders/x', { headers: { ServiceBusAuthorization: h.token('', { audience: 'http://anything/team/order' }) } });
    assert.equal(wrongTail.status, 403);
    const listener = await h.plainListener('team/orders', { token: h.token('team/orders', { key: DEV_SECONDARY_KEY }) });
    assert.ok(listener.isOpen, 'the secondary key signs as well as the primary');
  });

  it('answers 403 for a valid token for another entity or without the needed right', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'mine' }, { name: 'other' }], configFile: rulesFile(t) });
    const listener = await h.plainListener('mine', { token: h.token('mine', { rule: 'listen-only', key: 'listen-key-1' }) });
    const otherEntity = await h.request('/mine', { headers: { ServiceBusAuthorization: h.token('other') } });
    assert.equal(otherEntity.status, 403);
    assert.match(detail(otherEntity.body), /^InvalidAudience: The authorization header contains a token with a wrong audience\. /);
    const siblingPrefix = await h.request('/mine', { headers: { ServiceBusAuthorization: h.token('mi') } });
    assert.equal(siblingPrefix.status, 403, 'a parent path covers children only at a "/" boundary');
    const listenOnly = await h.request('/mine', { headers: { ServiceBusAuthorization: h.token('mine', { rule: 'listen-only', key: 'listen-key-2' }) } });
    assert.equal(listenOnly.status, 403);
    assert.match(detail(listenOnly.body), /^Unauthorized access\. 'Send' claim\(s\) are required to perform this operation\. Resource: 'sb:\/\/127\.0\.0\.1:\d+\/mine'\. /);
    const sendOnlyListener = refusal(await h.plainListener('mine', { token: h.token('mine', { rule: 'send-only', key: 'send-key-1' }) }).catch((e) => e));
    assert.equal(sendOnlyListener.status, 403);
    assert.match(sendOnlyListener.statusMessage, /'Listen' claim\(s\) are required/);
    const sendOnly = h.request('/mine', { headers: { ServiceBusAuthorization: h.token('mine', { rule: 'send-only', key: 'send-key-1' }) } });
    const forwarded = await listener.nextJson();
    listener.respond(forwarded.request.id, 200, 'sent');
    assert.equal((await sendOnly).status, 200, 'a Send rule may send');
  });

  it(`refuses the ${MAX_LISTENERS_PER_HYBRID_CONNECTION + 1}th listener with 403 and takes it once one leaves`, async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'crowd' }] });
    const token = h.token('crowd');
    const listeners = await Promise.all(Array.from({ length: MAX_LISTENERS_PER_HYBRID_CONNECTION }, () => h.plainListener('crowd', { token })));
    assert.equal(h.relay.listenerCount('crowd'), MAX_LISTENERS_PER_HYBRID_CONNECTION);
    const extra = refusal(await h.plainListener('crowd', { token }).catch((e) => e));
    assert.equal(extra.status, 403);
    assert.match(extra.statusMessage, /^QuotaExceeded: .*25/);
    listeners[0].ws.close();
    await waitFor(() => h.relay.listenerCount('crowd') === MAX_LISTENERS_PER_HYBRID_CONNECTION - 1, 'the relay to notice the departure');
    const again = await h.plainListener('crowd', { token });
    assert.ok(again.isOpen);
  });

  it('answers 504 when the listener does not respond within the response timeout', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'slow' }], responseTimeoutMs: 300 });
    const listener = await h.plainListener('slow');
    const pending = h.request('/slow/wait', { headers: { ServiceBusAuthorization: h.token('slow') } });
    const request = await listener.nextJson();
    assert.equal(request.request.method, 'GET');
    const answer = await pending;
    assert.equal(answer.status, 504);
    assert.match(detail(answer.body), /^Gateway Timeout: /);
    // A late response is ignored (unknown request) and the channel keeps working.
    listener.respond(request.request.id, 200, 'too late');
    const next = h.request('/slow/again', { headers: { ServiceBusAuthorization: h.token('slow') } });
    const second = await listener.nextJson();
    listener.respond(second.request.id, 200, 'on time');
    assert.equal((await next).body.toString(), 'on time');
  });
});
