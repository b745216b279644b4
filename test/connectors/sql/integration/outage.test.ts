/**
 * The database going away: the stand-in stopped mid-run → 503 DatabaseUnavailable with Retry-After
 * (health/ready too), then service again once it is back; dropped connections, a refused login and
 * a slow database (504 QueryTimeout). Only the stand-in can be stopped, so only it runs here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunningConnector, eventually, startConnector, withConnector } from './connector';
import { RunningTarget, TARGETS } from './targets';

const definition = TARGETS[0];

describe(`SQL connector during a database outage (${definition.name})`, () => {
  let target: RunningTarget;
  let connector: RunningConnector;

  withConnector(definition, (t, c) => {
    target = t;
    connector = c;
  });

  const readOne = () => connector.http.get('/tables/HcmNumbers/items/1');

  it('answers 503 DatabaseUnavailable while the database is stopped, and serves again after it returns', async () => {
    assert.equal((await readOne()).status, 200);
    await target.standIn!.close();
    await eventually(async () => (await readOne()).status === 503, 10_000, 'a 503 once the database is gone');
    const down = await readOne();
    assert.equal(down.body.error.code, 'DatabaseUnavailable');
    assert.ok(Number(down.headers['retry-after']) > 0);
    const ready = await connector.http.get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'unavailable');
    assert.equal(ready.body.error.code, 'DatabaseUnavailable');
    assert.equal((await connector.http.get('/health')).status, 200);
    await target.standIn!.start();
    await eventually(async () => (await readOne()).status === 200, 20_000, 'service to resume once the database is back');
    assert.equal((await connector.http.get('/health/ready')).status, 200);
  });

  it('recovers when every connection is dropped mid-run', async () => {
    assert.equal((await readOne()).status, 200);
    target.standIn!.faults.dropAllConnections();
    const during = await readOne();
    assert.ok([200, 503].includes(during.status), during.text);
    await eventually(async () => (await readOne()).status === 200, 20_000, 'service after dropped connections');
  });

  it('answers 504 QueryTimeout when the database is slower than requestTimeoutMs', async () => {
    connector.updateSettings({ requestTimeoutMs: 1000 });
    await eventually(async () => connector.site.context.settings.requestTimeoutMs === 1000, 10_000, 'the new timeout to apply');
    assert.equal((await readOne()).status, 200);
    target.standIn!.faults.setResponseDelay(3000);
    try {
      await eventually(async () => (await readOne()).status === 504, 20_000, 'a 504 from the slow database');
      const slow = await readOne();
      assert.equal(slow.body.error.code, 'QueryTimeout');
    } finally {
      target.standIn!.faults.setResponseDelay(0);
      connector.updateSettings({ requestTimeoutMs: 20_000 });
    }
    await eventually(async () => (await readOne()).status === 200, 20_000, 'service once the database is fast again');
  });

  it('answers 503 when the login is refused, naming no password', async () => {
    const refused = await startConnector(target, { password: 'wrong-password-123' });
    try {
      const response = await refused.http.get('/tables');
      assert.equal(response.status, 503, response.text);
      assert.equal(response.body.error.code, 'DatabaseUnavailable');
      assert.equal(response.body.error.sqlErrorNumber, 18456);
      assert.doesNotMatch(response.text, /wrong-password-123/);
    } finally {
      await refused.close();
    }
  });
});
