/** Bulk copy: mssql's Table + request.bulk (INSERT BULK, then a BULK_LOAD message) with 10,000 rows. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import type { SuiteContext } from './context';

export function bulkSuite(context: SuiteContext): void {
  it('bulk-inserts 10,000 rows with mssql Table and request.bulk, values intact', async () => {
    const table = new sql.Table('dbo.hcmt_Bulk');
    table.create = true;
    table.columns.add('Id', sql.Int, { nullable: false, primary: true });
    table.columns.add('Name', sql.NVarChar(50), { nullable: true });
    table.columns.add('Amount', sql.Decimal(12, 2), { nullable: true });
    table.columns.add('Big', sql.BigInt, { nullable: true });
    table.columns.add('At', sql.DateTime2(3), { nullable: true });
    table.columns.add('Flag', sql.Bit, { nullable: false });
    for (let i = 1; i <= 10_000; i++) {
      table.rows.add(i, i % 1000 === 0 ? null : `name ${i}`, i / 4, `${9_000_000_000_000 + i}`, new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i)), i % 2 === 0);
    }
    const result = await context.pool.request().bulk(table);
    assert.equal(result.rowsAffected, 10_000);
    const summary = await context.pool.request().query(`SELECT COUNT(*) AS Rows, SUM(Amount) AS Amount, COUNT(Name) AS Named, SUM(CAST(Flag AS int)) AS Flags,
  MAX(Big) AS Big, MIN(At) AS FirstAt FROM dbo.hcmt_Bulk`);
    assert.deepEqual({ ...summary.recordset[0], FirstAt: summary.recordset[0].FirstAt.toISOString() }, {
      Rows: 10_000, Amount: 12_501_250, Named: 9990, Flags: 5000, Big: '9000000010000', FirstAt: '2024-01-01T00:00:00.001Z',
    });
    const one = await context.pool.request().query('SELECT Name, Amount FROM dbo.hcmt_Bulk WHERE Id = 4321');
    assert.deepEqual(one.recordset, [{ Name: 'name 4321', Amount: 1080.25 }]);
  });
}
