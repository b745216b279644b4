/**
 * sql_variant as SQL Server 2022 has it, read by tedious (through mssql) over TCP: columns and
 * variables that keep each value's base type, SQL_VARIANT_PROPERTY, comparison and ORDER BY across
 * type families (date/time > approximate > exact numeric > character > binary > uniqueidentifier),
 * CAST to and from, 206 for the types a variant cannot hold, 8117 and 257 for arithmetic and
 * implicit conversion out of one, procedure parameters, and the 7.3 date types sent as nvarchar
 * variants to a TDS 7.2 client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { configFromConnectionString } from './target';

let standIn: SqlServerStandIn;

before(async () => {
  standIn = new SqlServerStandIn({ port: 0, logger: silentLogger() });
  await standIn.start();
});
after(async () => {
  await standIn.close();
});

async function withPool<T>(tdsVersion: string, run: (pool: sql.ConnectionPool) => Promise<T>): Promise<T> {
  const config = configFromConnectionString(standIn.connectionString());
  const pool = new sql.ConnectionPool({ ...config, options: { ...config.options, tdsVersion } });
  await pool.connect();
  try {
    return await run(pool);
  } finally {
    await pool.close();
  }
}

const FILL = [
  'CREATE TABLE #v (Id int NOT NULL, V sql_variant NULL)',
  "INSERT #v VALUES (1, 42)", "INSERT #v VALUES (2, 'abc')", "INSERT #v VALUES (3, CAST(12.50 AS decimal(9,2)))",
  "INSERT #v VALUES (4, CAST('2024-01-02' AS date))", "INSERT #v VALUES (5, N'zz')", "INSERT #v VALUES (6, 0x0102)",
  "INSERT #v VALUES (7, CAST(1.5 AS float))", "INSERT #v VALUES (8, NULL)",
].join('; ');

describe('SQL Server stand-in: sql_variant', () => {
  it('keeps each value of a sql_variant column with its base type and reports it through SQL_VARIANT_PROPERTY', async () => {
    const rows = await withPool('7_4', async (pool) => {
      await pool.request().batch(FILL);
      const props = ['BaseType', 'Precision', 'Scale', 'MaxLength', 'TotalBytes'].map((p) => `SQL_VARIANT_PROPERTY(V, '${p}') AS [${p}]`).join(', ');
      return (await pool.request().query(`SELECT Id, V, ${props}, SQL_VARIANT_PROPERTY(V, 'Collation') AS Coll FROM #v ORDER BY Id`)).recordset;
    });
    assert.deepEqual(rows.map((r) => [r.Id, r.BaseType, r.Precision, r.Scale, r.MaxLength]), [
      [1, 'int', 10, 0, 4], [2, 'varchar', 0, 0, 3], [3, 'decimal', 9, 2, 5], [4, 'date', 10, 0, 3],
      [5, 'nvarchar', 0, 0, 4], [6, 'varbinary', 0, 0, 2], [7, 'float', 53, 0, 8], [8, null, null, null, null],
    ]);
    assert.equal(rows[0].TotalBytes, 6); // 2 bytes of base type and property count, 4 of int
    assert.deepEqual(rows.map((r) => r.Coll), [null, 'SQL_Latin1_General_CP1_CI_AS', null, null, 'SQL_Latin1_General_CP1_CI_AS', null, null, null]);
    assert.deepEqual(rows.slice(0, 3).map((r) => r.V), [42, 'abc', 12.5]);
    assert.deepEqual(rows[5].V, Buffer.from([1, 2]));
  });

  it('orders and compares by type family first, then by value within the family', async () => {
    const { ordered, above, equal } = await withPool('7_4', async (pool) => {
      await pool.request().batch(FILL);
      const ordered = (await pool.request().query('SELECT Id FROM #v ORDER BY V, Id')).recordset.map((r) => r.Id);
      const above = (await pool.request().query("SELECT Id FROM #v WHERE V > N'zzz' ORDER BY Id")).recordset.map((r) => r.Id);
      const equal = (await pool.request().query('SELECT Id FROM #v WHERE V = 42.0 OR V = CAST(12.5 AS float) ORDER BY Id')).recordset.map((r) => r.Id);
      return { ordered, above, equal };
    });
    // NULL, binary, character (abc < zz), exact numeric (12.50 < 42), approximate, date/time.
    assert.deepEqual(ordered, [8, 6, 2, 5, 3, 1, 7, 4]);
    assert.deepEqual(above, [1, 3, 4, 7]);
    assert.deepEqual(equal, [1]); // 12.50 is exact numeric, a float 12.5 is of another family
  });

  it('holds values in variables, converts back with CAST, and refuses the types a variant cannot hold (206)', async () => {
    await withPool('7_4', async (pool) => {
      const result = await pool.request().query("DECLARE @v sql_variant = 41; SELECT CAST(@v AS int) + 1 AS n, @v AS v, CAST(CAST('2024-05-06' AS sql_variant) AS date) AS d");
      assert.equal(result.recordset[0].n, 42);
      assert.equal(result.recordset[0].v, 41);
      assert.equal((result.recordset[0].d as Date).toISOString(), '2024-05-06T00:00:00.000Z');
      await assert.rejects(pool.request().query("DECLARE @m nvarchar(max) = N'x'; SELECT CAST(@m AS sql_variant)"), (error: sql.RequestError) => error.number === 206);
    });
  });

  it('refuses arithmetic (8117) and implicit conversion out of sql_variant (257); MIN, MAX and CASE follow the variant rules', async () => {
    await withPool('7_4', async (pool) => {
      await assert.rejects(pool.request().query('DECLARE @v sql_variant = 5; SELECT @v + 1'), (error: sql.RequestError) => error.number === 8117);
      await assert.rejects(pool.request().batch('CREATE TABLE #i (I int); DECLARE @v sql_variant = 5; INSERT #i VALUES (@v)'), (error: sql.RequestError) => error.number === 257);
      const extremes = await pool.request().query("SELECT MAX(v) AS mx, MIN(v) AS mn FROM (SELECT CAST(1 AS sql_variant) AS v UNION ALL SELECT CAST('a' AS sql_variant)) AS x");
      assert.deepEqual(extremes.recordset, [{ mx: 1, mn: 'a' }]);
      const chosen = await pool.request().query("SELECT CASE WHEN 1 = 0 THEN CAST('2020-01-01' AS datetime) ELSE CAST('a' AS sql_variant) END AS c");
      assert.deepEqual(chosen.recordset, [{ c: 'a' }]);
    });
  });

  it('passes sql_variant procedure parameters, OUTPUT included', async () => {
    await withPool('7_4', async (pool) => {
      await pool.request().batch("CREATE PROCEDURE #TypeOf @v sql_variant, @t sql_variant OUTPUT AS BEGIN SET @t = SQL_VARIANT_PROPERTY(@v, 'BaseType'); SELECT @v AS v END");
      const result = await pool.request().query('DECLARE @t sql_variant; EXEC #TypeOf 5.5, @t OUTPUT; SELECT @t AS t');
      assert.deepEqual(result.recordsets, [[{ v: 5.5 }], [{ t: 'numeric' }]]);
    });
  });

  it('describes a sql_variant column in the catalog as SQL Server does (sql_variant, max_length 8016)', async () => {
    await withPool('7_4', async (pool) => {
      await pool.request().batch('CREATE TABLE dbo.hcmt_VariantCatalog (V sql_variant NULL)');
      const columns = await pool.request().query("SELECT max_length FROM sys.columns WHERE object_id = OBJECT_ID('dbo.hcmt_VariantCatalog')");
      const schema = await pool.request().query("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'hcmt_VariantCatalog'");
      assert.deepEqual([columns.recordset, schema.recordset], [[{ max_length: 8016 }], [{ DATA_TYPE: 'sql_variant' }]]);
    });
  });

  it('sends a datetimeoffset variant to a TDS 7.2 client as an nvarchar variant, as SQL Server does', async () => {
    const rows = await withPool('7_2', async (pool) => (await pool.request().query("SELECT CAST(CAST('2014-02-14 22:59:59.1234567 +05:00' AS datetimeoffset) AS sql_variant) AS v, CAST(7 AS sql_variant) AS i")).recordset);
    assert.deepEqual(rows, [{ v: '2014-02-14 22:59:59.1234567 +05:00', i: 7 }]);
  });
});
