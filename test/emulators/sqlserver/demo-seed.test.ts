/**
 * The demo database (what `hcm sqlserver` and `hcm demo` serve): its tables and row counts, its
 * procedures (two result sets and an OUTPUT parameter; an order placed in a transaction), the
 * IDENTITY key of dbo.Orders and the ROWVERSION of dbo.Products as a "changed since" watermark.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { DEMO_DATABASE, demoSeedSql, SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { splitBatches } from '../../../src/emulators/sqlserver/tsql/lexer';
import { configFromConnectionString, openPool } from './target';
import { recordsets } from './suites/context';

describe('the demo database', () => {
  let standIn: SqlServerStandIn;
  let pool: sql.ConnectionPool;

  before(async () => {
    standIn = new SqlServerStandIn({ port: 0, seedSql: demoSeedSql(), logger: silentLogger() });
    await standIn.start();
    pool = await openPool(configFromConnectionString(standIn.connectionString()));
  });
  after(async () => {
    await pool.close();
    await standIn.close();
  });

  it('is a GO-separated T-SQL script of CREATE TABLE, INSERT and CREATE PROCEDURE batches', () => {
    const batches = splitBatches(demoSeedSql()).map((b) => b.text);
    assert.ok(batches.some((b) => /CREATE TABLE dbo\.Orders/.test(b)));
    assert.ok(batches.filter((b) => /^\s*(--.*\n\s*)*CREATE PROCEDURE/.test(b)).length >= 3, 'each procedure opens its own batch, as SQL Server requires');
  });

  it(`holds a few hundred rows in ${DEMO_DATABASE}'s four tables`, async () => {
    const counts = await pool.request().query(`SELECT (SELECT COUNT(*) FROM dbo.Customers) AS Customers, (SELECT COUNT(*) FROM dbo.Products) AS Products,
  (SELECT COUNT(*) FROM dbo.Orders) AS Orders, (SELECT COUNT(*) FROM dbo.OrderLines) AS Lines,
  (SELECT MIN(OrderId) FROM dbo.Orders) AS FirstOrderId,
  (SELECT COUNT(*) FROM dbo.Orders o WHERE o.Total = (SELECT SUM(l.Quantity * l.UnitPrice) FROM dbo.OrderLines l WHERE l.OrderId = o.OrderId)) AS Totalled`);
    const row = counts.recordset[0];
    assert.deepEqual({ ...row, Lines: row.Lines > 200 }, { Customers: 60, Products: 40, Orders: 200, Lines: true, FirstOrderId: 1000, Totalled: 200 });
  });

  it('GetCustomerOrders returns two result sets, an OUTPUT count and a return value', async () => {
    const result = await pool.request().input('CustomerId', sql.Int, 8).output('OrderCount', sql.Int).execute('dbo.GetCustomerOrders');
    const [customers, orders] = recordsets(result);
    assert.equal(customers.length, 1);
    assert.equal(customers[0].CustomerId, 8);
    assert.equal(orders.length, result.output.OrderCount);
    assert.ok(result.output.OrderCount > 0);
    assert.equal(result.returnValue, 0);
    const none = await pool.request().input('CustomerId', sql.Int, 9999).output('OrderCount', sql.Int).execute('dbo.GetCustomerOrders');
    assert.deepEqual([none.output.OrderCount, none.returnValue], [0, 1]);
  });

  it('PlaceOrder inserts an order and its line in one transaction and returns the new identity', async () => {
    const placed = await pool.request().input('CustomerId', sql.Int, 3).input('ProductId', sql.Int, 5).input('Quantity', sql.Int, 2).output('OrderId', sql.Int).execute('dbo.PlaceOrder');
    const orderId = placed.output.OrderId;
    assert.ok(orderId >= 1200);
    const details = await pool.request().input('OrderId', sql.Int, orderId).execute('dbo.GetOrderDetails');
    const [header, lines] = recordsets(details);
    assert.equal(header[0].OrderId, orderId);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].Quantity, 2);
    await assert.rejects(
      pool.request().input('CustomerId', sql.Int, 99_999).input('ProductId', sql.Int, 5).input('Quantity', sql.Int, 1).output('OrderId', sql.Int).execute('dbo.PlaceOrder'),
      (error: sql.RequestError) => error.number === 547,
    );
    assert.equal((await pool.request().query('SELECT @@TRANCOUNT AS Depth')).recordset[0].Depth, 0);
  });

  it('changes a product\'s ROWVERSION on every update, so "rows changed since" queries find it', async () => {
    const before = await pool.request().query('SELECT MAX(RowVersion) AS Mark FROM dbo.Products');
    const mark: Buffer = before.recordset[0].Mark;
    assert.equal(mark.length, 8);
    const updated = await pool.request().query('UPDATE dbo.Products SET InStock = InStock + 1 OUTPUT DELETED.InStock AS Was, INSERTED.InStock AS Now, INSERTED.RowVersion WHERE ProductId = 7');
    assert.equal(updated.recordset[0].Now, updated.recordset[0].Was + 1);
    const changed = await pool.request().input('since', sql.VarBinary(8), mark).query('SELECT ProductId FROM dbo.Products WHERE RowVersion > @since ORDER BY RowVersion');
    assert.deepEqual(changed.recordset, [{ ProductId: 7 }]);
    assert.ok(Buffer.compare(updated.recordset[0].RowVersion, mark) > 0);
  });

  it('deletes an order\'s lines with it (ON DELETE CASCADE) and searches products with default parameters', async () => {
    const order = (await pool.request().query('SELECT TOP (1) OrderId FROM dbo.Orders ORDER BY OrderId')).recordset[0].OrderId;
    await pool.request().input('id', sql.Int, order).query('DELETE FROM dbo.Orders WHERE OrderId = @id');
    assert.equal((await pool.request().input('id', sql.Int, order).query('SELECT COUNT(*) AS Lines FROM dbo.OrderLines WHERE OrderId = @id')).recordset[0].Lines, 0);
    const all = await pool.request().execute('dbo.SearchProducts');
    const lamps = await pool.request().input('Term', sql.NVarChar(50), 'lamp').execute('dbo.SearchProducts');
    assert.ok(all.recordset.length > lamps.recordset.length);
    assert.ok(lamps.recordset.length > 0 && lamps.recordset.every((p) => /lamp/i.test(p.Name)));
  });
});
