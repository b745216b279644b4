/**
 * Triggers through real HTTP against the target: the 2015 poll trigger committing once its response
 * was sent and rolling back when the client goes away (the rows come again), and the new/changed
 * table triggers with their opaque triggerState.
 */
import http from 'node:http';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunningConnector, eventually, withConnector } from './connector';
import { RunningTarget, TARGETS } from './targets';

/** Sends GET and destroys the connection after `ms`, before the answer is complete. */
function abandonedGet(url: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => response.resume());
    request.on('error', () => resolve());
    setTimeout(() => {
      request.destroy();
      resolve();
    }, ms);
  });
}

for (const definition of TARGETS) {
  describe(`SQL connector triggers (${definition.name})`, { skip: definition.unavailable }, () => {
    let target: RunningTarget;
    let connector: RunningConnector;

    withConnector(definition, (t, c) => {
      target = t;
      connector = c;
    });

    it('poll: 202 with Retry-After when the Data Available Query counts 0', async () => {
      const response = await connector.http.get('/poll');
      assert.equal(response.status, 202);
      assert.ok(Number(response.headers['retry-after']) > 0);
    });

    it('poll: 200 with the rows, committed once the response was sent, then 202', async () => {
      await connector.query("INSERT INTO dbo.HcmQueue (Payload) VALUES (N'one'), (N'two'), (N'three')");
      const response = await connector.http.get('/poll');
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.value.map((r: { Payload: string }) => r.Payload).sort(), ['one', 'three', 'two']);
      await eventually(async () => (await connector.query<{ n: number }>('SELECT COUNT(*) AS n FROM dbo.HcmQueue WHERE Taken = 0'))[0].n === 0, 10_000, 'the poll to commit');
      assert.equal((await connector.http.get('/poll')).status, 202);
    });

    it('poll: rolls back when the client goes away before the response is complete, so the rows come again', { skip: delaySkipReason(definition.name) }, async () => {
      await connector.query("INSERT INTO dbo.HcmQueue (Payload) VALUES (N'again-1'), (N'again-2')");
      // Every database answer now takes a while: the client leaves while the poll's transaction is open.
      target.standIn!.faults.setResponseDelay(400);
      await abandonedGet(`${connector.url}/poll`, 1000);
      target.standIn!.faults.setResponseDelay(0);
      let payloads: string[] = [];
      await eventually(
        async () => {
          const response = await connector.http.get('/poll');
          if (response.status !== 200) return false;
          payloads = response.body.value.map((r: { Payload: string }) => r.Payload);
          return true;
        },
        15_000,
        'the abandoned poll to roll back and the rows to be polled again',
      );
      assert.deepEqual(payloads.sort(), ['again-1', 'again-2']);
    });

    it('new: returns rows past the identity state, then 202, then only the newer row', async () => {
      const first = await connector.http.get('/tables/HcmCustomers/triggers/new');
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(first.body.value.map((r: { Name: string }) => r.Name), ['Contoso', 'Fabrikam', 'Northwind']);
      const state = first.body.triggerState;
      assert.match(state, /^[A-Za-z0-9_-]+$/);
      const idle = await connector.http.get('/tables/HcmCustomers/triggers/new').query({ triggerState: state });
      assert.equal(idle.status, 202);
      await connector.http.post('/tables/HcmCustomers/items').send({ Name: 'Woodgrove' }).expect(201);
      const next = await connector.http.get('/tables/HcmCustomers/triggers/new').query({ triggerState: state, $select: 'Name' });
      assert.deepEqual(next.body.value, [{ Name: 'Woodgrove' }]);
      const forged = await connector.http.get('/tables/HcmCustomers/triggers/new').query({ triggerState: "1; DROP TABLE dbo.HcmSecret" });
      assert.deepEqual([forged.status, forged.body.error.code], [400, 'InvalidQueryOption']);
      const otherTable = await connector.http.get('/tables/HcmOrders/triggers/new').query({ triggerState: state });
      assert.equal(otherTable.status, 400);
      assert.equal((await connector.http.get('/tables/HcmNumbers/triggers/new')).status, 400);
    });

    it('changed: returns rows past the rowversion state, including updated ones', async () => {
      const first = await connector.http.get('/tables/HcmOrders/triggers/changed').query({ $select: 'Id' });
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(first.body.value, [{ Id: 1 }, { Id: 2 }, { Id: 3 }]);
      const state = first.body.triggerState;
      assert.equal((await connector.http.get('/tables/HcmOrders/triggers/changed').query({ triggerState: state })).status, 202);
      await connector.http.patch('/tables/HcmOrders/items/2').send({ Note: 'changed' }).expect(200);
      const next = await connector.http.get('/tables/HcmOrders/triggers/changed').query({ triggerState: state, $select: 'Id,Note' });
      assert.deepEqual(next.body.value, [{ Id: 2, Note: 'changed' }]);
      assert.equal((await connector.http.get('/tables/HcmCustomers/triggers/changed')).status, 400);
    });
  });
}

/** Only the stand-in can slow its answers down on request. */
function delaySkipReason(name: string): string | false {
  return name === 'TDS stand-in' ? false : 'a real SQL Server cannot be told to answer slowly; the stand-in target covers this';
}
