/**
 * What bulk-copy clients ask before INSERT BULK (SqlBulkCopy's first batch, freebcp's): names
 * written with leading dots, HAS_PERMS_BY_NAME, sys.all_columns, a column list built with
 * SELECT @v = @v + … row by row, SET FMTONLY ON (columns without rows) and sp_tablecollations_100
 * (colid, name, tds_collation_100, collation_100). The real clients run in sqlclient.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { configFromConnectionString, openPool } from './target';

let standIn: SqlServerStandIn;
let pool: sql.ConnectionPool;

before(async () => {
  standIn = new SqlServerStandIn({ port: 0, logger: silentLogger() });
  await standIn.start();
  pool = await openPool(configFromConnectionString(standIn.connectionString()));
  await pool.request().batch('CREATE TABLE dbo.hcmt_BulkTarget (Id int NOT NULL PRIMARY KEY, Name varchar(20) NULL, Amount decimal(10,2) NOT NULL)');
});
after(async () => {
  await pool.close();
  await standIn.close();
});

describe('SQL Server stand-in: bulk-copy metadata queries', () => {
  it('reads names with leading dots and answers HAS_PERMS_BY_NAME', async () => {
    const result = await pool.request().query(`SELECT HAS_PERMS_BY_NAME('.[sys].[all_columns]', 'OBJECT', 'SELECT') AS perms,
      (SELECT COUNT(*) FROM .[sys].[all_columns] WHERE [object_id] = OBJECT_ID('.[dbo].[hcmt_BulkTarget]')) AS columns`);
    assert.deepEqual(result.recordset, [{ perms: 1, columns: 3 }]);
  });

  it('builds a column list row by row with SELECT @v = COALESCE(@v + …, …) + …', async () => {
    const result = await pool.request().query(`DECLARE @names nvarchar(max) = NULL;
      SELECT @names = COALESCE(@names + ', ', '') + QUOTENAME([name]) FROM .[sys].[all_columns]
      WHERE [object_id] = OBJECT_ID('[dbo].[hcmt_BulkTarget]') ORDER BY [column_id] ASC;
      SELECT @names AS names`);
    assert.equal(result.recordset[0].names, '[Id], [Name], [Amount]');
  });

  it('describes columns without rows under SET FMTONLY ON, and returns rows again after OFF', async () => {
    await pool.request().query('INSERT INTO dbo.hcmt_BulkTarget (Id, Amount) VALUES (1, 2.5)');
    const described = await pool.request().query("SET FMTONLY ON; EXEC(N'SELECT [Id], [Name], [Amount] FROM [dbo].[hcmt_BulkTarget]'); SET FMTONLY OFF;");
    assert.equal(described.recordset.length, 0);
    assert.deepEqual(Object.keys(described.recordset.columns), ['Id', 'Name', 'Amount']);
    assert.equal(described.recordset.columns.Id.nullable, false);
    const rows = await pool.request().query('SELECT Id FROM dbo.hcmt_BulkTarget');
    assert.deepEqual(rows.recordset, [{ Id: 1 }]);
  });

  it('lists the collations of character columns with sp_tablecollations_100', async () => {
    const result = await pool.request().query("EXEC ..sp_tablecollations_100 N'.[dbo].[hcmt_BulkTarget]'");
    assert.deepEqual(Object.keys(result.recordset.columns), ['colid', 'name', 'tds_collation_100', 'collation_100']);
    assert.deepEqual(result.recordset.map((r) => [r.colid, r.name, r.collation_100]), [[1, 'Id', null], [2, 'Name', 'SQL_Latin1_General_CP1_CI_AS'], [3, 'Amount', null]]);
    assert.deepEqual([...result.recordset[1].tds_collation_100], [0x09, 0x04, 0xd0, 0x00, 0x34]);
  });
});

describe('SQL Server stand-in: bulk loads that do not fit the table', () => {
  it('ends INSERT BULK naming a column the table lacks with DONE_ERROR and no message, as SQL Server', async () => {
    const table = new sql.Table('dbo.hcmt_BulkTarget');
    table.columns.add('NoSuchColumn', sql.Int, { nullable: false });
    table.rows.add(1);
    await assert.rejects(pool.request().bulk(table), (error: Error) => /schema of the BulkLoad does not match/.test(error.message));
    assert.equal((await pool.request().query('SELECT 1 AS alive')).recordset[0].alive, 1);
  });
});

describe('SQL Server stand-in: bulk loads promising an order', () => {
  it('refuses rows out of the promised (int) primary-key order with 4819 and loads none; ignores an order that is not the key', async () => {
    await pool.request().batch('CREATE TABLE dbo.hcmt_Sorted (id int NOT NULL PRIMARY KEY CLUSTERED, name nvarchar(20) NOT NULL)');
    const table = () => {
      const t = new sql.Table('dbo.hcmt_Sorted');
      t.columns.add('id', sql.Int, { nullable: false });
      t.columns.add('name', sql.NVarChar(20), { nullable: false });
      for (const id of [1, 2, 6, 5]) t.rows.add(id, `n${id}`);
      return t;
    };
    await assert.rejects(pool.request().bulk(table(), { order: { id: 'ASC' } } as never), (error: sql.RequestError) => {
      assert.equal(error.number, 4819);
      assert.match(error.message, /primary key of first row: \(6\), primary key of second row: \(5\)\.$/);
      return true;
    });
    assert.equal((await pool.request().query('SELECT COUNT(*) AS n FROM dbo.hcmt_Sorted')).recordset[0].n, 0);
    const loaded = await pool.request().bulk(table(), { order: { name: 'ASC' } } as never);
    assert.equal(loaded.rowsAffected, 4);
  });
});

describe('SQL Server stand-in: table types', () => {
  it('checks CREATE TYPE … AS TABLE like CREATE TABLE (1911 then 1750), and keeps a valid one', async () => {
    await assert.rejects(pool.request().batch('CREATE TYPE hcmt_BadType AS TABLE (id int, PRIMARY KEY (code))'), (error: sql.RequestError & { precedingErrors?: sql.RequestError[] }) => {
      const numbers = [...(error.precedingErrors ?? []).map((e) => e.number), error.number];
      assert.deepEqual(numbers, [1911, 1750]);
      return true;
    });
    await pool.request().batch('CREATE TYPE hcmt_GoodType AS TABLE (id int PRIMARY KEY)');
    assert.deepEqual((await pool.request().query("SELECT name FROM sys.table_types WHERE name LIKE 'hcmt[_]%'")).recordset, [{ name: 'hcmt_GoodType' }]);
    await pool.request().batch('DROP TYPE hcmt_GoodType');
  });
});
