/** Pools, batches, parameterised queries, several result sets, prepared statements, procedures, metadata. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import { recordsets, SuiteContext } from './context';

export function basicsSuite(context: SuiteContext): void {
  it('answers a batch with its result sets and rows affected', async () => {
    const result = await context.pool.request().batch(`SELECT Id, Email FROM dbo.hcmt_Parents ORDER BY Id;
UPDATE dbo.hcmt_Children SET Qty = Qty WHERE ParentId = 1;
SELECT COUNT(*) AS Children FROM dbo.hcmt_Children;`);
    assert.deepEqual(recordsets(result)[0], [{ Id: 1, Email: 'ann@example.com' }, { Id: 2, Email: 'bo@example.com' }]);
    assert.deepEqual(recordsets(result)[1], [{ Children: 3 }]);
    assert.deepEqual(result.rowsAffected, [2, 2, 1]);
  });

  it('binds typed parameters (sp_executesql), including inferred JavaScript types', async () => {
    const result = await context.pool.request()
      .input('parent', sql.Int, 1)
      .input('pattern', sql.NVarChar(20), '%ir%')
      .input('minQty', 0)
      .query('SELECT Name, Qty FROM dbo.hcmt_Children WHERE ParentId = @parent AND Name LIKE @pattern AND Qty > @minQty ORDER BY Name');
    assert.deepEqual(result.recordset, [{ Name: 'first', Qty: 1 }]);
  });

  it('pools connections: concurrent requests all succeed', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => context.pool.request().input('n', sql.Int, i).query('SELECT @n * 2 AS Twice')));
    assert.deepEqual(results.map((r) => r.recordset[0].Twice), Array.from({ length: 12 }, (_, i) => i * 2));
  });

  it('runs a prepared statement (sp_prepare, sp_execute, sp_unprepare)', async () => {
    const statement = new sql.PreparedStatement(context.pool);
    statement.input('id', sql.Int);
    await statement.prepare('SELECT Email FROM dbo.hcmt_Parents WHERE Id = @id');
    try {
      assert.deepEqual((await statement.execute({ id: 2 })).recordset, [{ Email: 'bo@example.com' }]);
      assert.deepEqual((await statement.execute({ id: 1 })).recordset, [{ Email: 'ann@example.com' }]);
    } finally {
      await statement.unprepare();
    }
  });

  it('executes a procedure: two result sets, an OUTPUT parameter and the return value', async () => {
    const result = await context.pool.request().input('ParentId', sql.Int, 1).output('ChildCount', sql.Int).execute('dbo.hcmt_ParentReport');
    assert.equal(recordsets(result).length, 2);
    assert.deepEqual(recordsets(result)[0], [{ Id: 1, Email: 'ann@example.com' }]);
    assert.deepEqual(recordsets(result)[1], [{ Id: 1, Name: 'first', Qty: 1 }, { Id: 2, Name: 'second', Qty: 2 }]);
    assert.equal(result.output.ChildCount, 2);
    assert.equal(result.returnValue, 42);
  });

  it('executes a procedure from T-SQL with EXEC … OUTPUT and a return variable', async () => {
    const result = await context.pool.request().query(`DECLARE @count int, @status int;
EXEC @status = dbo.hcmt_ParentReport @ParentId = 2, @ChildCount = @count OUTPUT;
SELECT @count AS ChildCount, @status AS Status;`);
    assert.deepEqual(recordsets(result)[recordsets(result).length - 1], [{ ChildCount: 1, Status: 42 }]);
  });

  it('returns generated identity values through OUTPUT INSERTED and SCOPE_IDENTITY()', async () => {
    const inserted = await context.pool.request().query("INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) OUTPUT INSERTED.Id, INSERTED.Name VALUES (2, N'fourth', 4), (2, N'fifth', 5)");
    assert.equal(inserted.recordset.length, 2);
    const [first, second] = inserted.recordset;
    assert.equal(second.Id, first.Id + 1);
    const scope = await context.pool.request().query("INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (2, N'sixth', 6); SELECT CAST(SCOPE_IDENTITY() AS int) AS Id");
    assert.equal(scope.recordset[0].Id, second.Id + 1);
    const deleted = await context.pool.request().query('DELETE FROM dbo.hcmt_Children OUTPUT DELETED.Name WHERE ParentId = 2 AND Qty > 3');
    assert.deepEqual(deleted.recordset.map((r) => r.Name).sort(), ['fifth', 'fourth', 'sixth']);
  });

  it('pages with ORDER BY … OFFSET … FETCH and with TOP', async () => {
    const page = await context.pool.request().query('SELECT D FROM dbo.hcmt_Digits ORDER BY D DESC OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY');
    assert.deepEqual(page.recordset.map((r) => r.D), [7, 6, 5]);
    const top = await context.pool.request().query('SELECT TOP (2) D FROM dbo.hcmt_Digits WHERE D % 2 = 1 ORDER BY D');
    assert.deepEqual(top.recordset.map((r) => r.D), [1, 3]);
  });

  it('answers INFORMATION_SCHEMA and sys.columns as SQL Server does', async () => {
    const columns = await context.pool.request().query(`SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION
FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo' AND TABLE_NAME = 'hcmt_Children' ORDER BY ORDINAL_POSITION`);
    assert.deepEqual(columns.recordset, [
      { COLUMN_NAME: 'Id', DATA_TYPE: 'int', IS_NULLABLE: 'NO', CHARACTER_MAXIMUM_LENGTH: null, NUMERIC_PRECISION: 10 },
      { COLUMN_NAME: 'ParentId', DATA_TYPE: 'int', IS_NULLABLE: 'NO', CHARACTER_MAXIMUM_LENGTH: null, NUMERIC_PRECISION: 10 },
      { COLUMN_NAME: 'Name', DATA_TYPE: 'nvarchar', IS_NULLABLE: 'NO', CHARACTER_MAXIMUM_LENGTH: 20, NUMERIC_PRECISION: null },
      { COLUMN_NAME: 'Qty', DATA_TYPE: 'int', IS_NULLABLE: 'NO', CHARACTER_MAXIMUM_LENGTH: null, NUMERIC_PRECISION: 10 },
    ]);
    const keys = await context.pool.request().query(`SELECT c.CONSTRAINT_TYPE, k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c
JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA
WHERE c.TABLE_NAME = 'hcmt_Children' ORDER BY c.CONSTRAINT_TYPE`);
    assert.deepEqual(keys.recordset, [{ CONSTRAINT_TYPE: 'FOREIGN KEY', COLUMN_NAME: 'ParentId' }, { CONSTRAINT_TYPE: 'PRIMARY KEY', COLUMN_NAME: 'Id' }]);
    const routines = await context.pool.request().query(`SELECT r.ROUTINE_TYPE, p.PARAMETER_NAME, p.PARAMETER_MODE, p.DATA_TYPE FROM INFORMATION_SCHEMA.ROUTINES r
JOIN INFORMATION_SCHEMA.PARAMETERS p ON p.SPECIFIC_NAME = r.SPECIFIC_NAME WHERE r.ROUTINE_NAME = 'hcmt_ParentReport' ORDER BY p.ORDINAL_POSITION`);
    assert.deepEqual(routines.recordset, [
      { ROUTINE_TYPE: 'PROCEDURE', PARAMETER_NAME: '@ParentId', PARAMETER_MODE: 'IN', DATA_TYPE: 'int' },
      { ROUTINE_TYPE: 'PROCEDURE', PARAMETER_NAME: '@ChildCount', PARAMETER_MODE: 'INOUT', DATA_TYPE: 'int' },
    ]);
    const identity = await context.pool.request().query(`SELECT name, is_identity FROM sys.columns WHERE object_id = OBJECT_ID('dbo.hcmt_Children') AND is_identity = 1;
SELECT COLUMNPROPERTY(OBJECT_ID('dbo.hcmt_Children'), 'Id', 'IsIdentity') AS IsIdentity`);
    assert.deepEqual(recordsets(identity)[0], [{ name: 'Id', is_identity: true }]);
    assert.deepEqual(recordsets(identity)[1], [{ IsIdentity: 1 }]);
  });
}
