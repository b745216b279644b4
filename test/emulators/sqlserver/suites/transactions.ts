/**
 * Transactions: T-SQL BEGIN/COMMIT/ROLLBACK, mssql's Transaction API (TDS transaction manager
 * requests and their ENVCHANGE descriptors), a writer's wait for a table lock and LOCK_TIMEOUT (1222), and
 * readers that an open transaction does not block.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import { recordsets, SuiteContext } from './context';
import { waitFor } from '../target';

async function balance(context: SuiteContext, id: number): Promise<number> {
  const result = await context.pool.request().input('id', sql.Int, id).query('SELECT Balance FROM dbo.hcmt_Accounts WHERE Id = @id');
  return result.recordset[0].Balance;
}

export function transactionsSuite(context: SuiteContext): void {
  it('rolls back and commits T-SQL transactions, nested BEGIN counting in @@TRANCOUNT', async () => {
    const rolledBack = await context.pool.request().batch(`BEGIN TRANSACTION;
UPDATE dbo.hcmt_Accounts SET Balance = 0 WHERE Id = 1;
BEGIN TRAN; SELECT @@TRANCOUNT AS Depth; COMMIT;
ROLLBACK TRANSACTION;
SELECT @@TRANCOUNT AS AfterRollback, Balance FROM dbo.hcmt_Accounts WHERE Id = 1;`);
    assert.deepEqual(recordsets(rolledBack)[0], [{ Depth: 2 }]);
    assert.deepEqual(recordsets(rolledBack)[1], [{ AfterRollback: 0, Balance: 100 }]);
    await context.pool.request().batch('BEGIN TRAN; UPDATE dbo.hcmt_Accounts SET Balance = Balance + 1 WHERE Id = 2; COMMIT TRAN;');
    assert.equal(await balance(context, 2), 51);
    await context.pool.request().batch('UPDATE dbo.hcmt_Accounts SET Balance = 50 WHERE Id = 2');
  });

  it("commits and rolls back through mssql's Transaction API (transaction manager requests)", async () => {
    const rollback = new sql.Transaction(context.pool);
    await rollback.begin();
    await new sql.Request(rollback).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance - 30 WHERE Id = 1');
    assert.deepEqual((await new sql.Request(rollback).query('SELECT @@TRANCOUNT AS Depth, Balance FROM dbo.hcmt_Accounts WHERE Id = 1')).recordset, [{ Depth: 1, Balance: 70 }]);
    await rollback.rollback();
    assert.equal(await balance(context, 1), 100);

    const commit = new sql.Transaction(context.pool);
    await commit.begin(sql.ISOLATION_LEVEL.READ_COMMITTED);
    await new sql.Request(commit).input('amount', sql.Decimal(12, 2), 12.5).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance + @amount WHERE Id = 1');
    await commit.commit();
    assert.equal(await balance(context, 1), 112.5);
    await context.pool.request().query('UPDATE dbo.hcmt_Accounts SET Balance = 100 WHERE Id = 1');
  });

  it('makes a writer wait for an open transaction and answers 1222 after its LOCK_TIMEOUT', async () => {
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    try {
      await new sql.Request(holder).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance + 1 WHERE Id = 2');
      const waiting = context.pool.request().query('SET LOCK_TIMEOUT 300; UPDATE dbo.hcmt_Accounts SET Balance = 0 WHERE Id = 2');
      await assert.rejects(waiting, (error: sql.RequestError) => {
        assert.equal(error.number, 1222);
        assert.equal(error.message, 'Lock request time out period exceeded.');
        return true;
      });
    } finally {
      await holder.rollback();
    }
    assert.equal(await balance(context, 2), 50);
  });

  it('lets a queued writer go on once the transaction ahead of it commits', async () => {
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    await new sql.Request(holder).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance + 5 WHERE Id = 2');
    const queued = context.pool.request().query('SET LOCK_TIMEOUT 20000; UPDATE dbo.hcmt_Accounts SET Balance = Balance * 2 WHERE Id = 2');
    // The stand-in shows the queued writer; a real server is given the commit at once (the writer waits or has not yet asked).
    const standIn = context.target.standIn;
    if (standIn) await waitFor(() => standIn.diagnostics().lockWaiters > 0, 'the second writer queues behind the transaction');
    await holder.commit();
    await queued;
    assert.equal(await balance(context, 2), 110);
    await context.pool.request().query('UPDATE dbo.hcmt_Accounts SET Balance = 50 WHERE Id = 2');
  });

  it('lets readers read the last committed data while another session holds a transaction open', async (t) => {
    const snapshot = await context.pool.request().query('SELECT is_read_committed_snapshot_on AS rcsi FROM sys.databases WHERE name = DB_NAME()');
    if (!snapshot.recordset[0]?.rcsi) {
      t.skip('this server blocks readers behind writers (READ_COMMITTED_SNAPSHOT is OFF); the stand-in behaves as with it ON');
      return;
    }
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    try {
      await new sql.Request(holder).query('UPDATE dbo.hcmt_Accounts SET Balance = 1 WHERE Id = 1');
      assert.equal(await balance(context, 1), 100, 'an uncommitted change is invisible to other sessions');
    } finally {
      await holder.rollback();
    }
  });
}
