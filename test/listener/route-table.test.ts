/**
 * The route table built from the manifest, and what changes between two manifests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffRoutes, routesFromManifest } from '../../src/listener/route-table';
import { manifestWith } from '../relay/relay-fixtures';

const primary = 'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=cHJpbWFyeQ==;EntityPath=sql-orders';
const secondary = 'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2Vjb25kYXJ5;EntityPath=sql-orders';
const other = 'Endpoint=sb://127.0.0.1:9351/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a2V5;EntityPath=inventory;UseDevelopmentEmulator=true';

const asMap = (routes: ReturnType<typeof routesFromManifest>['routes']) => new Map(routes.map((route) => [route.key, route]));

describe('route table', () => {
  it('routes each hybrid connection to its connector site with what the forwarding headers need', () => {
    const { routes, problems } = routesFromManifest(manifestWith([{ connectionString: primary, port: 6569 }, { connectionString: other, port: 6570 }]));
    assert.deepEqual(problems, []);
    assert.deepEqual(routes.map((route) => [route.key, route.target]), [
      ['contoso.servicebus.windows.net:443/sql-orders', { connector: 'MicrosoftSqlConnector_001', port: 6569, entityPath: 'sql-orders', namespace: 'contoso.servicebus.windows.net', proto: 'https' }],
      ['127.0.0.1:9351/inventory', { connector: 'MicrosoftSqlConnector_002', port: 6570, entityPath: 'inventory', namespace: '127.0.0.1', proto: 'http' }],
    ]);
    assert.ok(!JSON.stringify(routes.map((route) => route.connectionFingerprint)).includes('cHJpbWFyeQ=='));
  });

  it('tells added, removed, re-keyed and re-targeted hybrid connections apart', () => {
    const before = asMap(routesFromManifest(manifestWith([{ connectionString: primary, port: 6569 }, { connectionString: other, port: 6570 }])).routes);
    const same = diffRoutes(before, [...before.values()]);
    assert.deepEqual(same, { added: [], removed: [], rekeyed: [], retargeted: [] });

    const rekeyed = diffRoutes(before, routesFromManifest(manifestWith([{ connectionString: secondary, port: 6569 }, { connectionString: other, port: 6570 }])).routes);
    assert.deepEqual(rekeyed.rekeyed.map((route) => route.key), ['contoso.servicebus.windows.net:443/sql-orders']);
    assert.deepEqual([rekeyed.added, rekeyed.removed, rekeyed.retargeted], [[], [], []]);

    const retargeted = diffRoutes(before, routesFromManifest(manifestWith([{ connectionString: primary, port: 6580 }, { connectionString: other, port: 6570 }])).routes);
    assert.deepEqual(retargeted.retargeted.map((route) => route.target.port), [6580]);
    assert.deepEqual(retargeted.rekeyed, []);

    const removed = diffRoutes(before, routesFromManifest(manifestWith([{ connectionString: other, port: 6570 }])).routes);
    assert.deepEqual(removed.removed, ['contoso.servicebus.windows.net:443/sql-orders']);

    const added = diffRoutes(new Map(), [...before.values()]);
    assert.equal(added.added.length, 2);
  });
});
