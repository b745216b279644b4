/**
 * T-SQL semantics a session sees, as on SQL Server: the date strings CAST/CONVERT accept and the
 * ones they refuse (241/242), under DATEFORMAT and LANGUAGE; INSERT … DEFAULT VALUES; SET options
 * that take effect (@@OPTIONS, DATEFIRST, ANSI_NULL_DFLT_ON/OFF, sys.dm_exec_sessions); #temporary
 * procedures scoped to their session; #temp tables that enforce lengths and CHECK constraints.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import { recordsets, SuiteContext } from './context';
import { waitFor } from '../target';

/** A pool of one connection: one session, whose SET options and #objects stay put between requests. */
async function session(context: SuiteContext): Promise<sql.ConnectionPool> {
  const pool = new sql.ConnectionPool({ ...structuredClone(context.target.config), pool: { max: 1, min: 0 } });
  pool.on('error', () => undefined);
  return pool.connect();
}

async function one(pool: sql.ConnectionPool, text: string): Promise<Record<string, unknown>> {
  return (await pool.request().query(text)).recordset[0];
}

const utc = (text: string) => new Date(`${text}Z`);

export function sessionSemanticsSuite(context: SuiteContext): void {
  it('converts the date strings SQL Server converts: one-digit parts, unseparated, ISO 8601, alphabetic, AM/PM', async () => {
    const row = await one(context.pool, `SELECT CAST('2011-12-4 10:04:23' AS datetime) AS A, CAST('2024-1-5' AS date) AS B,
  CAST('20240105' AS datetime) AS C, CAST('2024-01-05T10:04:23.123' AS datetime2) AS D, CAST('Jan 5 2024 10:04PM' AS datetime) AS E,
  CAST('5 April, 96' AS date) AS F, CAST('4/15/96 4pm' AS smalldatetime) AS G, CAST('2024-01-05T10:00:00Z' AS datetime) AS H,
  CAST('12/31/2024 23:59:59:997' AS datetime) AS I, CONVERT(varchar(30), CAST('2024-01-01 10:00:00.1234567' AS datetime2), 121) AS J`);
    assert.deepEqual(row, {
      A: utc('2011-12-04T10:04:23'), B: utc('2024-01-05T00:00:00'), C: utc('2024-01-05T00:00:00'), D: utc('2024-01-05T10:04:23.123'),
      E: utc('2024-01-05T22:04:00'), F: utc('1996-04-05T00:00:00'), G: utc('1996-04-15T16:00:00'), H: utc('2024-01-05T10:00:00'),
      I: utc('2024-12-31T23:59:59.997'), J: '2024-01-01 10:00:00.1234567',
    });
  });

  it('refuses what SQL Server refuses: 241 for more than 3 fraction digits in datetime or a bad day in date, 242 out of datetime range', async () => {
    const fails = async (text: string, number: number) => assert.rejects(context.pool.request().query(text), (error: sql.RequestError) => {
      assert.equal(error.number, number, `${text}: ${error.message}`);
      return true;
    });
    await fails("SELECT CAST('2024-01-01 10:00:00.1234567' AS datetime)", 241);
    await fails("SELECT CAST('2024-01-01 10:00:00.1234' AS smalldatetime)", 241);
    await fails("SELECT CAST('2024-02-30' AS date)", 241);
    await fails("SELECT CAST('2024-01-01 10:00 +02:00' AS datetime)", 241);
    await fails("SELECT CAST('not a date' AS datetime2)", 241);
    await fails("SELECT CAST('2024-02-30' AS datetime)", 242);
    await fails("SELECT CAST('1700-01-01' AS datetime)", 242);
  });

  it('reads numeric dates in the session DATEFORMAT and month names in its LANGUAGE', async () => {
    const pool = await session(context);
    try {
      const dmy = await pool.request().query(`SET DATEFORMAT dmy;
SELECT CAST('05/01/2024' AS date) AS A, CAST('2024-05-01' AS datetime) AS B, CAST('2024-05-01' AS date) AS C;`);
      // datetime reads 'yyyy-xx-xx' in DATEFORMAT's day/month order; date reads it as ISO.
      assert.deepEqual(dmy.recordset[0], { A: utc('2024-01-05T00:00:00'), B: utc('2024-01-05T00:00:00'), C: utc('2024-05-01T00:00:00') });
      // A batch, not sp_executesql (mssql's query()): SET options set inside a procedure revert when it returns.
      await pool.request().batch('SET LANGUAGE Deutsch');
      const german = await pool.request().query(`SELECT @@LANGUAGE AS Lang, @@DATEFIRST AS First, CAST('5 März 2024' AS date) AS A, CAST('05.03.2024' AS date) AS B,
  DATENAME(month, CAST('2024-03-05' AS date)) AS M, DATEPART(weekday, CAST('2024-03-04' AS date)) AS W;`);
      assert.deepEqual(german.recordset[0], { Lang: 'Deutsch', First: 1, A: utc('2024-03-05T00:00:00'), B: utc('2024-03-05T00:00:00'), M: 'März', W: 1 });
      await assert.rejects(pool.request().query("SELECT CAST('5 March 2024' AS date)"), (error: sql.RequestError) => error.number === 241);
      const sessionRow = await one(pool, 'SELECT language, date_format, date_first FROM sys.dm_exec_sessions WHERE session_id = @@SPID');
      assert.deepEqual(sessionRow, { language: 'Deutsch', date_format: 'dmy', date_first: 1 });
    } finally {
      await pool.close();
    }
  });

  it('inserts DEFAULT VALUES (identity, defaults, NULL) and answers 515 when a NOT NULL column has no default', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Defaults', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Defaults;
IF OBJECT_ID('dbo.hcmt_NoDefault', 'U') IS NOT NULL DROP TABLE dbo.hcmt_NoDefault;
CREATE TABLE dbo.hcmt_Defaults (Id int IDENTITY(10,1) PRIMARY KEY, Qty int NOT NULL DEFAULT 5, Note nvarchar(10) NULL);
CREATE TABLE dbo.hcmt_NoDefault (Id int IDENTITY PRIMARY KEY, Qty int NOT NULL);`);
    const inserted = await context.pool.request().query('INSERT INTO dbo.hcmt_Defaults OUTPUT INSERTED.Id, INSERTED.Qty, INSERTED.Note DEFAULT VALUES; SELECT SCOPE_IDENTITY() AS Id;');
    assert.deepEqual(recordsets(inserted)[0], [{ Id: 10, Qty: 5, Note: null }]);
    assert.equal(Number(recordsets(inserted)[1][0].Id), 10);
    await assert.rejects(context.pool.request().query('INSERT INTO dbo.hcmt_NoDefault DEFAULT VALUES'), (error: sql.RequestError) => {
      assert.equal(error.number, 515);
      assert.match(error.message, /Cannot insert the value NULL into column 'Qty'/);
      return true;
    });
    await context.pool.request().batch('DROP TABLE dbo.hcmt_Defaults; DROP TABLE dbo.hcmt_NoDefault;');
  });

  it('computes @@OPTIONS from the session (tedious logs in and sets 5496) and applies ANSI_NULL_DFLT_ON/OFF and DATEFIRST', async () => {
    const pool = await session(context);
    try {
      assert.deepEqual(await one(pool, 'SELECT @@OPTIONS AS Options, @@DATEFIRST AS First, DATEPART(weekday, CAST(\'2024-01-01\' AS date)) AS W'), { Options: 5496, First: 7, W: 2 });
      const changed = await one(pool, 'SET ANSI_NULLS OFF; SET NOCOUNT ON; SET DATEFIRST 1; SELECT @@OPTIONS & 32 AS AnsiNulls, @@OPTIONS & 512 AS NoCount, DATEPART(weekday, CAST(\'2024-01-01\' AS date)) AS W');
      assert.deepEqual(changed, { AnsiNulls: 0, NoCount: 512, W: 1 });
      await pool.request().batch('SET ANSI_NULLS ON; SET NOCOUNT OFF; SET ANSI_NULL_DFLT_OFF ON; CREATE TABLE #hcmt_strict (Id int); SET ANSI_NULL_DFLT_ON ON; CREATE TABLE #hcmt_loose (Id int);');
      await pool.request().batch('INSERT INTO #hcmt_loose VALUES (NULL)');
      await assert.rejects(pool.request().batch('INSERT INTO #hcmt_strict VALUES (NULL)'), (error: sql.RequestError) => error.number === 515);
    } finally {
      await pool.close();
    }
  });

  it('keeps a #temporary procedure to its session and a ##global one until its creator ends', async () => {
    const first = await session(context);
    const second = await session(context);
    try {
      await first.request().batch('CREATE PROCEDURE #hcmt_local @n int AS SELECT @n * 2 AS Twice');
      await first.request().batch('CREATE PROCEDURE ##hcmt_global AS SELECT 42 AS Answer');
      assert.deepEqual((await first.request().input('n', sql.Int, 21).execute('#hcmt_local')).recordset, [{ Twice: 42 }]);
      await assert.rejects(second.request().batch('EXEC #hcmt_local 1'), (error: sql.RequestError) => error.number === 2812);
      assert.deepEqual((await second.request().query('EXEC ##hcmt_global')).recordset, [{ Answer: 42 }]);
      // A second session may create its own #procedure of the same name (SQL Server: no 2714).
      await second.request().batch('CREATE PROCEDURE #hcmt_local AS SELECT 1 AS One');
      await assert.rejects(first.request().batch('CREATE PROCEDURE #hcmt_local AS SELECT 1 AS One'), (error: sql.RequestError) => error.number === 2714);
      await first.close();
      await waitFor(async () => {
        try {
          await second.request().batch('EXEC ##hcmt_global');
          return false;
        } catch (error) {
          return (error as sql.RequestError).number === 2812;
        }
      }, 'the ##global procedure is gone with the session that made it');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('follows 1911 (a key on a missing column) with 1750, two messages as SQL Server sends', async () => {
    await assert.rejects(context.pool.request().batch('CREATE TABLE #hcmt_badkey (Id int, PRIMARY KEY (Code))'), (error: sql.RequestError & { precedingErrors?: sql.RequestError[] }) => {
      assert.equal(error.number, 1750);
      assert.equal(error.message, 'Could not create constraint or index. See previous errors.');
      assert.deepEqual(error.precedingErrors?.map((e) => e.number), [1911]);
      return true;
    });
  });

  it('enforces varchar(n) and CHECK constraints on #temporary tables', async () => {
    const pool = await session(context);
    try {
      await pool.request().batch('CREATE TABLE #hcmt_checked (Id int, Code varchar(3), Qty int CONSTRAINT CK_hcmt_checked_Qty CHECK (Qty > 0))');
      await assert.rejects(pool.request().batch("INSERT INTO #hcmt_checked VALUES (1, 'ABCD', 1)"), (error: sql.RequestError) => [2628, 8152].includes(error.number ?? 0));
      await assert.rejects(pool.request().batch("INSERT INTO #hcmt_checked VALUES (2, 'ABC', 0)"), (error: sql.RequestError) => {
        assert.equal(error.number, 547);
        assert.match(error.message, /CHECK constraint "CK_hcmt_checked_Qty"/);
        return true;
      });
      assert.deepEqual(await one(pool, 'SELECT COUNT(*) AS Rows FROM #hcmt_checked'), { Rows: 0 });
    } finally {
      await pool.close();
    }
  });

  it("does not block a session's #temp work or SAVE TRANSACTION behind another session's open transaction", async () => {
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    const other = await session(context);
    try {
      await new sql.Request(holder).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance + 1 WHERE Id = 1');
      // LOCK_TIMEOUT 0: a wait for the holder's lock would fail at once with 1222 instead of hanging.
      const result = await other.request().query(`SET LOCK_TIMEOUT 0;
CREATE TABLE #hcmt_work (Id int PRIMARY KEY, Qty int);
INSERT INTO #hcmt_work VALUES (1, 1), (2, 2);
UPDATE #hcmt_work SET Qty = Qty * 10;
BEGIN TRANSACTION;
SAVE TRANSACTION before_delete;
DELETE FROM #hcmt_work WHERE Id = 1;
ROLLBACK TRANSACTION before_delete;
INSERT INTO #hcmt_work VALUES (3, 30);
COMMIT TRANSACTION;
SELECT Id, Qty INTO #hcmt_copy FROM #hcmt_work;
SELECT SUM(Qty) AS Total, COUNT(*) AS Rows FROM #hcmt_copy;
DROP TABLE #hcmt_copy; DROP TABLE #hcmt_work;`);
      assert.deepEqual(result.recordset, [{ Total: 60, Rows: 3 }]);
    } finally {
      await holder.rollback();
      await other.close();
    }
  });

  it('ends a wait for a lock at once when the client gives up (request timeout, ATTENTION)', async () => {
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    try {
      await new sql.Request(holder).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance + 1 WHERE Id = 2');
      const impatient = new sql.ConnectionPool({ ...structuredClone(context.target.config), requestTimeout: 300, pool: { max: 1, min: 0 } });
      impatient.on('error', () => undefined);
      await impatient.connect();
      try {
        await assert.rejects(impatient.request().query('UPDATE dbo.hcmt_Accounts SET Balance = 0 WHERE Id = 2'), (error: sql.RequestError) => error.code === 'ETIMEOUT');
        assert.deepEqual(await one(impatient, 'SELECT 1 AS Alive'), { Alive: 1 });
      } finally {
        await impatient.close();
      }
    } finally {
      await holder.rollback();
    }
    assert.deepEqual(await one(context.pool, 'SELECT Balance FROM dbo.hcmt_Accounts WHERE Id = 2'), { Balance: 50 });
  });

  it('rounds datetime to 1/300 s as SQL Server documents (.994 → .993, .995 → .997, .999 → next second)', async () => {
    const row = await one(context.pool, `SELECT CAST('1998-1-1 23:59:59.994' AS datetime) AS A, CAST('1998-1-1 23:59:59.995' AS datetime) AS B,
  CAST('1998-1-1 23:59:59.999' AS datetime) AS C`);
    assert.deepEqual(row, { A: utc('1998-01-01T23:59:59.993'), B: utc('1998-01-01T23:59:59.997'), C: utc('1998-01-02T00:00:00') });
  });

  it('opens a transaction by itself under SET IMPLICIT_TRANSACTIONS ON and cuts (max) values to SET TEXTSIZE', async () => {
    const pool = await session(context);
    try {
      await pool.request().batch('SET IMPLICIT_TRANSACTIONS ON; SET TEXTSIZE 5;');
      const row = await one(pool, "SELECT @@OPTIONS & 2 AS Implicit, @@TRANCOUNT AS During, CAST(REPLICATE('x', 10) AS varchar(max)) AS Cut FROM dbo.hcmt_Accounts WHERE Id = 1");
      assert.deepEqual(row, { Implicit: 2, During: 1, Cut: 'xxxxx' });
      assert.deepEqual(await one(pool, 'SELECT @@TRANCOUNT AS Depth'), { Depth: 1 });
      await pool.request().batch('ROLLBACK; SET IMPLICIT_TRANSACTIONS OFF; SET TEXTSIZE 0;');
      assert.deepEqual(await one(pool, 'SELECT @@TRANCOUNT AS Depth, @@TEXTSIZE AS Size'), { Depth: 0, Size: 4096 });
    } finally {
      await pool.close();
    }
  });

  it('describes objects with sp_help and procedure parameters with sp_procedure_params_100_managed (DeriveParameters)', async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Describe', 'P') IS NOT NULL DROP PROCEDURE dbo.hcmt_Describe;`);
    await context.pool.request().batch('CREATE PROCEDURE dbo.hcmt_Describe @Name nvarchar(20), @Count int = 3 OUTPUT AS SELECT @Name AS Name');
    const type = await context.pool.request().batch('EXEC sp_help int');
    assert.deepEqual({ ...type.recordset[0], Collation: null }, { Type_name: 'int', Storage_type: 'int', Length: 4, Prec: 10, Scale: 0, Nullable: 'yes', Default_name: 'none', Rule_name: 'none', Collation: null });
    const table = await context.pool.request().batch("EXEC sp_help 'dbo.hcmt_Accounts'");
    assert.deepEqual(recordsets(table)[0].map((r) => [r.Name, r.Type]), [['hcmt_Accounts', 'user table']]);
    assert.deepEqual(recordsets(table)[1].map((r) => [r.Column_name, r.Type, r.Nullable]), [['Id', 'int', 'no'], ['Balance', 'decimal', 'no']]);
    const params = await context.pool.request().input('procedure_name', sql.NVarChar(255), 'hcmt_Describe').execute('sys.sp_procedure_params_100_managed');
    assert.deepEqual(params.recordset.map((r) => [r.PARAMETER_NAME, r.PARAMETER_TYPE, r.MANAGED_DATA_TYPE, r.CHARACTER_MAXIMUM_LENGTH, r.TYPE_NAME]),
      [['@RETURN_VALUE', 4, 8, null, 'int'], ['@Name', 1, 12, 20, 'nvarchar'], ['@Count', 2, 8, null, 'int']]);
    await assert.rejects(context.pool.request().batch("EXEC sp_help 'dbo.hcmt_Nothing'"), (error: sql.RequestError) => error.number === 15009);
    await context.pool.request().batch('DROP PROCEDURE dbo.hcmt_Describe');
  });

  it('lets a transaction that worked on #temp tables go on to write a table another session just changed', async () => {
    const holder = new sql.Transaction(context.pool);
    await holder.begin();
    const worker = await session(context);
    try {
      await new sql.Request(holder).query('UPDATE dbo.hcmt_Accounts SET Balance = Balance + 1 WHERE Id = 1');
      await worker.request().batch('BEGIN TRANSACTION; CREATE TABLE #hcmt_staged (Id int); INSERT INTO #hcmt_staged VALUES (2); SELECT COUNT(*) AS Rows FROM dbo.hcmt_Accounts;');
      const write = worker.request().batch('UPDATE dbo.hcmt_Accounts SET Balance = Balance + 10 WHERE Id IN (SELECT Id FROM #hcmt_staged)');
      const standIn = context.target.standIn;
      if (standIn) await waitFor(() => standIn.diagnostics().lockWaiters > 0, 'the worker waits for the holder');
      await holder.commit();
      await write;
      const after = await worker.request().batch('COMMIT; SELECT Id, Balance FROM dbo.hcmt_Accounts ORDER BY Id; DROP TABLE #hcmt_staged;');
      assert.deepEqual(after.recordset, [{ Id: 1, Balance: 101 }, { Id: 2, Balance: 60 }]);
    } finally {
      await worker.close();
      await context.pool.request().batch('UPDATE dbo.hcmt_Accounts SET Balance = 100 WHERE Id = 1; UPDATE dbo.hcmt_Accounts SET Balance = 50 WHERE Id = 2;');
    }
  });
}
