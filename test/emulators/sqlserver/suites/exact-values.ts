/**
 * Values SQL Server keeps exactly where a double would not: decimal(38,10), decimal(18,4) and
 * money at their limits (stored, compared, sorted, summed and converted without rounding), and
 * datetimeoffset values that compare and sort by their UTC instant while keeping their offset.
 * tedious hands decimals to JavaScript as numbers, so exactness is read through
 * CONVERT(varchar, …), which SQL Server renders digit for digit.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import sql from 'mssql';
import type { SuiteContext } from './context';

const WIDE = '12345678901234567890.1234567891';
// The same double as WIDE: only an exact store tells them apart.
const WIDE_NEIGHBOUR = '12345678901234567890.1234567890';
const WIDE_MAX = '9999999999999999999999999999.9999999999';
const MONEY_MAX = '922337203685477.5807';
const MONEY_MIN = '-922337203685477.5808';

/** The first column of every row. */
async function firstColumn(context: SuiteContext, query: string): Promise<unknown[]> {
  const result = await context.pool.request().query(query);
  return result.recordset.map((row: Record<string, unknown>) => Object.values(row)[0]);
}

export function exactValuesSuite(context: SuiteContext): void {
  before(async () => {
    await context.pool.request().batch(`IF OBJECT_ID('dbo.hcmt_Exact', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Exact;
IF OBJECT_ID('dbo.hcmt_Instants', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Instants;
CREATE TABLE dbo.hcmt_Exact (Id int NOT NULL PRIMARY KEY, D decimal(38,10) NULL, S decimal(18,4) NULL, M money NULL);
CREATE TABLE dbo.hcmt_Instants (Id int NOT NULL PRIMARY KEY, At datetimeoffset(7) NOT NULL);`);
    await context.pool.request().batch(`INSERT INTO dbo.hcmt_Exact (Id, D, S, M) VALUES
  (1, ${WIDE}, 99999999999999.9999, ${MONEY_MAX}),
  (2, ${WIDE_NEIGHBOUR}, -99999999999999.9999, ${MONEY_MIN}),
  (3, -${WIDE}, 0.0001, 0.0001),
  (4, CAST('${WIDE_MAX}' AS decimal(38,10)), 1.5, -1.25),
  (5, 1.5, -0.0001, 0),
  (6, NULL, NULL, NULL);
INSERT INTO dbo.hcmt_Instants (Id, At) VALUES
  (1, '2024-01-01T10:00:00+02:00'), (2, '2024-01-01T08:30:00+00:00'), (3, '2024-01-01T05:00:00-05:00'), (4, '2024-01-01T09:15:00+01:00');`);
  });

  it('stores decimal(38,10), decimal(18,4) and money at their limits and reads them back digit for digit', async () => {
    const rows = await context.pool.request().query(`SELECT Id, CONVERT(varchar(60), D) AS D, CONVERT(varchar(30), S) AS S,
  CONVERT(varchar(30), CAST(M AS decimal(19,4))) AS M FROM dbo.hcmt_Exact ORDER BY Id`);
    assert.deepEqual(rows.recordset, [
      { Id: 1, D: WIDE, S: '99999999999999.9999', M: MONEY_MAX },
      { Id: 2, D: WIDE_NEIGHBOUR, S: '-99999999999999.9999', M: MONEY_MIN },
      { Id: 3, D: `-${WIDE}`, S: '0.0001', M: '0.0001' },
      { Id: 4, D: WIDE_MAX, S: '1.5000', M: '-1.2500' },
      { Id: 5, D: '1.5000000000', S: '-0.0001', M: '0.0000' },
      { Id: 6, D: null, S: null, M: null },
    ]);
    const json = await firstColumn(context, 'SELECT Id, D FROM dbo.hcmt_Exact WHERE Id IN (1, 5) ORDER BY Id FOR JSON PATH');
    assert.equal(json[0], `[{"Id":1,"D":${WIDE}},{"Id":5,"D":1.5000000000}]`);
  });

  it('sends the values over TDS as their exact scaled integers (tedious turns them into the nearest numbers)', async () => {
    const rows = await context.pool.request().query('SELECT D, S, M FROM dbo.hcmt_Exact WHERE Id IN (1, 2) ORDER BY Id');
    assert.deepEqual(rows.recordset.map((r: Record<string, number>) => [typeof r.D, r.S, r.M]), [
      ['number', Number('99999999999999.9999'), Number(MONEY_MAX)],
      ['number', Number('-99999999999999.9999'), Number(MONEY_MIN)],
    ]);
    assert.ok(Math.abs(rows.recordset[0].D / Number(WIDE) - 1) < 1e-15);
    const columns = rows.recordset.columns;
    assert.deepEqual([columns.D.precision, columns.D.scale, columns.S.precision, columns.S.scale], [38, 10, 18, 4]);
  });

  it('compares wide decimals exactly with =, <, > and BETWEEN, against literals, CASTs and other columns', async () => {
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D = ${WIDE}`), [1]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D = CAST('${WIDE_NEIGHBOUR}' AS decimal(38,10))`), [2]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D > ${WIDE_NEIGHBOUR} ORDER BY Id`), [1, 4]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D < ${WIDE} ORDER BY Id`), [2, 3, 5]);
    assert.deepEqual(await firstColumn(context, 'SELECT Id FROM dbo.hcmt_Exact WHERE D < 2 AND D > -1 ORDER BY Id'), [5]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D BETWEEN ${WIDE_NEIGHBOUR} AND ${WIDE} ORDER BY Id`), [1, 2]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE M = ${MONEY_MAX} OR M < -922337203685477.5807 ORDER BY Id`), [1, 2]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D IN (1.5, ${WIDE_NEIGHBOUR}) ORDER BY Id`), [2, 5]);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D NOT IN (1.5, ${WIDE_NEIGHBOUR}) ORDER BY Id`), [1, 3, 4]);
    assert.deepEqual(await firstColumn(context, 'SELECT a.Id FROM dbo.hcmt_Exact a JOIN dbo.hcmt_Exact b ON b.Id = 1 AND a.D <> b.D ORDER BY a.Id'), [2, 3, 4, 5]);
  });

  it('orders by decimal and money values (negatives and NULL too), both directions', async () => {
    assert.deepEqual(await firstColumn(context, 'SELECT Id FROM dbo.hcmt_Exact ORDER BY D'), [6, 3, 5, 2, 1, 4]);
    assert.deepEqual(await firstColumn(context, 'SELECT Id FROM dbo.hcmt_Exact ORDER BY D DESC'), [4, 1, 2, 5, 3, 6]);
    assert.deepEqual(await firstColumn(context, 'SELECT Id FROM dbo.hcmt_Exact ORDER BY M, Id'), [6, 2, 4, 5, 3, 1]);
    assert.deepEqual(await firstColumn(context, 'SELECT Id, S FROM dbo.hcmt_Exact ORDER BY 2 DESC'), [1, 4, 3, 5, 2, 6]);
    assert.deepEqual(await firstColumn(context, 'SELECT TOP (1) Id FROM (SELECT Id, ROW_NUMBER() OVER (ORDER BY D DESC) AS R FROM dbo.hcmt_Exact) x WHERE R = 2'), [1]);
  });

  it('adds decimals up exactly with SUM, and finds MIN and MAX by value', async () => {
    const [row] = (await context.pool.request().query(`SELECT CONVERT(varchar(60), SUM(D)) AS Total, CONVERT(varchar(60), MIN(D)) AS Least,
  CONVERT(varchar(60), MAX(D)) AS Most, CONVERT(varchar(30), SUM(S)) AS Small FROM dbo.hcmt_Exact WHERE Id IN (1, 2, 5, 6)`)).recordset;
    assert.deepEqual(row, { Total: '24691357802469135781.7469135781', Least: '1.5000000000', Most: WIDE, Small: '-0.0001' });
  });

  it('adds, subtracts and multiplies decimals and money in decimal, not in doubles', async () => {
    const [row] = (await context.pool.request().query(`SELECT CONVERT(varchar(30), a.S - b.S) AS Difference, CONVERT(varchar(30), a.S * 10) AS Product,
  CONVERT(varchar(30), CAST(a.M - 0.0007 AS decimal(19,4))) AS Money FROM dbo.hcmt_Exact a JOIN dbo.hcmt_Exact b ON b.Id = 4 WHERE a.Id = 1`)).recordset;
    assert.deepEqual(row, { Difference: '99999999999998.4999', Product: '999999999999999.9990', Money: '922337203685477.5800' });
  });

  it('updates a wide decimal from a literal and from a CAST without losing digits', async () => {
    await context.pool.request().query(`UPDATE dbo.hcmt_Exact SET D = -${WIDE_NEIGHBOUR}, M = CAST('-922337203685477.5807' AS money) WHERE Id = 5`);
    assert.deepEqual(await firstColumn(context, 'SELECT CONVERT(varchar(60), D) FROM dbo.hcmt_Exact WHERE Id = 5'), [`-${WIDE_NEIGHBOUR}`]);
    assert.deepEqual(await firstColumn(context, 'SELECT CONVERT(varchar(30), CAST(M AS decimal(19,4))) FROM dbo.hcmt_Exact WHERE Id = 5'), ['-922337203685477.5807']);
    assert.deepEqual(await firstColumn(context, `SELECT Id FROM dbo.hcmt_Exact WHERE D = -${WIDE_NEIGHBOUR}`), [5]);
    const parameter = await context.pool.request().input('d', sql.Decimal(18, 4), -0.0001).query('SELECT Id FROM dbo.hcmt_Exact WHERE S = @d');
    assert.deepEqual(parameter.recordset, [{ Id: 5 }]);
  });

  it('compares and orders datetimeoffset values by their UTC instant and keeps each offset', async () => {
    assert.deepEqual(await firstColumn(context, "SELECT Id FROM dbo.hcmt_Instants WHERE At = '2024-01-01T08:00:00+00:00'"), [1]);
    assert.deepEqual(await firstColumn(context, "SELECT Id FROM dbo.hcmt_Instants WHERE At > '2024-01-01T09:00:00+01:00' ORDER BY At"), [4, 2, 3]);
    assert.deepEqual(await firstColumn(context, 'SELECT Id FROM dbo.hcmt_Instants ORDER BY At'), [1, 4, 2, 3]);
    assert.deepEqual(await firstColumn(context, 'SELECT Id FROM dbo.hcmt_Instants ORDER BY At DESC'), [3, 2, 4, 1]);
    const later = await context.pool.request().input('at', sql.DateTimeOffset(7), new Date('2024-01-01T08:20:00Z'))
      .query('SELECT Id FROM dbo.hcmt_Instants WHERE At < @at ORDER BY Id');
    assert.deepEqual(later.recordset, [{ Id: 1 }, { Id: 4 }]);
    assert.deepEqual(await firstColumn(context, "SELECT Id FROM dbo.hcmt_Instants WHERE At IN ('2024-01-01T10:00:00+00:00', '2024-01-01T09:30:00+01:00') ORDER BY Id"), [2, 3]);
    assert.deepEqual(await firstColumn(context, 'SELECT a.Id FROM dbo.hcmt_Instants a JOIN dbo.hcmt_Instants b ON b.Id = 1 AND a.At = b.At'), [1]);
    assert.deepEqual(await firstColumn(context, 'SELECT CAST(At AS nvarchar(40)) FROM dbo.hcmt_Instants WHERE Id = 1'), ['2024-01-01 10:00:00.0000000 +02:00']);
    const [extremes] = (await context.pool.request().query('SELECT CAST(MIN(At) AS nvarchar(40)) AS Earliest, CAST(MAX(At) AS nvarchar(40)) AS Latest FROM dbo.hcmt_Instants')).recordset;
    assert.deepEqual(extremes, { Earliest: '2024-01-01 10:00:00.0000000 +02:00', Latest: '2024-01-01 05:00:00.0000000 -05:00' });
    const [row] = (await context.pool.request().query('SELECT At FROM dbo.hcmt_Instants WHERE Id = 3')).recordset;
    assert.equal((row.At as Date).toISOString(), '2024-01-01T10:00:00.000Z');
  });
}
