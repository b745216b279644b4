import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chain, waitUntilServing } from '../../src/cli/demo-chain';
import { useChain } from '../cli/chain-fixture';
import { waitFor } from '../../src/cli/progress';
import { parseConfigurationString } from '../../src/config/connection-string';
import { readManifest } from '../../src/config/manifest-store';
import { createHybridConnectionToken, httpUri } from '../../src/relay/uris';
import { runHcm } from '../cli/run-hcm';

describe('hcm start (the standalone host) running the demo chain', () => {
  let chain: Chain;
  let home: string;
  useChain('hcm-host-', (started, folder) => {
    chain = started;
    home = folder;
  });

  const call = async (entityPath: string, suffix: string) => {
    const target = parseConfigurationString(chain.relay.connectionString(entityPath));
    const response = await fetch(httpUri(target, suffix), { headers: { ServiceBusAuthorization: createHybridConnectionToken(target, target.keyName!, target.key!) } });
    return { status: response.status, body: await response.text() };
  };

  it('restarts a killed connector: calls fail with 502 for a moment, then are served again', async () => {
    assert.equal((await call('sql-orders', '/tables/Orders/items?$top=1')).status, 200);
    const site = chain.host.site(chain.connector.site)!;
    const pid = site.pid!;
    process.kill(pid, 'SIGKILL');
    const statuses: number[] = [];
    await waitFor('the connector to serve again', async () => {
      const { status } = await call('sql-orders', '/tables/Orders/items?$top=1');
      statuses.push(status);
      return status === 200 && site.pid !== pid ? true : undefined;
    }, 30_000, 100);
    assert.ok(statuses.every((s) => s === 200 || s === 502 || s === 503), `unexpected statuses ${statuses.join(',')}`);
    assert.ok(site.restarts >= 1);
  });

  it('starts a connector added with hcm setup and stops it after hcm remove', async () => {
    chain.relay.addHybridConnection({ name: 'sql-second' });
    const setup = await runHcm(['setup', '--home', home, '--config-string', chain.relay.connectionString('sql-second'), '--sql-server', '127.0.0.1',
      '--sql-port', String(chain.sql.address().port), '--database', chain.connector.settings.database, '--user', chain.connector.settings.user, '--json'],
    { env: { HCM_SQL_PASSWORD: chain.connector.settings.password } });
    assert.equal(setup.code, 0, setup.stderr);
    const added = JSON.parse(setup.stdout) as { connector: string; port: number };
    const manifest = readManifest(home);
    await waitUntilServing(manifest, manifest.connectors.find((c) => c.site === added.connector)!, 30_000);
    assert.equal((await call('sql-second', '/tables/Customers/items?$top=2')).status, 200);

    const pid = chain.host.site(added.connector)?.pid;
    assert.ok(pid, 'the added connector runs as a child process');
    assert.equal((await runHcm(['remove', added.connector, '--home', home])).code, 0);
    await waitFor('the removed connector to stop', async () => (chain.host.site(added.connector) === undefined ? true : undefined), 15_000);
    // Its process is gone (asking its port instead would race with any other server that takes the
    // freed port on a busy machine).
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    assert.equal((await call('sql-orders', '/tables/Orders/items?$top=1')).status, 200, 'the first connector kept serving');
  });
});
