/**
 * The emulator's pure parts on their own: name matching, configuration validation, what the
 * listener sees of a request, how listener frames are read, and the authorisation order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSasToken } from '../../../src/common/sas';
import { DEV_PRIMARY_KEY, parseRelayConfig, ROOT_RULE_NAME } from '../../../src/emulators/relay';
import { Authorizer } from '../../../src/emulators/relay/auth/authorizer';
import { ListenerFrameReader, ResponseHead } from '../../../src/emulators/relay/listener-frames';
import { parseRelayAddress } from '../../../src/emulators/relay/relay-address';
import { HybridConnectionRegistry } from '../../../src/emulators/relay/registry';
import { forwardedRequestHeaders, relayedResponseHeaders, requestTarget } from '../../../src/emulators/relay/request-message';

describe('hybrid connection registry', () => {
  it('matches the longest name on whole path segments, case-insensitively', () => {
    const registry = new HybridConnectionRegistry();
    for (const name of ['a', 'a/b', 'a/b/c', 'ab']) registry.add({ name });
    const match = (path: string) => {
      const found = registry.match(path);
      return found ? [found.hybridConnection.name, found.suffix] : undefined;
    };
    assert.deepEqual(match('a/b/c/d'), ['a/b/c', '/d']);
    assert.deepEqual(match('A/B/x'), ['a/b', '/x']);
    assert.deepEqual(match('ab'), ['ab', '']);
    assert.deepEqual(match('abc'), undefined);
    assert.deepEqual(match('a/bc'), ['a', '/bc']);
  });

  it('refuses names Azure refuses', () => {
    const registry = new HybridConnectionRegistry();
    for (const name of ['', '-x', 'x-', 'a//b', '$hc', 'a b', 'x'.repeat(261)]) {
      assert.throws(() => registry.add({ name }), /hybrid connection name/, JSON.stringify(name));
    }
  });
});

describe('relay configuration file', () => {
  it('accepts rules and hybrid connections, generating a missing secondary key', () => {
    const config = parseRelayConfig({
      authorizationRules: [{ name: 'l', rights: ['Listen', 'Listen'], primaryKey: 'k1' }],
      hybridConnections: [{ name: 'x/y', requiresClientAuthorization: false, authorizationRules: [{ name: 's', rights: ['Send'], primaryKey: 'k', secondaryKey: 'k2' }] }],
    });
    assert.deepEqual(config.authorizationRules[0].rights, ['Listen']);
    assert.equal(Buffer.from(config.authorizationRules[0].secondaryKey, 'base64').length, 32);
    assert.equal(config.hybridConnections[0].requiresClientAuthorization, false);
  });

  it('names the bad entry and never echoes a key', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /must be a JSON object/],
      [{ extra: 1 }, /unknown property "extra"/],
      [{ authorizationRules: [{ name: 'r', rights: ['Listen'] }] }, /authorizationRules\[0\]\.primaryKey must be a non-empty string/],
      [{ authorizationRules: [{ name: 'r', rights: ['Listen'], primaryKey: 'has space SECRET' }] }, /primaryKey must be/],
      [{ hybridConnections: [{ name: 'a' }, { name: 'A' }] }, /names the hybrid connection "a" twice/],
      [{ hybridConnections: [{ name: 'a', requiresClientAuthorization: 'no' }] }, /requiresClientAuthorization must be true or false/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => parseRelayConfig(value), (error: Error) => message.test(error.message) && !/SECRET/.test(error.message));
    }
  });
});

describe('what the listener sees of a request', () => {
  it('keeps the name in requestTarget and drops every sb-hc-*= query parameter', () => {
    assert.equal(requestTarget('/hc/x?sb-hc-token=abc&a=1&SB-HC-ID=2&sb-hc-undefined&b=%20'), '/hc/x?a=1&sb-hc-undefined&b=%20');
    assert.equal(requestTarget('/hc?sb-hc-token=abc'), '/hc');
  });

  it('drops hop-by-hop and relay headers, joins duplicates and adds Via', () => {
    const headers = forwardedRequestHeaders(
      ['Host', 'relay:1', 'X-Multi', 'a', 'x-multi', 'b', 'Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Content-Length', '3', 'ServiceBusAuthorization', 't', 'Authorization', 'SharedAccessSignature x', 'Via', '1.0 proxy'],
      { stripAuthorization: true, viaHost: 'relay:1' },
    );
    assert.deepEqual(headers, { Host: 'relay:1', 'X-Multi': 'a, b', Via: '1.0 proxy, 1.1 relay:1' });
    assert.deepEqual(forwardedRequestHeaders(['Authorization', 'Bearer app'], { stripAuthorization: false, viaHost: 'r' }), { Authorization: 'Bearer app', Via: '1.1 r' });
  });

  it('drops framing headers from the listener\'s response and adds Via', () => {
    assert.deepEqual(relayedResponseHeaders({ 'content-length': '9', 'transfer-encoding': 'chunked', 'x-a': 'b' }, 'r'), [
      ['x-a', 'b'],
      ['Via', '1.1 r'],
    ]);
  });

  it('parses relay addresses without throwing on nonsense', () => {
    const address = parseRelayAddress('/%24hc/a%2Fb?sb-hc-action=listen&sb-hc-token=%E0');
    assert.deepEqual([address.isHc, address.path, address.param('SB-HC-ACTION'), address.param('sb-hc-token')], [true, 'a/b', 'listen', '%E0']);
    assert.equal(parseRelayAddress(undefined).path, '');
    assert.equal(parseRelayAddress('/$management/hybridconnections').isManagement, true);
  });
});

describe('listener frame reader', () => {
  function reader() {
    const events: Array<[string, unknown]> = [];
    const frames = new ListenerFrameReader({
      onResponse: (head: ResponseHead, body) => events.push(['response', { id: head.requestId, status: head.statusCode, body: body?.toString() }]),
      onRenewToken: (token) => events.push(['renew', token]),
      onJunk: (reason) => events.push(['junk', reason]),
    });
    return { events, push: (data: string | Buffer) => frames.push(Buffer.isBuffer(data) ? data : Buffer.from(data), Buffer.isBuffer(data)) };
  }

  it('pairs a body:true response with exactly the next binary message', () => {
    const { events, push } = reader();
    push('{"response":{"requestId":"1","statusCode":200,"body":true}}');
    push(Buffer.from('body'));
    push(Buffer.from('stray'));
    push(Buffer.alloc(0));
    push('{"response":{"requestId":"2","statusCode":"204","body":false}}');
    push('{"renewToken":{"token":"t"}}');
    assert.deepEqual(events, [
      ['response', { id: '1', status: 200, body: 'body' }],
      ['junk', 'a binary message with no response waiting for its body'],
      ['response', { id: '2', status: 204, body: undefined }],
      ['renew', 't'],
    ]);
  });

  it('ends a response whose body never came with an empty body, and reads the next message', () => {
    const { events, push } = reader();
    push('{"response":{"requestId":"1","statusCode":200,"body":true}}');
    push('{"response":{"requestId":"2","statusCode":200,"body":false}}');
    assert.deepEqual(events.map(([kind]) => kind), ['junk', 'response', 'response']);
    assert.deepEqual(events[1], ['response', { id: '1', status: 200, body: '' }]);
  });
});

describe('authorisation order', () => {
  const registry = new HybridConnectionRegistry();
  const open = registry.add({ name: 'open', requiresClientAuthorization: false }).hybridConnection;
  const closed = registry.add({ name: 'closed' }).hybridConnection;
  const authorizer = Authorizer.forRegistry(registry);
  const ask = (operation: 'listen' | 'send' | 'manage', hc: typeof open, token?: string) =>
    authorizer.authorize({ operation, right: operation === 'listen' ? 'Listen' : operation === 'send' ? 'Send' : 'Manage', hybridConnection: hc, entityPath: hc.name, resource: hc.name, tokens: { serviceBusAuthorization: token }, now: Date.now() });

  it('lets anonymous senders in without evaluating their token, but never anonymous listeners', () => {
    assert.equal(ask('send', open, 'garbage').outcome, 'accepted');
    assert.equal(ask('listen', open).outcome, 'rejected');
    assert.equal(ask('send', closed).outcome, 'rejected');
  });

  it('lets Manage imply Listen and Send', () => {
    const token = createSasToken(`sb://ns/${closed.name}`, ROOT_RULE_NAME, DEV_PRIMARY_KEY);
    for (const operation of ['listen', 'send', 'manage'] as const) assert.equal(ask(operation, closed, token).outcome, 'accepted', operation);
  });
});
