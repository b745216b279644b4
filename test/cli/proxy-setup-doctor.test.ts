/**
 * `hcm setup --proxy` (stored without credentials in the URL, password apart, never printed) and
 * `hcm doctor` through a real Squid: which of proxy, proxy authentication or relay failed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseConfigurationString } from '../../src/config/connection-string';
import { manifestPath, readManifest } from '../../src/config/manifest-store';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { checkRelayThroughProxy } from '../../src/cli/doctor/proxy-checks';
import { resolveProxy } from '../../src/relay/proxy/proxy-config';
import { startRelay, tempHome } from '../relay/relay-fixtures';
import { Squid } from '../relay/proxy/squid';
import { runHcm } from './run-hcm';

const KEY = 'UHJpbWFyeUtleUZvclRlc3RzT25seU5vdEFSZWFsT25lMTI=';
const CONFIG = `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${KEY};EntityPath=sql-orders`;
const PASSWORD = 'Pr0xy:pa55@word';
const RELAY_NAME = 'relay.hcm.test';

describe('hcm setup --proxy', () => {
  it('stores the URL without credentials and the password from HCM_PROXY_PASSWORD, printing neither', async (t) => {
    const home = tempHome(t);
    const run = await runHcm(['setup', '--home', home, '--config-string', CONFIG, '--proxy', 'http://hcm@proxy.contoso.local:3128'], { env: { HCM_PROXY_PASSWORD: PASSWORD } });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readManifest(home).proxy, { url: 'http://proxy.contoso.local:3128', username: 'hcm', password: PASSWORD });
    assert.match(run.stdout, /Relay connections: http:\/\/proxy\.contoso\.local:3128 as hcm \(password stored\)/);
    assert.ok(!run.stdout.includes(PASSWORD) && !run.stderr.includes(PASSWORD));
  });

  it('takes user:pass@ from the URL, changes only the proxy when no configuration string is given, and removes it with none', async (t) => {
    const home = tempHome(t);
    await runHcm(['setup', '--home', home, '--config-string', CONFIG]);
    const connectors = readManifest(home).connectors;
    const set = await runHcm(['setup', '--home', home, '--proxy', `http://hcm:${encodeURIComponent(PASSWORD)}@10.0.0.5:8080`, '--json']);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), { proxy: 'http://10.0.0.5:8080' });
    assert.deepEqual(readManifest(home).proxy, { url: 'http://10.0.0.5:8080', username: 'hcm', password: PASSWORD });
    assert.deepEqual(readManifest(home).connectors, connectors);
    assert.ok(!set.stdout.includes(PASSWORD));
    const removed = await runHcm(['setup', '--home', home, '--proxy', 'none']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(readManifest(home).proxy, undefined);
  });

  it('refuses an https:// proxy or a path with exit 2, changing nothing and echoing no password', async (t) => {
    const home = tempHome(t);
    for (const bad of ['https://u:s3cret@proxy:443', 'http://u:s3cret@proxy:3128/x']) {
      const run = await runHcm(['setup', '--home', home, '--proxy', bad]);
      assert.equal(run.code, 2);
      assert.ok(!run.stderr.includes('s3cret'));
      assert.equal(fs.existsSync(manifestPath(home)), false);
    }
  });
});

describe('hcm doctor through a proxy', () => {
  it('passes proxy, proxy authentication and relay when all three work', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ basicAuth: { user: 'hcm', password: PASSWORD }, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const target = { ...parseConfigurationString(relay.connectionString('orders')), namespace: RELAY_NAME };
    const results = await checkRelayThroughProxy(target, resolveProxy({ url: squid.url, username: 'hcm', password: PASSWORD }, 'the manifest'));
    assert.deepEqual(results.map((r) => r.passed), [true, true, true], JSON.stringify(results));
    assert.match(results[1].name, /proxy authentication \(Basic as hcm\)/);
  });

  it('says the proxy authentication failed for a wrong password, the proxy for a refusal or no proxy, the relay when the proxy cannot reach it', async (t) => {
    const squid = await new Squid({ basicAuth: { user: 'hcm', password: PASSWORD }, hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const refusing = await new Squid({ denyAll: true }).start(t);
    const closedPort = await anyFreeLoopbackPort();
    const target = { ...parseConfigurationString(`Endpoint=sb://${RELAY_NAME}:${closedPort}/;SharedAccessKeyName=k;SharedAccessKey=${KEY};EntityPath=orders;UseDevelopmentEmulator=true`) };
    const verdict = async (url: string, password?: string) =>
      (await checkRelayThroughProxy(target, resolveProxy({ url, username: 'hcm', ...(password ? { password } : {}) }, 'HTTP_PROXY'))).map((r) => `${r.passed ? 'pass' : 'FAIL'} ${r.name}`);
    assert.match((await verdict(squid.url, 'wrong-password')).join('\n'), /^pass proxy .*\nFAIL proxy authentication .*\nFAIL relay/);
    assert.match((await verdict(refusing.url, PASSWORD)).join('\n'), /^FAIL proxy /);
    assert.match((await verdict(`http://127.0.0.1:${closedPort}`, PASSWORD)).join('\n'), /^FAIL proxy /);
    // Right password, but nothing listens at the relay's port: Squid answers 503.
    const upstream = await checkRelayThroughProxy(target, resolveProxy({ url: squid.url, username: 'hcm', password: PASSWORD }, 'HTTP_PROXY'));
    assert.deepEqual(upstream.map((r) => r.passed), [true, true, false]);
    assert.match(upstream[2].detail, /could not reach the relay/);
    for (const r of upstream) assert.ok(!r.detail.includes(PASSWORD));
  });

  it('hcm doctor uses HTTP_PROXY for the relay check and reports the three checks', async (t) => {
    const relay = await startRelay(t, ['orders']);
    const squid = await new Squid({ hosts: { [RELAY_NAME]: '127.0.0.1' } }).start(t);
    const home = tempHome(t);
    const config = relay.connectionString('orders').replace('sb://127.0.0.1:', `sb://${RELAY_NAME}:`);
    assert.equal((await runHcm(['setup', '--home', home, '--config-string', config])).code, 0);
    const run = await runHcm(['doctor', '--home', home, '--json'], { env: { HTTP_PROXY: squid.url } });
    const checks = JSON.parse(run.stdout) as Array<{ name: string; passed: boolean }>;
    const proxyChecks = checks.filter((c) => /proxy|through the proxy/.test(c.name));
    assert.deepEqual(proxyChecks.map((c) => c.passed), [true, true, true], JSON.stringify(proxyChecks));
    assert.match(proxyChecks[0].name, /from HTTP_PROXY/);
  });
});
