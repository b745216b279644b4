/**
 * Every type both ways, values checked exactly as tedious hands them over from SQL Server:
 * bigint as a string, decimal and money as numbers, dates as UTC Dates, GUIDs upper-case,
 * char(n) padded, (max) types whole, NULL of each as null, column metadata from the declared types.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sql from 'mssql';
import type { SuiteContext } from './context';

const COLUMNS = ['I', 'Bi', 'Si', 'Ti', 'B', 'D', 'N', 'F', 'R', 'M', 'Vc', 'Nvc', 'C', 'Nc', 'VcMax', 'NvcMax', 'Dt', 'Dt2', 'Da', 'Tm', 'Dto', 'G', 'Vb', 'VbMax'];

async function readRow(context: SuiteContext, id: number): Promise<Record<string, unknown>> {
  const result = await context.pool.request().input('id', sql.Int, id).query(`SELECT ${COLUMNS.join(', ')} FROM dbo.hcmt_Types WHERE Id = @id`);
  return result.recordset[0];
}

export function typesSuite(context: SuiteContext): void {
  it('reads T-SQL literals of every type back exactly (bigint as a string)', async () => {
    const inserted = await context.pool.request().query(`INSERT INTO dbo.hcmt_Types (${COLUMNS.join(', ')}) OUTPUT INSERTED.Id VALUES (
  2147483647, 9223372036854775807, -32768, 255, 1, 12345.6789, 12.5, 1.5e300, 0.5, 922337.1234,
  'abc', N'Ωmega', 'ab', N'xy', REPLICATE(CAST('v' AS varchar(max)), 9000), REPLICATE(CAST(N'é' AS nvarchar(max)), 5000),
  '2024-02-29T13:14:15.123', '2024-02-29T13:14:15.1234567', '2024-02-29', '13:14:15.1234567', '2024-02-29T13:14:15.1234567+02:00',
  '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x0102FF, 0x00FF)`);
    const row = await readRow(context, inserted.recordset[0].Id);
    assert.deepEqual({ ...row, VcMax: undefined, NvcMax: undefined, Dt: undefined, Dt2: undefined, Da: undefined, Tm: undefined, Dto: undefined }, {
      I: 2147483647, Bi: '9223372036854775807', Si: -32768, Ti: 255, B: true, D: 12345.6789, N: 12.5, F: 1.5e300, R: 0.5, M: 922337.1234,
      Vc: 'abc', Nvc: 'Ωmega', C: 'ab   ', Nc: 'xy   ', VcMax: undefined, NvcMax: undefined,
      Dt: undefined, Dt2: undefined, Da: undefined, Tm: undefined, Dto: undefined,
      G: '6F9619FF-8B86-D011-B42D-00C04FC964FF', Vb: Buffer.from([1, 2, 255]), VbMax: Buffer.from([0, 255]),
    });
    assert.equal(row.VcMax, 'v'.repeat(9000));
    assert.equal(row.NvcMax, 'é'.repeat(5000));
    assert.equal((row.Dt as Date).toISOString(), '2024-02-29T13:14:15.123Z');
    assert.equal((row.Dt2 as Date).toISOString(), '2024-02-29T13:14:15.123Z');
    assert.equal((row.Dt2 as Date & { nanosecondsDelta: number }).nanosecondsDelta.toFixed(7), '0.0004567');
    assert.equal((row.Da as Date).toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal((row.Tm as Date).toISOString(), '1970-01-01T13:14:15.123Z');
    assert.equal((row.Dto as Date).toISOString(), '2024-02-29T11:14:15.123Z');
  });

  it('writes typed parameters of every type and reads the same values back', async () => {
    const request = context.pool.request()
      .input('I', sql.Int, -7).input('Bi', sql.BigInt, '-9223372036854775808').input('Si', sql.SmallInt, 12).input('Ti', sql.TinyInt, 0)
      .input('B', sql.Bit, false).input('D', sql.Decimal(19, 4), 1.25).input('N', sql.Numeric(10, 2), 3.5).input('F', sql.Float, 2.25)
      .input('R', sql.Real, 0.25).input('M', sql.Money, 10.5).input('Vc', sql.VarChar(50), 'café').input('Nvc', sql.NVarChar(50), '日本語')
      .input('C', sql.Char(5), 'a').input('Nc', sql.NChar(5), 'b').input('VcMax', sql.VarChar(sql.MAX), 'x'.repeat(10000))
      .input('NvcMax', sql.NVarChar(sql.MAX), 'ü'.repeat(6000)).input('Dt', sql.DateTime, new Date('2023-12-31T23:59:59.997Z'))
      .input('Dt2', sql.DateTime2(7), new Date('2001-02-03T04:05:06.789Z')).input('Da', sql.Date, new Date('1999-12-31T00:00:00Z'))
      .input('Tm', sql.Time(7), new Date('1970-01-01T23:59:58.500Z')).input('Dto', sql.DateTimeOffset(7), new Date('2020-06-01T12:00:00Z'))
      .input('G', sql.UniqueIdentifier, '0E984725-C51C-4BF4-9960-E1C80E27ABA0').input('Vb', sql.VarBinary(50), Buffer.from([1, 2, 3]))
      .input('VbMax', sql.VarBinary(sql.MAX), Buffer.alloc(20000, 7));
    const inserted = await request.query(`INSERT INTO dbo.hcmt_Types (${COLUMNS.join(', ')}) OUTPUT INSERTED.Id VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
    const row = await readRow(context, inserted.recordset[0].Id);
    assert.deepEqual({ I: row.I, Bi: row.Bi, Si: row.Si, Ti: row.Ti, B: row.B, D: row.D, N: row.N, F: row.F, R: row.R, M: row.M, Vc: row.Vc, Nvc: row.Nvc, C: row.C, Nc: row.Nc, G: row.G, Vb: row.Vb },
      { I: -7, Bi: '-9223372036854775808', Si: 12, Ti: 0, B: false, D: 1.25, N: 3.5, F: 2.25, R: 0.25, M: 10.5, Vc: 'café', Nvc: '日本語', C: 'a    ', Nc: 'b    ', G: '0E984725-C51C-4BF4-9960-E1C80E27ABA0', Vb: Buffer.from([1, 2, 3]) });
    assert.equal(row.VcMax, 'x'.repeat(10000));
    assert.equal(row.NvcMax, 'ü'.repeat(6000));
    assert.deepEqual(row.VbMax, Buffer.alloc(20000, 7));
    assert.equal((row.Dt as Date).toISOString(), '2023-12-31T23:59:59.997Z');
    assert.equal((row.Dt2 as Date).toISOString(), '2001-02-03T04:05:06.789Z');
    assert.equal((row.Da as Date).toISOString(), '1999-12-31T00:00:00.000Z');
    assert.equal((row.Tm as Date).toISOString(), '1970-01-01T23:59:58.500Z');
    assert.equal((row.Dto as Date).toISOString(), '2020-06-01T12:00:00.000Z');
  });

  it('returns NULL of every type as null, for columns and for parameters', async () => {
    const inserted = await context.pool.request().query('INSERT INTO dbo.hcmt_Types (I) OUTPUT INSERTED.Id VALUES (NULL)');
    const row = await readRow(context, inserted.recordset[0].Id);
    assert.deepEqual(row, Object.fromEntries(COLUMNS.map((c) => [c, null])));
    const params = await context.pool.request().input('a', sql.BigInt, null).input('b', sql.NVarChar(sql.MAX), null).input('c', sql.DateTimeOffset, null)
      .input('d', sql.Decimal(10, 2), null).input('e', sql.UniqueIdentifier, null).input('f', sql.VarBinary(sql.MAX), null)
      .query('SELECT @a AS a, @b AS b, @c AS c, @d AS d, @e AS e, @f AS f');
    assert.deepEqual(params.recordset, [{ a: null, b: null, c: null, d: null, e: null, f: null }]);
  });

  it('describes result columns with their declared SQL Server types', async () => {
    const result = await context.pool.request().query(`SELECT TOP (0) Id, ${COLUMNS.join(', ')} FROM dbo.hcmt_Types`);
    const columns = result.recordset.columns;
    const described = Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, (c.type as unknown as { declaration: string }).declaration]));
    assert.deepEqual(described, {
      Id: 'int', I: 'int', Bi: 'bigint', Si: 'smallint', Ti: 'tinyint', B: 'bit', D: 'decimal', N: 'numeric', F: 'float', R: 'real', M: 'money',
      Vc: 'varchar', Nvc: 'nvarchar', C: 'char', Nc: 'nchar', VcMax: 'varchar', NvcMax: 'nvarchar', Dt: 'datetime', Dt2: 'datetime2', Da: 'date',
      Tm: 'time', Dto: 'datetimeoffset', G: 'uniqueidentifier', Vb: 'varbinary', VbMax: 'varbinary',
    });
    assert.equal(columns.Id.nullable, false);
    assert.equal(columns.Id.identity, true);
    assert.equal(columns.Vc.length, 50);
    assert.equal(columns.Nvc.length, 100, 'nvarchar lengths travel in bytes');
    assert.deepEqual([columns.D.precision, columns.D.scale], [19, 4]);
    assert.equal(columns.Dt2.scale, 7);
    assert.equal(columns.NvcMax.length, columns.VcMax.length);
  });

  it('computes with SQL Server semantics: integer division, string concatenation, CAST, CONVERT, dates', async () => {
    const result = await context.pool.request().query(`SELECT 7 / 2 AS IntDiv, 7 / 2.0 AS DecDiv, N'a' + N'b' AS Concat, 'x' + CAST(5 AS varchar(10)) AS Mixed,
  CAST('42' AS int) + 1 AS Casted, CONVERT(varchar(10), CAST('2024-03-05' AS date), 112) AS Styled,
  DATEADD(day, 1, CAST('2024-02-28' AS date)) AS NextDay, DATEDIFF(day, '2024-01-01', '2024-03-01') AS Days,
  UPPER(N'abc') AS Upper, LEN(N'abc  ') AS Len, ISNULL(NULL, 3) AS IsNull, COALESCE(NULL, NULL, N'z') AS Coalesced,
  CASE WHEN 1 = 1 THEN N'yes' ELSE N'no' END AS CaseWhen, ROUND(2.345, 2) AS Rounded, ABS(-3) AS Absolute`);
    const row = result.recordset[0];
    assert.deepEqual({ ...row, NextDay: (row.NextDay as Date).toISOString() }, {
      IntDiv: 3, DecDiv: 3.5, Concat: 'ab', Mixed: 'x5', Casted: 43, Styled: '20240305', NextDay: '2024-02-29T00:00:00.000Z', Days: 60,
      Upper: 'ABC', Len: 3, IsNull: 3, Coalesced: 'z', CaseWhen: 'yes', Rounded: 2.35, Absolute: 3,
    });
  });
}
