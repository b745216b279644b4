/**
 * Table types, table variables, table-valued parameters and triggers, through mssql/tedious as a
 * client sends them: CREATE/DROP TYPE and their errors (219, 218, 3732, 2715, 352, 10700), the
 * catalog views, DECLARE @t TABLE and DECLARE @t <type> (kept across ROLLBACK, gone with their
 * batch, filled by OUTPUT … INTO and INSERT … EXEC), TVPs on the wire (TDS TVPTYPE) to a procedure
 * and to sp_executesql, AFTER triggers with inserted/deleted, UPDATE() and @@ROWCOUNT, INSTEAD OF
 * triggers, and bulk loads that fire triggers only when asked.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import { recordsets, SuiteContext } from './context';
import { waitFor } from '../target';

const SETUP = `IF OBJECT_ID('dbo.hcmt_LineTotals', 'P') IS NOT NULL DROP PROCEDURE dbo.hcmt_LineTotals;
IF TYPE_ID('dbo.hcmt_Lines') IS NOT NULL DROP TYPE dbo.hcmt_Lines;
IF TYPE_ID('dbo.hcmt_Code') IS NOT NULL DROP TYPE dbo.hcmt_Code;
CREATE TYPE dbo.hcmt_Lines AS TABLE (Id int NOT NULL PRIMARY KEY, Name nvarchar(20) NULL, Qty int NOT NULL DEFAULT 1 CHECK (Qty > 0));
CREATE TYPE dbo.hcmt_Code FROM varchar(5) NOT NULL;`;

const PROCEDURE = `CREATE PROCEDURE dbo.hcmt_LineTotals @lines dbo.hcmt_Lines READONLY, @factor int = 1
AS SELECT COUNT(*) AS N, SUM(Qty) * @factor AS Total, MAX(Name) AS Last FROM @lines;`;

async function errorNumber(context: SuiteContext, text: string): Promise<number> {
  try {
    await context.pool.request().batch(text);
    return 0;
  } catch (error) {
    return (error as sql.RequestError).number ?? -1;
  }
}

function lines(rows: Array<[number, string | null, number]>): sql.Table {
  const table = new sql.Table('dbo.hcmt_Lines');
  table.columns.add('Id', sql.Int, { nullable: false });
  table.columns.add('Name', sql.NVarChar(20), { nullable: true });
  table.columns.add('Qty', sql.Int, { nullable: false });
  for (const row of rows) table.rows.add(...row);
  return table;
}

export function tableTypesSuite(context: SuiteContext): void {
  it('creates table and alias types, lists them in sys.types and sys.table_types, and refuses a second CREATE with 219', async () => {
    await context.pool.request().batch(SETUP);
    const result = await context.pool.request().query(`SELECT name, is_table_type, is_user_defined, is_nullable FROM sys.types WHERE name LIKE 'hcmt[_]%' ORDER BY name;
SELECT t.name, TYPE_ID('dbo.hcmt_Lines') - t.user_type_id AS Same FROM sys.table_types t WHERE t.name = 'hcmt_Lines';
SELECT TYPE_ID('int') AS IntId, TYPE_ID('dbo.hcmt_NoSuchType') AS Missing;`);
    assert.deepEqual(recordsets(result)[0], [
      { name: 'hcmt_Code', is_table_type: false, is_user_defined: true, is_nullable: false },
      { name: 'hcmt_Lines', is_table_type: true, is_user_defined: true, is_nullable: false },
    ]);
    assert.deepEqual(recordsets(result)[1], [{ name: 'hcmt_Lines', Same: 0 }]);
    assert.deepEqual(recordsets(result)[2], [{ IntId: 56, Missing: null }]);
    assert.equal(await errorNumber(context, 'CREATE TYPE dbo.hcmt_Lines AS TABLE (A int)'), 219);
    assert.equal(await errorNumber(context, 'DROP TYPE dbo.hcmt_NoSuchType'), 218);
    assert.equal(await errorNumber(context, 'DECLARE @x dbo.hcmt_NoSuchType'), 2715);
  });

  it('gives alias-typed columns and variables the base type and its NOT NULL (515, 2628)', async () => {
    await context.pool.request().batch("IF OBJECT_ID('dbo.hcmt_Coded', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Coded; CREATE TABLE dbo.hcmt_Coded (C dbo.hcmt_Code, N int NULL);");
    assert.equal(await errorNumber(context, 'INSERT INTO dbo.hcmt_Coded (N) VALUES (1)'), 515);
    assert.equal(await errorNumber(context, "INSERT INTO dbo.hcmt_Coded (C) VALUES ('toolong')"), 2628);
    const result = await context.pool.request().query("DECLARE @c dbo.hcmt_Code = 'abcdefg'; SELECT @c AS C, LEN(@c) AS Chars;");
    assert.deepEqual(result.recordset, [{ C: 'abcde', Chars: 5 }]);
    assert.equal(await errorNumber(context, 'DROP TYPE dbo.hcmt_Code'), 3732);
    await context.pool.request().batch('DROP TABLE dbo.hcmt_Coded; DROP TYPE dbo.hcmt_Code;');
  });

  it('runs INSERT, UPDATE, DELETE, SELECT and joins on table variables, whose rows a ROLLBACK keeps', async () => {
    const result = await context.pool.request().batch(`DECLARE @t TABLE (Id int PRIMARY KEY, Name nvarchar(10));
DECLARE @l dbo.hcmt_Lines;
INSERT INTO @t VALUES (1, N'one'), (2, N'two'), (3, N'three');
UPDATE @t SET Name = N'TWO' WHERE Id = 2;
DELETE FROM @t WHERE Id = 3;
INSERT INTO @l (Id, Name) SELECT Id, Name FROM @t;
BEGIN TRANSACTION;
INSERT INTO @l (Id, Name, Qty) VALUES (9, N'nine', 5);
UPDATE dbo.hcmt_Accounts SET Balance = 0 WHERE Id = 1;
ROLLBACK;
SELECT l.Id, t.Name, l.Qty FROM @l AS l LEFT JOIN @t AS t ON t.Id = l.Id ORDER BY l.Id;
SELECT Balance FROM dbo.hcmt_Accounts WHERE Id = 1;`);
    assert.deepEqual(recordsets(result)[0], [{ Id: 1, Name: 'one', Qty: 1 }, { Id: 2, Name: 'TWO', Qty: 1 }, { Id: 9, Name: null, Qty: 5 }]);
    assert.deepEqual(recordsets(result)[1], [{ Balance: 100 }]);
    const output = await context.pool.request().batch(`DECLARE @changed TABLE (Id int, Old decimal(12, 2), New decimal(12, 2));
UPDATE dbo.hcmt_Accounts SET Balance = Balance + 1 OUTPUT inserted.Id, deleted.Balance, inserted.Balance INTO @changed (Id, Old, New) WHERE Id = 2;
UPDATE dbo.hcmt_Accounts SET Balance = Balance - 1 WHERE Id = 2;
SELECT Id, Old, New FROM @changed;`);
    assert.deepEqual(output.recordset, [{ Id: 2, Old: 50, New: 51 }]);
    const fromExec = await context.pool.request().batch(`DECLARE @report TABLE (Id int, Email nvarchar(100));
INSERT INTO @report (Id, Email) EXEC sp_executesql N'SELECT Id, Email FROM dbo.hcmt_Parents WHERE Id = @id', N'@id int', @id = 1;
INSERT INTO @report EXEC ('SELECT 7, N''seven''');
SELECT Id, Email FROM @report ORDER BY Id;`);
    assert.deepEqual(fromExec.recordset, [{ Id: 1, Email: 'ann@example.com' }, { Id: 7, Email: 'seven' }]);
    // Every result set goes in, so one whose shape differs from the target's fails the INSERT (213).
    assert.equal(await errorNumber(context, 'DECLARE @r TABLE (Id int, Email nvarchar(100)); DECLARE @n int; INSERT INTO @r EXEC dbo.hcmt_ParentReport 1, @n OUTPUT;'), 213);
    assert.equal(await errorNumber(context, 'DECLARE @t TABLE (Id int PRIMARY KEY); INSERT INTO @t VALUES (1), (1);'), 2627);
    assert.equal(await errorNumber(context, 'DECLARE @l dbo.hcmt_Lines; INSERT INTO @l (Id, Qty) VALUES (1, 0);'), 547);
    // A table variable lives for its batch: the next one must declare it again.
    assert.equal(await errorNumber(context, 'SELECT * FROM @t'), 1087);
  });

  it('passes TVPs on the wire to a procedure and to sp_executesql, and an empty table when left out', async () => {
    await context.pool.request().batch(PROCEDURE);
    const called = await context.pool.request().input('lines', lines([[1, 'a', 2], [2, null, 3], [3, 'c', 5]])).input('factor', sql.Int, 10).execute('dbo.hcmt_LineTotals');
    assert.deepEqual(called.recordset, [{ N: 3, Total: 100, Last: 'c' }]);
    const empty = await context.pool.request().execute('dbo.hcmt_LineTotals');
    assert.deepEqual(empty.recordset, [{ N: 0, Total: null, Last: null }]);
    const queried = await context.pool.request().input('rows', lines([[7, 'x', 1], [5, 'y', 4]])).query('SELECT Id, Name FROM @rows WHERE Qty > 0 ORDER BY Id');
    assert.deepEqual(queried.recordset, [{ Id: 5, Name: 'y' }, { Id: 7, Name: 'x' }]);
    const fromVariable = await context.pool.request().batch("DECLARE @l dbo.hcmt_Lines; INSERT INTO @l VALUES (1, N'z', 4); EXEC dbo.hcmt_LineTotals @l, 2;");
    assert.deepEqual(fromVariable.recordset, [{ N: 1, Total: 8, Last: 'z' }]);
    await assert.rejects(context.pool.request().input('lines', lines([[1, 'a', 1], [1, 'b', 1]])).execute('dbo.hcmt_LineTotals'), (error: sql.RequestError) => error.number === 2627);
    // A table variable of another (even an identical) type does not fit (206); nor do fewer columns (500).
    assert.equal(await errorNumber(context, 'DECLARE @x TABLE (Id int NOT NULL PRIMARY KEY, Name nvarchar(20) NULL, Qty int NOT NULL); EXEC dbo.hcmt_LineTotals @x;'), 206);
    const narrow = new sql.Table('dbo.hcmt_Lines');
    narrow.columns.add('Id', sql.Int, { nullable: false });
    narrow.rows.add(1);
    await assert.rejects(context.pool.request().input('lines', narrow).execute('dbo.hcmt_LineTotals'), (error: sql.RequestError) => {
      assert.equal(error.message, 'Trying to pass a table-valued parameter with 1 column(s) where the corresponding user-defined table type requires 3 column(s).');
      return error.number === 500;
    });
  });

  it('requires READONLY of table-valued parameters (352) and refuses changing one (10700)', async () => {
    assert.equal(await errorNumber(context, 'CREATE PROCEDURE dbo.hcmt_NotReadonly @l dbo.hcmt_Lines AS SELECT 1;'), 352);
    assert.equal(await errorNumber(context, 'CREATE PROCEDURE dbo.hcmt_NotTable @i int READONLY AS SELECT 1;'), 346);
    await context.pool.request().batch("IF OBJECT_ID('dbo.hcmt_ChangeLines', 'P') IS NOT NULL DROP PROCEDURE dbo.hcmt_ChangeLines;");
    assert.equal(await errorNumber(context, 'CREATE PROCEDURE dbo.hcmt_ChangeLines @l dbo.hcmt_Lines READONLY AS IF 1 = 1 BEGIN DELETE FROM @l; END'), 10700);
    await context.pool.request().batch("CREATE PROCEDURE dbo.hcmt_ChangeLines @l dbo.hcmt_Lines READONLY AS EXEC ('DECLARE @l dbo.hcmt_Lines; INSERT INTO @l (Id) VALUES (1);'); SELECT COUNT(*) AS N FROM @l;");
    assert.deepEqual((await context.pool.request().query('EXEC dbo.hcmt_ChangeLines')).recordset, [{ N: 0 }]);
    assert.equal(await errorNumber(context, 'DROP TYPE dbo.hcmt_Lines'), 3732);
    await context.pool.request().batch('DROP PROCEDURE dbo.hcmt_ChangeLines; DROP PROCEDURE dbo.hcmt_LineTotals; DROP TYPE dbo.hcmt_Lines;');
  });

  it('fires AFTER triggers with inserted, deleted, UPDATE() and @@ROWCOUNT, inside the statement that fired them', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Stock', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Stock;
IF OBJECT_ID('dbo.hcmt_StockLog', 'U') IS NOT NULL DROP TABLE dbo.hcmt_StockLog;
CREATE TABLE dbo.hcmt_Stock (Id int NOT NULL PRIMARY KEY, Qty int NOT NULL, Note nvarchar(20) NULL);
CREATE TABLE dbo.hcmt_StockLog (Action varchar(10) NOT NULL, Id int NOT NULL, OldQty int NULL, NewQty int NULL, Rows int NOT NULL, QtySet bit NOT NULL);`);
    await context.pool.request().batch(`CREATE TRIGGER dbo.hcmt_StockAudit ON dbo.hcmt_Stock AFTER INSERT, UPDATE, DELETE AS
BEGIN
  DECLARE @rows int = @@ROWCOUNT;
  DECLARE @qtySet bit = CASE WHEN UPDATE(Qty) THEN 1 ELSE 0 END;
  IF EXISTS (SELECT * FROM inserted WHERE Qty > 1000) THROW 50001, 'Too much stock.', 1;
  INSERT INTO dbo.hcmt_StockLog (Action, Id, OldQty, NewQty, Rows, QtySet)
  SELECT CASE WHEN d.Id IS NULL THEN 'insert' WHEN i.Id IS NULL THEN 'delete' ELSE 'update' END, COALESCE(i.Id, d.Id), d.Qty, i.Qty, @rows, @qtySet
  FROM inserted AS i FULL JOIN deleted AS d ON d.Id = i.Id;
END`);
    await context.pool.request().batch(`INSERT INTO dbo.hcmt_Stock (Id, Qty) VALUES (1, 10), (2, 20);
UPDATE dbo.hcmt_Stock SET Note = N'checked' WHERE Id = 1;
UPDATE dbo.hcmt_Stock SET Qty = Qty + 1;
DELETE FROM dbo.hcmt_Stock WHERE Id = 2;`);
    const log = await context.pool.request().query('SELECT Action, Id, OldQty, NewQty, Rows, QtySet FROM dbo.hcmt_StockLog ORDER BY Action, Id, Rows');
    assert.deepEqual(log.recordset.map((r) => `${r.Action} ${r.Id} ${r.OldQty}->${r.NewQty} rows=${r.Rows} qty=${r.QtySet}`), [
      'delete 2 21->null rows=1 qty=false',
      'insert 1 null->10 rows=2 qty=true',
      'insert 2 null->20 rows=2 qty=true',
      'update 1 10->10 rows=1 qty=false',
      'update 1 10->11 rows=2 qty=true',
      'update 2 20->21 rows=2 qty=true',
    ]);
    // An error in the trigger undoes the statement that fired it, and what the trigger did; as
    // triggers run with XACT_ABORT ON, it also rolls back the transaction and ends the batch.
    assert.equal(await errorNumber(context, 'INSERT INTO dbo.hcmt_Stock (Id, Qty) VALUES (3, 5000)'), 50001);
    const transaction = new sql.Transaction(context.pool);
    await transaction.begin();
    await new sql.Request(transaction).query('INSERT INTO dbo.hcmt_Stock (Id, Qty) VALUES (4, 1)');
    await assert.rejects(new sql.Request(transaction).batch("INSERT INTO dbo.hcmt_Stock (Id, Qty) VALUES (3, 5000); INSERT INTO dbo.hcmt_StockLog VALUES ('after', 0, 0, 0, 0, 0);"),
      (error: sql.RequestError) => error.number === 50001);
    // Had the transaction stayed open, this COMMIT would keep row 4.
    await transaction.commit().catch(() => undefined);
    assert.deepEqual((await context.pool.request().query("SELECT (SELECT COUNT(*) FROM dbo.hcmt_Stock WHERE Id = 4) AS Kept, (SELECT COUNT(*) FROM dbo.hcmt_StockLog WHERE Action = 'after') AS After")).recordset, [{ Kept: 0, After: 0 }]);
    const after = await context.pool.request().query("SELECT (SELECT COUNT(*) FROM dbo.hcmt_Stock WHERE Id = 3) AS Inserted, (SELECT COUNT(*) FROM dbo.hcmt_StockLog) AS Logged, OBJECT_ID('dbo.hcmt_StockAudit', 'TR') - (SELECT object_id FROM sys.triggers WHERE name = 'hcmt_StockAudit') AS Same");
    assert.deepEqual(after.recordset, [{ Inserted: 0, Logged: 6, Same: 0 }]);
    // MERGE fires the triggers of each of its actions, each with that action's rows.
    await context.pool.request().batch(`MERGE dbo.hcmt_Stock AS t USING (VALUES (1, 12), (5, 50)) AS s (Id, Qty) ON t.Id = s.Id
WHEN MATCHED THEN UPDATE SET Qty = s.Qty WHEN NOT MATCHED THEN INSERT (Id, Qty) VALUES (s.Id, s.Qty);`);
    const merged = await context.pool.request().query("SELECT Action, Id, OldQty, NewQty, Rows FROM dbo.hcmt_StockLog WHERE Id IN (1, 5) AND COALESCE(NewQty, 0) IN (12, 50) ORDER BY Id");
    assert.deepEqual(merged.recordset, [{ Action: 'update', Id: 1, OldQty: 11, NewQty: 12, Rows: 1 }, { Action: 'insert', Id: 5, OldQty: null, NewQty: 50, Rows: 1 }]);
    await context.pool.request().batch('DROP TRIGGER dbo.hcmt_StockAudit;');
    assert.equal(await errorNumber(context, 'DROP TRIGGER dbo.hcmt_StockAudit'), 3701);
  });

  it("makes a statement wait for the locks its triggers' writes need, as for its own", async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Audited', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Audited;
IF OBJECT_ID('dbo.hcmt_Audit', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Audit;
CREATE TABLE dbo.hcmt_Audited (Id int NOT NULL); CREATE TABLE dbo.hcmt_Audit (Id int NOT NULL);`);
    await context.pool.request().batch('CREATE TRIGGER dbo.hcmt_AuditInsert ON dbo.hcmt_Audited AFTER INSERT AS INSERT INTO dbo.hcmt_Audit (Id) SELECT Id FROM inserted;');
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    await new sql.Request(holder).query('INSERT INTO dbo.hcmt_Audit (Id) VALUES (0)');
    const waiting = context.pool.request().query('INSERT INTO dbo.hcmt_Audited (Id) VALUES (1)');
    const standIn = context.target.standIn;
    if (standIn) await waitFor(() => standIn.diagnostics().lockWaiters > 0, 'the insert waits for the audit table the trigger writes');
    await holder.rollback();
    await waiting;
    assert.deepEqual((await context.pool.request().query('SELECT Id FROM dbo.hcmt_Audit')).recordset, [{ Id: 1 }]);
    await context.pool.request().batch('DROP TABLE dbo.hcmt_Audited; DROP TABLE dbo.hcmt_Audit;');
  });

  it('undoes the statement and its transaction when a trigger runs ROLLBACK, and ends the batch with 3609', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Guarded', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Guarded;
CREATE TABLE dbo.hcmt_Guarded (Id int NOT NULL);`);
    await context.pool.request().batch(`CREATE TRIGGER dbo.hcmt_Guard ON dbo.hcmt_Guarded AFTER INSERT AS
IF EXISTS (SELECT * FROM inserted WHERE Id < 0) ROLLBACK TRANSACTION;
ELSE IF @@TRANCOUNT <> 1 THROW 50002, 'A trigger runs inside its statement''s transaction.', 1;`);
    await context.pool.request().query('INSERT INTO dbo.hcmt_Guarded (Id) VALUES (1)');
    const transaction = new sql.Transaction(context.pool);
    await transaction.begin();
    await new sql.Request(transaction).query('INSERT INTO dbo.hcmt_Guarded (Id) VALUES (2)');
    await assert.rejects(new sql.Request(transaction).batch('INSERT INTO dbo.hcmt_Guarded (Id) VALUES (-3); INSERT INTO dbo.hcmt_Guarded (Id) VALUES (4);'),
      (error: sql.RequestError) => error.number === 3609);
    await transaction.commit().catch(() => undefined);
    assert.deepEqual((await context.pool.request().query('SELECT Id FROM dbo.hcmt_Guarded ORDER BY Id')).recordset, [{ Id: 1 }]);
    await context.pool.request().batch('DROP TABLE dbo.hcmt_Guarded;');
  });

  it('runs INSTEAD OF triggers in the statement\'s place, with the rows it would change and no constraint checked', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Kids', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Kids;
IF OBJECT_ID('dbo.hcmt_Folks', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Folks;
CREATE TABLE dbo.hcmt_Folks (Id int NOT NULL PRIMARY KEY, Name nvarchar(20) NOT NULL DEFAULT N'anon');
CREATE TABLE dbo.hcmt_Kids (Id int IDENTITY(1,1) PRIMARY KEY, FolkId int NOT NULL REFERENCES dbo.hcmt_Folks (Id));
INSERT INTO dbo.hcmt_Folks (Id) VALUES (1), (2);
INSERT INTO dbo.hcmt_Kids (FolkId) VALUES (1), (1), (2);`);
    // The classic use: delete the referencing rows first, then the rows themselves (the table's own DELETE runs directly).
    await context.pool.request().batch(`CREATE TRIGGER dbo.hcmt_FolksDelete ON dbo.hcmt_Folks INSTEAD OF DELETE AS
BEGIN
  DELETE FROM dbo.hcmt_Kids WHERE FolkId IN (SELECT Id FROM deleted);
  DELETE FROM dbo.hcmt_Folks WHERE Id IN (SELECT Id FROM deleted);
END`);
    // Upsert: the rows an INSERT would add arrive with their defaults, duplicates included (nothing is checked before the trigger).
    await context.pool.request().batch(`CREATE TRIGGER dbo.hcmt_FolksInsert ON dbo.hcmt_Folks INSTEAD OF INSERT AS
BEGIN
  UPDATE f SET Name = i.Name FROM dbo.hcmt_Folks AS f JOIN inserted AS i ON i.Id = f.Id;
  INSERT INTO dbo.hcmt_Folks (Id, Name) SELECT DISTINCT i.Id, i.Name FROM inserted AS i WHERE NOT EXISTS (SELECT * FROM dbo.hcmt_Folks AS f WHERE f.Id = i.Id);
END`);
    const deleted = await context.pool.request().query('DELETE FROM dbo.hcmt_Folks WHERE Id = 1');
    assert.deepEqual(deleted.rowsAffected.at(-1), 1);
    await context.pool.request().query("INSERT INTO dbo.hcmt_Folks (Id, Name) VALUES (2, N'two'), (3, N'three')");
    await context.pool.request().query('INSERT INTO dbo.hcmt_Folks (Id) VALUES (4), (4)');
    await context.pool.request().batch(`CREATE TRIGGER dbo.hcmt_FolksUpdate ON dbo.hcmt_Folks INSTEAD OF UPDATE AS
UPDATE f SET Name = UPPER(i.Name) FROM dbo.hcmt_Folks AS f JOIN deleted AS d ON d.Id = f.Id JOIN inserted AS i ON i.Id = d.Id;`);
    await context.pool.request().query("UPDATE dbo.hcmt_Folks SET Name = N'x' + Name WHERE Id = 3");
    const result = await context.pool.request().query('SELECT Id, Name FROM dbo.hcmt_Folks ORDER BY Id; SELECT COUNT(*) AS Kids FROM dbo.hcmt_Kids;');
    assert.deepEqual(recordsets(result)[0], [{ Id: 2, Name: 'two' }, { Id: 3, Name: 'XTHREE' }, { Id: 4, Name: 'anon' }]);
    assert.deepEqual(recordsets(result)[1], [{ Kids: 1 }]);
    assert.equal(await errorNumber(context, 'CREATE TRIGGER dbo.hcmt_FolksInsert2 ON dbo.hcmt_Folks INSTEAD OF INSERT AS RETURN;'), 2111);
    await context.pool.request().batch('DROP TABLE dbo.hcmt_Kids; DROP TABLE dbo.hcmt_Folks;');
  });

  it('fires a bulk load\'s INSERT triggers only with FIRE_TRIGGERS, never a disabled trigger, and never a trigger from itself directly', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Doubled', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Doubled;
CREATE TABLE dbo.hcmt_Doubled (Id int NULL);`);
    await context.pool.request().batch('CREATE TRIGGER dbo.hcmt_Double ON dbo.hcmt_Doubled AFTER INSERT AS INSERT INTO dbo.hcmt_Doubled SELECT Id FROM inserted;');
    const load = async (fireTriggers: boolean) => {
      const table = new sql.Table('dbo.hcmt_Doubled');
      table.columns.add('Id', sql.Int, { nullable: true });
      table.rows.add(fireTriggers ? 2 : 1);
      await context.pool.request().bulk(table, { fireTriggers } as sql.IBulkOptions);
    };
    await load(false);
    await context.pool.request().batch('DISABLE TRIGGER dbo.hcmt_Double ON dbo.hcmt_Doubled;');
    assert.equal((await context.pool.request().query("SELECT is_disabled FROM sys.triggers WHERE name = 'hcmt_Double'")).recordset[0].is_disabled, true);
    await context.pool.request().query('INSERT INTO dbo.hcmt_Doubled (Id) VALUES (4)');
    await context.pool.request().batch('ALTER TABLE dbo.hcmt_Doubled ENABLE TRIGGER ALL;');
    await load(true);
    await context.pool.request().query('INSERT INTO dbo.hcmt_Doubled (Id) VALUES (3)');
    const rows = await context.pool.request().query('SELECT Id, COUNT(*) AS N FROM dbo.hcmt_Doubled GROUP BY Id ORDER BY Id');
    assert.deepEqual(rows.recordset, [{ Id: 1, N: 1 }, { Id: 2, N: 2 }, { Id: 3, N: 2 }, { Id: 4, N: 1 }]);
    await context.pool.request().batch('DROP TABLE dbo.hcmt_Doubled;');
    assert.equal((await context.pool.request().query("SELECT COUNT(*) AS N FROM sys.triggers WHERE name = 'hcmt_Double'")).recordset[0].N, 0);
  });
}
