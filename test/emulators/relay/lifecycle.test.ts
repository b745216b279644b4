/**
 * The emulator as a server: explicit states, the port it got, restart on the same port (clients
 * come back by themselves), configuration strings the product can parse, a port already in use.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { parseConfigurationString } from '../../../src/config/connection-string';
import { DEV_PRIMARY_KEY, DEV_SECONDARY_KEY, RelayEmulator, ROOT_RULE_NAME } from '../../../src/emulators/relay';
import { RelayHarness, waitFor, writeConfigFile } from './relay-test-kit';
import { anyFreeLoopbackPort } from '../../../src/config/names';

describe('relay emulator lifecycle', () => {
  it('reports the port it got and gives configuration strings the product parses', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'sql/orders' }] });
    const { host, port } = h.relay.address();
    assert.equal(host, '127.0.0.1');
    assert.ok(port > 0);
    const text = h.relay.connectionString('sql/orders');
    assert.equal(text, `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=${ROOT_RULE_NAME};SharedAccessKey=${DEV_PRIMARY_KEY};EntityPath=sql/orders;UseDevelopmentEmulator=true`);
    const parsed = parseConfigurationString(text);
    assert.deepEqual([parsed.namespace, parsed.port, parsed.entityPath, parsed.keyName, parsed.key, parsed.emulator], ['127.0.0.1', port, 'sql/orders', ROOT_RULE_NAME, DEV_PRIMARY_KEY, true]);
    assert.match(h.relay.connectionString('sql/orders', { keyType: 'secondary' }), new RegExp(`SharedAccessKey=${DEV_SECONDARY_KEY.replace(/[+/=]/g, '\\$&')};`));
    assert.throws(() => h.relay.connectionString('nope'), /no hybrid connection named "nope"/);
    assert.throws(() => h.relay.connectionString('sql/orders', { rule: 'ghost' }), /no authorization rule named "ghost"/);
  });

  it('refuses illegal state changes', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'states' }] });
    assert.equal(h.relay.status, 'Running');
    await assert.rejects(h.relay.start(), /Cannot start: the server is Running/);
    await h.relay.close();
    assert.equal(h.relay.status, 'Closed');
    await assert.rejects(h.relay.close(), /Cannot close: the server is Closed/);
  });

  it('restarts on the same port, and a hyco-https listener reconnects by itself', async (t) => {
    // Restarted on the same port: one that no port-0 bind of another test can take meanwhile.
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'bounce' }], port: await anyFreeLoopbackPort() });
    const port = h.port;
    let opens = 0;
    const server = await h.hycoListener('bounce', (_req, res) => res.end('back'));
    server.on('listening', () => (opens += 1));
    await h.relay.close();
    assert.equal(h.relay.listenerCount('bounce'), 0);
    await h.relay.start();
    assert.equal(h.relay.address().port, port);
    // The relay counts the listener as soon as it upgrades; hyco-https hears 'open' a moment later.
    await waitFor(() => h.relay.listenerCount('bounce') === 1 && opens === 1, 'hyco-https to reconnect after the restart');
    const answer = await h.request('/bounce', { headers: { ServiceBusAuthorization: h.token('bounce') } });
    assert.equal(answer.body.toString(), 'back');
  });

  it('ends waiting senders with 503 when it shuts down', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'shutdown' }] });
    const listener = await h.plainListener('shutdown');
    const pending = h.request('/shutdown', { headers: { ServiceBusAuthorization: h.token('shutdown') } });
    await listener.nextJson();
    await h.relay.close();
    assert.equal((await pending).status, 503);
    assert.equal((await listener.closed).code, 1001);
  });

  it('says clearly when the port is in use', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    t.after(() => blocker.close());
    const port = (blocker.address() as net.AddressInfo).port;
    const relay = new RelayEmulator({ port });
    await assert.rejects(relay.start(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.equal(relay.status, 'Closed');
  });

  it('loads hybrid connections and rules from a configuration file and refuses a bad one by name', async (t) => {
    const file = writeConfigFile(t, {
      authorizationRules: [{ name: 'ops', rights: ['Manage'], primaryKey: 'ops-key' }],
      hybridConnections: [{ name: 'from-file', requiresClientAuthorization: false }],
    });
    const h = await RelayHarness.start(t, { configFile: file });
    assert.deepEqual(h.relay.hybridConnections(), [{ name: 'from-file', listenerCount: 0, requiresClientAuthorization: false }]);
    assert.match(h.relay.connectionString('from-file', { rule: 'ops' }), /SharedAccessKeyName=ops;SharedAccessKey=ops-key;/);
    const bad = writeConfigFile(t, { hybridConnections: [{ name: 'x', authorizationRules: [{ name: 'r', rights: ['Read'], primaryKey: 'SECRETKEY' }] }] });
    assert.throws(() => new RelayEmulator({ configFile: bad }), (error: Error) => {
      assert.match(error.message, /hybridConnections\[0\]\.authorizationRules\[0\]\.rights must be a non-empty list/);
      assert.doesNotMatch(error.message, /SECRETKEY/);
      return true;
    });
  });
});
