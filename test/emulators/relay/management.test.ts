/**
 * The management surface: the listener count the portal shows as "Connected", creating and
 * deleting hybrid connections, key regeneration, and its refusals.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEV_PRIMARY_KEY, ROOT_RULE_NAME } from '../../../src/emulators/relay';
import { refusal, RelayHarness, waitFor, writeConfigFile } from './relay-test-kit';

describe('management API', () => {
  it('lists hybrid connections with their listener count ("Connected")', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'b-second' }, { name: 'a-first', requiresClientAuthorization: false }] });
    const manage = { ServiceBusAuthorization: h.token('') };
    await h.hycoListener('b-second', (_req, res) => res.end('ok'));
    const list = await h.request('/$management/hybridconnections', { headers: manage });
    assert.equal(list.status, 200);
    assert.deepEqual(JSON.parse(list.body.toString()), {
      value: [
        { name: 'a-first', listenerCount: 0, requiresClientAuthorization: false },
        { name: 'b-second', listenerCount: 1, requiresClientAuthorization: true },
      ],
    });
    const one = await h.request('/$management/hybridconnections/b-second', { headers: { ServiceBusAuthorization: h.token('b-second') } });
    assert.deepEqual(JSON.parse(one.body.toString()), { name: 'b-second', listenerCount: 1, requiresClientAuthorization: true });
  });

  it('creates, updates and deletes a hybrid connection; deleting closes its listeners with 1001', async (t) => {
    const h = await RelayHarness.start(t);
    const manage = { ServiceBusAuthorization: h.token(''), 'Content-Type': 'application/json' };
    const created = await h.request('/$management/hybridconnections/new/one', { method: 'PUT', headers: manage, body: '{"requiresClientAuthorization":false}' });
    assert.equal(created.status, 201);
    assert.deepEqual(JSON.parse(created.body.toString()), { name: 'new/one', listenerCount: 0, requiresClientAuthorization: false });
    const updated = await h.request('/$management/hybridconnections/new/one', { method: 'PUT', headers: manage, body: '{"properties":{"requiresClientAuthorization":true}}' });
    assert.equal(updated.status, 200);
    assert.equal(JSON.parse(updated.body.toString()).requiresClientAuthorization, true);
    const listener = await h.plainListener('new/one');
    assert.equal(h.relay.listenerCount('new/one'), 1);
    const deleted = await h.request('/$management/hybridconnections/new/one', { method: 'DELETE', headers: manage });
    assert.equal(deleted.status, 200);
    assert.equal((await listener.closed).code, 1001);
    assert.equal((await h.request('/new/one', { headers: manage })).status, 404);
    assert.equal((await h.request('/$management/hybridconnections/new/one', { method: 'DELETE', headers: manage })).status, 404);
  });

  it('regenerates a namespace rule\'s key and returns the new keys', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'keys' }] });
    const manage = { ServiceBusAuthorization: h.token('') };
    const answer = await h.request(`/$management/authorizationrules/${ROOT_RULE_NAME}/regeneratekeys`, { method: 'POST', headers: manage, body: '{"keyType":"PrimaryKey"}' });
    assert.equal(answer.status, 200);
    const keys = JSON.parse(answer.body.toString());
    assert.equal(keys.keyName, ROOT_RULE_NAME);
    assert.notEqual(keys.primaryKey, DEV_PRIMARY_KEY);
    assert.match(keys.primaryKey, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(keys.primaryConnectionString, `Endpoint=sb://127.0.0.1:${h.port}/;SharedAccessKeyName=${ROOT_RULE_NAME};SharedAccessKey=${keys.primaryKey};UseDevelopmentEmulator=true`);
    // The old key is refused from now on, the new one works (here: for management itself).
    assert.equal((await h.request('/$management/hybridconnections', { headers: manage })).status, 401);
    const fresh = { ServiceBusAuthorization: h.token('', { key: keys.primaryKey }) };
    assert.equal((await h.request('/$management/hybridconnections', { headers: fresh })).status, 200);
    const secondary = await h.request(`/$management/authorizationrules/${ROOT_RULE_NAME}/regeneratekeys`, { method: 'POST', headers: fresh, body: '{"keyType":"SecondaryKey"}' });
    const rotated = JSON.parse(secondary.body.toString());
    assert.equal(rotated.primaryKey, keys.primaryKey);
    assert.notEqual(rotated.secondaryKey, keys.secondaryKey);
  });

  it('regenerates a hybrid connection\'s own rule, which signs for that hybrid connection only', async (t) => {
    const configFile = writeConfigFile(t, {
      hybridConnections: [{ name: 'scoped', authorizationRules: [{ name: 'scoped-send', rights: ['Send'], primaryKey: 'scoped-key' }] }, { name: 'elsewhere' }],
    });
    const h = await RelayHarness.start(t, { configFile });
    const scopedToken = (name: string, key: string) => ({ ServiceBusAuthorization: h.token(name, { rule: 'scoped-send', key }) });
    assert.equal((await h.request('/scoped', { headers: scopedToken('scoped', 'scoped-key') })).status, 502, 'accepted; no listener');
    assert.equal((await h.request('/elsewhere', { headers: scopedToken('elsewhere', 'scoped-key') })).status, 401, 'the rule does not exist there');
    const answer = await h.request('/$management/hybridconnections/scoped/authorizationrules/scoped-send/regeneratekeys', {
      method: 'POST',
      headers: { ServiceBusAuthorization: h.token('') },
      body: '{"keyType":"PrimaryKey"}',
    });
    assert.equal(answer.status, 200);
    const keys = JSON.parse(answer.body.toString());
    assert.match(keys.primaryConnectionString, /;SharedAccessKeyName=scoped-send;SharedAccessKey=.*;EntityPath=scoped;UseDevelopmentEmulator=true$/);
    assert.equal((await h.request('/scoped', { headers: scopedToken('scoped', 'scoped-key') })).status, 401);
    assert.equal((await h.request('/scoped', { headers: scopedToken('scoped', keys.primaryKey) })).status, 502);
  });

  it('refuses callers without a Manage token, bad bodies, unknown rules and methods', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'guarded' }] });
    const manage = { ServiceBusAuthorization: h.token('') };
    assert.equal((await h.request('/$management/hybridconnections')).status, 401);
    assert.equal((await h.request('/$management/hybridconnections', { headers: { ServiceBusAuthorization: h.token('guarded') } })).status, 403, 'a token for one entity does not cover the namespace');
    const regen = `/$management/authorizationrules/${ROOT_RULE_NAME}/regeneratekeys`;
    assert.equal((await h.request(regen, { method: 'POST', headers: manage, body: 'not json' })).status, 400);
    assert.equal((await h.request(regen, { method: 'POST', headers: manage, body: '{"keyType":"TertiaryKey"}' })).status, 400);
    assert.equal((await h.request('/$management/authorizationrules/nobody/regeneratekeys', { method: 'POST', headers: manage, body: '{"keyType":"PrimaryKey"}' })).status, 404);
    assert.equal((await h.request('/$management/hybridconnections', { method: 'POST', headers: manage })).status, 405);
    assert.equal((await h.request('/$management/whatever', { headers: manage })).status, 404);
    assert.equal((await h.request('/$management/hybridconnections/bad..name!', { method: 'PUT', headers: manage })).status, 400);
    assert.equal((await h.request('/$management/hybridconnections/x', { method: 'PUT', headers: manage, body: '{"requiresClientAuthorization":"yes"}' })).status, 400);
  });

  it('adds and removes hybrid connections through the API of the class, closing listeners on removal', async (t) => {
    const h = await RelayHarness.start(t);
    h.relay.addHybridConnection({ name: 'later' });
    const listener = await h.plainListener('later');
    assert.equal(h.relay.removeHybridConnection('later'), true);
    assert.equal((await listener.closed).code, 1001);
    await waitFor(() => h.relay.listenerCount('later') === 0, 'the listener count to drop');
    assert.equal(refusal(await h.plainListener('later').catch((e) => e)).status, 404);
    assert.equal(h.relay.removeHybridConnection('later'), false);
  });
});
