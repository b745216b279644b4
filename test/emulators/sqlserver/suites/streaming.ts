/**
 * Large results and cancellation: 100,000 rows streamed in order through request.stream with
 * pause/resume; request.cancel() and a request timeout both stop a running query (ATTENTION)
 * and leave the connection usable.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import type { SuiteContext } from './context';
import { HUNDRED_THOUSAND_ROWS } from '../fixtures';

export function streamingSuite(context: SuiteContext): void {
  it('streams 100,000 rows in order, pausing and resuming the request', async () => {
    const request = context.pool.request();
    request.stream = true;
    let count = 0;
    let inOrder = true;
    let pauses = 0;
    await new Promise<void>((resolve, reject) => {
      request.on('row', (row: { N: number }) => {
        if (row.N !== count) inOrder = false;
        count++;
        if (count % 25_000 === 0) {
          pauses++;
          request.pause();
          setTimeout(() => request.resume(), 30);
        }
      });
      request.on('error', reject);
      request.on('done', () => resolve());
      void request.query(HUNDRED_THOUSAND_ROWS);
    });
    assert.equal(count, 100_000);
    assert.ok(inOrder, 'rows arrive in ORDER BY order');
    assert.equal(pauses, 4);
  });

  it('cancels a running query when the client calls request.cancel() (ATTENTION), and the connection goes on', async () => {
    const single = new sql.ConnectionPool({ ...structuredClone(context.target.config), pool: { max: 1, min: 0 } });
    await single.connect();
    try {
      const request = single.request();
      const running = request.query("WAITFOR DELAY '00:00:30'; SELECT 1 AS Never");
      setTimeout(() => request.cancel(), 100);
      await assert.rejects(running, (error: sql.RequestError) => error.code === 'ECANCEL');
      assert.deepEqual((await single.request().query('SELECT 2 AS Next')).recordset, [{ Next: 2 }]);
    } finally {
      await single.close();
    }
  });

  it('stops a query that runs past requestTimeout with ETIMEOUT', async () => {
    const short = new sql.ConnectionPool({ ...structuredClone(context.target.config), requestTimeout: 300, pool: { max: 1, min: 0 } });
    await short.connect();
    try {
      await assert.rejects(short.request().query("WAITFOR DELAY '00:00:20'"), (error: sql.RequestError) => error.code === 'ETIMEOUT');
      assert.deepEqual((await short.request().query('SELECT 3 AS Next')).recordset, [{ Next: 3 }]);
    } finally {
      await short.close();
    }
  });
}
