/**
 * The T-SQL people write beyond the basics: temporary tables, views, ALTER TABLE, CTEs (recursive
 * too), window functions, FOR JSON, TRY…CATCH with THROW and ERROR_*(), RAISERROR and PRINT,
 * dynamic SQL, MERGE, string truncation (2628), conversions that fail (245).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import { recordsets, SuiteContext } from './context';

export function languageSuite(context: SuiteContext): void {
  it('keeps #temporary tables to the session that made them', async () => {
    const single = new sql.ConnectionPool({ ...structuredClone(context.target.config), pool: { max: 1, min: 0 } });
    await single.connect();
    try {
      await single.request().batch("CREATE TABLE #hcmt_scratch (Id int PRIMARY KEY, Note nvarchar(10)); INSERT INTO #hcmt_scratch VALUES (1, N'one'), (2, N'two');");
      assert.deepEqual((await single.request().query('SELECT COUNT(*) AS Rows FROM #hcmt_scratch')).recordset, [{ Rows: 2 }]);
    } finally {
      await single.close();
    }
    await assert.rejects(context.pool.request().query('SELECT * FROM #hcmt_scratch'), (error: sql.RequestError) => error.number === 208);
  });

  it('creates and alters views and tables', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_ParentView', 'V') IS NOT NULL DROP VIEW dbo.hcmt_ParentView;
IF OBJECT_ID('dbo.hcmt_Altered', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Altered;`);
    await context.pool.request().batch('CREATE VIEW dbo.hcmt_ParentView AS SELECT p.Id, p.Email, COUNT(c.Id) AS Children FROM dbo.hcmt_Parents p LEFT JOIN dbo.hcmt_Children c ON c.ParentId = p.Id GROUP BY p.Id, p.Email');
    assert.deepEqual((await context.pool.request().query('SELECT Id, Children FROM dbo.hcmt_ParentView ORDER BY Id')).recordset, [{ Id: 1, Children: 2 }, { Id: 2, Children: 1 }]);
    await context.pool.request().batch("CREATE TABLE dbo.hcmt_Altered (Id int NOT NULL PRIMARY KEY); INSERT INTO dbo.hcmt_Altered (Id) VALUES (1), (2);");
    await context.pool.request().batch("ALTER TABLE dbo.hcmt_Altered ADD Label nvarchar(20) NOT NULL CONSTRAINT DF_hcmt_Altered_Label DEFAULT N'new';");
    await context.pool.request().batch("INSERT INTO dbo.hcmt_Altered (Id) VALUES (3); ALTER TABLE dbo.hcmt_Altered ADD Extra int NULL;");
    const rows = await context.pool.request().query('SELECT Id, Label, Extra FROM dbo.hcmt_Altered ORDER BY Id');
    assert.deepEqual(rows.recordset, [{ Id: 1, Label: 'new', Extra: null }, { Id: 2, Label: 'new', Extra: null }, { Id: 3, Label: 'new', Extra: null }]);
    await context.pool.request().batch('DROP VIEW dbo.hcmt_ParentView; DROP TABLE dbo.hcmt_Altered;');
  });

  it('answers CTEs (recursive too), window functions and FOR JSON', async () => {
    const recursive = await context.pool.request().query('WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT SUM(i) AS Total FROM n');
    assert.deepEqual(recursive.recordset, [{ Total: 15 }]);
    const ranked = await context.pool.request().query('SELECT Name, ROW_NUMBER() OVER (PARTITION BY ParentId ORDER BY Qty DESC) AS Rank FROM dbo.hcmt_Children WHERE ParentId = 1 ORDER BY Rank');
    assert.deepEqual(ranked.recordset, [{ Name: 'second', Rank: '1' }, { Name: 'first', Rank: '2' }]);
    const json = await context.pool.request().query('SELECT Id, Email FROM dbo.hcmt_Parents ORDER BY Id FOR JSON PATH');
    assert.deepEqual(JSON.parse(Object.values(json.recordset[0])[0] as string), [{ Id: 1, Email: 'ann@example.com' }, { Id: 2, Email: 'bo@example.com' }]);
  });

  it('catches errors in TRY…CATCH with ERROR_NUMBER() and ERROR_MESSAGE(), rethrows with THROW', async () => {
    const caught = await context.pool.request().query(`BEGIN TRY
  INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (1, N'bad', -1);
END TRY
BEGIN CATCH
  SELECT ERROR_NUMBER() AS Number, ERROR_MESSAGE() AS Message;
END CATCH`);
    assert.equal(caught.recordset[0].Number, 547);
    assert.match(caught.recordset[0].Message, /CHECK constraint "CK_hcmt_Children_Qty"/);
    await assert.rejects(context.pool.request().query("THROW 50001, N'custom failure', 3;"), (error: sql.RequestError) => {
      assert.deepEqual([error.number, error.message, error.state], [50001, 'custom failure', 3]);
      return true;
    });
  });

  it('sends PRINT and low-severity RAISERROR as messages, and runs dynamic SQL', async () => {
    const messages: string[] = [];
    const request = context.pool.request();
    request.on('info', (info: { message: string }) => messages.push(info.message));
    const result = await request.query(`PRINT N'hello';
RAISERROR(N'step %d of %s', 0, 1, 2, N'three') WITH NOWAIT;
DECLARE @sql nvarchar(200) = N'SELECT COUNT(*) AS Digits FROM dbo.hcmt_Digits';
EXEC (@sql);
EXEC sp_executesql N'SELECT @x * 2 AS Twice', N'@x int', @x = 21;`);
    assert.deepEqual(messages, ['hello', 'step 2 of three']);
    assert.deepEqual(recordsets(result).map((r) => r[0]), [{ Digits: 10 }, { Twice: 42 }]);
  });

  it('merges: matched rows updated or deleted, unmatched ones inserted, rows missing from the source updated', async () => {
    const result = await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Stock', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Stock;
CREATE TABLE dbo.hcmt_Stock (Sku varchar(10) NOT NULL PRIMARY KEY, Qty int NOT NULL);
INSERT INTO dbo.hcmt_Stock (Sku, Qty) VALUES ('a', 1), ('b', 2), ('c', 3);
MERGE dbo.hcmt_Stock AS t USING (VALUES ('a', 10), ('d', 40), ('c', 0)) AS s (Sku, Qty) ON t.Sku = s.Sku
WHEN MATCHED AND s.Qty = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET Qty = t.Qty + s.Qty
WHEN NOT MATCHED THEN INSERT (Sku, Qty) VALUES (s.Sku, s.Qty)
WHEN NOT MATCHED BY SOURCE THEN UPDATE SET Qty = -1;
SELECT Sku, Qty FROM dbo.hcmt_Stock ORDER BY Sku;
DROP TABLE dbo.hcmt_Stock;`);
    assert.deepEqual(result.recordset, [{ Sku: 'a', Qty: 11 }, { Sku: 'b', Qty: -1 }, { Sku: 'd', Qty: 40 }]);
    assert.deepEqual(result.rowsAffected, [3, 4, 3]);
  });

  it('restores the caller\'s SET NOCOUNT when a procedure that sets it ON returns', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_QuietTouch', 'P') IS NOT NULL DROP PROCEDURE dbo.hcmt_QuietTouch;
IF OBJECT_ID('dbo.hcmt_Quiet', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Quiet;
CREATE TABLE dbo.hcmt_Quiet (Id int NOT NULL PRIMARY KEY, Hits int NOT NULL);
INSERT INTO dbo.hcmt_Quiet (Id, Hits) VALUES (1, 0), (2, 0), (3, 0);`);
    await context.pool.request().batch('CREATE PROCEDURE dbo.hcmt_QuietTouch AS\nBEGIN\n  SET NOCOUNT ON;\n  UPDATE dbo.hcmt_Quiet SET Hits = Hits + 1;\nEND');
    const single = new sql.ConnectionPool({ ...structuredClone(context.target.config), pool: { max: 1, min: 0 } });
    await single.connect();
    try {
      const called = await single.request().execute('dbo.hcmt_QuietTouch');
      assert.deepEqual(called.rowsAffected, [], 'NOCOUNT ON inside the procedure hides its own count');
      const after = await single.request().query('UPDATE dbo.hcmt_Quiet SET Hits = Hits + 1 WHERE Id < 3');
      assert.deepEqual(after.rowsAffected, [2]);
      const batch = await single.request().batch('EXEC dbo.hcmt_QuietTouch; UPDATE dbo.hcmt_Quiet SET Hits = Hits + 1 WHERE Id = 3;');
      assert.deepEqual(batch.rowsAffected, [1]);
      assert.deepEqual((await single.request().query('SELECT SUM(Hits) AS Hits FROM dbo.hcmt_Quiet')).recordset, [{ Hits: 9 }]);
    } finally {
      await single.close();
      await context.pool.request().batch('DROP PROCEDURE dbo.hcmt_QuietTouch; DROP TABLE dbo.hcmt_Quiet;');
    }
  });

  it('answers 2628 for a string too long for its column and 245 for text that is not a number', async () => {
    await assert.rejects(context.pool.request().query("INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (1, N'a name much longer than twenty', 1)"), (error: sql.RequestError) => {
      assert.equal(error.number, 2628);
      assert.equal(error.message, `String or binary data would be truncated in table '${context.database}.dbo.hcmt_Children', column 'Name'. Truncated value: 'a name much longer t'.`);
      return true;
    });
    await assert.rejects(context.pool.request().query("SELECT CAST('12x' AS int) AS N"), (error: sql.RequestError) => {
      assert.equal(error.number, 245);
      assert.equal(error.message, "Conversion failed when converting the varchar value '12x' to data type int.");
      return true;
    });
  });
}
