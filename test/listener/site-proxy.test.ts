/**
 * The listener site behind a real Squid: relay connections go through the proxy named by
 * HTTP_PROXY (or the manifest), the connector is reached directly, and the proxy password never
 * reaches the log or /status.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/common/logger';
import { startSite } from '../../src/listener/site';
import { useRelayProxy } from '../../src/relay/proxy/relay-proxy';
import { Context, manifestWith, sendThroughRelay, startConnector, startRelay, tempHome, waitFor, writeTestManifest } from '../relay/relay-fixtures';
import { Squid } from '../relay/proxy/squid';
import type { RelayEmulator } from '../../src/emulators/relay';
import type { Manifest } from '../../src/config/manifest';

const RELAY_NAME = 'relay.hcm.test';
const PASSWORD = 'S1te-proxy:pa55@word';

async function startListenerSite(t: Context, relay: RelayEmulator, env: NodeJS.ProcessEnv, change: (manifest: Manifest) => void = () => undefined) {
  const home = tempHome(t);
  const connector = await startConnector(t, (request, response) => response.end(JSON.stringify({ url: request.url })));
  const manifest = manifestWith([{ connectionString: relay.connectionString('orders').replace('sb://127.0.0.1:', `sb://${RELAY_NAME}:`), port: connector.port }]);
  change(manifest);
  writeTestManifest(home, manifest);
  const logDir = path.join(home, 'logs');
  const logger = createLogger({ name: 'listener', logDir, stdout: false, level: 'info' });
  const site = await startSite({ env: { ...env, HCM_HOME: home, PORT: '0' }, processHandlers: false, logger });
  t.after(async () => {
    await site.close();
    useRelayProxy(undefined);
  });
  return { site, connector, home, manifest, log: () => fs.readFileSync(path.join(logDir, 'listener.log'), 'utf8') };
}

describe('the listener site behind a proxy', () => {
  it('sends relay connections through HTTP_PROXY, reaches the connector directly, and logs no password', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ basicAuth: { user: 'hcm', password: PASSWORD }, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const { site, connector, log } = await startListenerSite(t, relay, { HTTP_PROXY: `http://hcm:${encodeURIComponent(PASSWORD)}@127.0.0.1:${squid.port}` });
    await waitFor('Connected through the proxy', () => site.service.status()[0]?.state === 'Connected');
    const response = await sendThroughRelay(relay, 'orders', { suffix: '/tables/Orders/items' });
    assert.equal(response.status, 200);
    assert.equal(connector.received.length, 1);
    await site.close();
    await squid.stop();
    const entries = squid.accessLog();
    assert.ok(entries.length > 0);
    for (const entry of entries) assert.equal(entry.url, `${RELAY_NAME}:${relay.address().port}`, `only relay connections go through the proxy: ${entry.method} ${entry.url}`);
    const text = log();
    assert.match(text, new RegExp(`Relay connections: wss:// direct, ws:// http://127\\.0\\.0\\.1:${squid.port} \\(from HTTP_PROXY, Basic authentication as hcm\\)`));
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`hcm:${PASSWORD}`).toString('base64')]) assert.ok(!text.includes(form), 'the password reached the log');
  });

  it('with the manifest\'s proxy and a wrong HCM_PROXY_PASSWORD: Failed, naming proxy authentication, without the password in /status or the log', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ basicAuth: { user: 'hcm', password: PASSWORD }, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const wrong = 'Wr0ng-pa55word';
    const { site, log } = await startListenerSite(t, relay, { HCM_PROXY_PASSWORD: wrong }, (manifest) => (manifest.proxy = { url: squid.url, username: 'hcm' }));
    await waitFor('Failed', () => site.service.status()[0]?.state === 'Failed');
    const status = JSON.stringify(site.service.status());
    assert.match(status, /refused the user name and password of hcm \(407/);
    assert.ok(!status.includes(wrong) && !log().includes(wrong));
  });

  it('reconnects through the new proxy at once when the manifest\'s proxy setting changes', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const refusing = await new Squid({ denyAll: true, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const open = await new Squid({ hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const { site, home, manifest } = await startListenerSite(t, relay, {}, (m) => (m.proxy = { url: refusing.url }));
    await waitFor('Failed behind the refusing proxy', () => site.service.status()[0]?.state === 'Failed');
    // Failed waits 60 s before it retries; the new setting must not wait for that.
    writeTestManifest(home, { ...manifest, proxy: { url: open.url } });
    await waitFor('Connected through the new proxy', () => site.service.status()[0]?.state === 'Connected');
    assert.equal(relay.listenerCount('orders'), 1);
  });
});
