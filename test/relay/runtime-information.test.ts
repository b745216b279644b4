/** The runtime-information request (listener count) against the relay emulator, as the SDKs send it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListenerService } from '../../src/listener/listener-service';
import { fetchListenerCount } from '../../src/relay/runtime-information';
import { connectionFor, manifestWith, startRelay, waitFor } from './relay-fixtures';

describe('runtime information (listener count)', () => {
  it('reports 0 with no listener and 1 with one; refuses a missing hybrid connection and a wrong key without echoing it', async (t) => {
    const relay = await startRelay(t, ['sql-orders']);
    const connection = connectionFor(relay, 'sql-orders');
    assert.equal(await fetchListenerCount(connection), 0);
    const service = new ListenerService({ siteName: 'S' });
    t.after(() => service.shutdown(0));
    service.apply(manifestWith([{ connectionString: relay.connectionString('sql-orders'), port: 1 }]));
    await waitFor('Connected', () => service.status()[0]?.state === 'Connected');
    assert.equal(await fetchListenerCount(connection), 1);
    await assert.rejects(fetchListenerCount({ ...connection, entityPath: 'sql-missing' }), /no hybrid connection sql-missing/);
    const wrongKey = Buffer.from('not-the-key-at-all-but-long-enough').toString('base64');
    await assert.rejects(fetchListenerCount({ ...connection, key: wrongKey }), (error: Error) => /401/.test(error.message) && !error.message.includes(wrongKey));
  });
});
