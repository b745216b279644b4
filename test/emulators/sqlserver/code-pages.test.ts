/**
 * varchar under the East Asian collations, whose code pages are double-byte (932 Japanese, 936
 * Simplified Chinese, 949 Korean, 950 Traditional Chinese): the values travel in the column's code
 * page and tedious (which decodes by the collation's LCID) reads them back, not '?'; LEN counts
 * characters and DATALENGTH bytes; sp_tablecollations_100 reports each column's own collation (so
 * SqlBulkCopy encodes in it: see the SqlClient probe); a value arriving with a collation is decoded by it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import iconv from 'iconv-lite';
import { DataTypeId } from '../../../src/emulators/sqlserver/protocol/types/data-type-ids';
import { readTypeInfo } from '../../../src/emulators/sqlserver/protocol/types/type-info';
import { readValue } from '../../../src/emulators/sqlserver/protocol/types/value-read';
import { configFromConnectionString } from './target';

let standIn: SqlServerStandIn;
let pool: sql.ConnectionPool;

before(async () => {
  standIn = new SqlServerStandIn({ port: 0, logger: silentLogger() });
  await standIn.start();
  pool = new sql.ConnectionPool(configFromConnectionString(standIn.connectionString()));
  await pool.connect();
});
after(async () => {
  await pool.close();
  await standIn.close();
});

const COLUMNS: Array<[string, string, string]> = [
  ['Ja', 'Japanese_CI_AS', '日本語テキスト'], ['Zh', 'Chinese_PRC_CI_AS', '简体中文'],
  ['Ko', 'Korean_Wansung_CI_AS', '한국어'], ['Tw', 'Chinese_Taiwan_Stroke_CI_AS', '繁體中文'],
];

describe('SQL Server stand-in: varchar under double-byte code pages', () => {
  it('stores and sends varchar in the column collation\'s code page, with LEN in characters and DATALENGTH in bytes', async () => {
    const create = `CREATE TABLE dbo.hcmt_CodePages (Id int NOT NULL, ${COLUMNS.map(([name, collation]) => `${name} varchar(40) COLLATE ${collation} NULL`).join(', ')})`;
    await pool.request().batch(`${create}; INSERT INTO dbo.hcmt_CodePages VALUES (1, ${COLUMNS.map(([, , text]) => `N'${text}A'`).join(', ')})`);
    const select = COLUMNS.map(([name]) => `${name}, LEN(${name}) AS ${name}Len, DATALENGTH(${name}) AS ${name}Bytes`).join(', ');
    const [row] = (await pool.request().query(`SELECT ${select} FROM dbo.hcmt_CodePages`)).recordset;
    for (const [name, , text] of COLUMNS) {
      assert.equal(row[name], `${text}A`, name);
      assert.equal(row[`${name}Len`], text.length + 1, `LEN(${name})`);
      assert.equal(row[`${name}Bytes`], text.length * 2 + 1, `DATALENGTH(${name}): two bytes a character, one for the A`);
    }
  });

  it('counts char(n) and varchar(n) in bytes under a double-byte code page: 2628 past n bytes, char padded to n bytes', async () => {
    await pool.request().batch("CREATE TABLE #j (V varchar(4) COLLATE Japanese_CI_AS NULL, C char(6) COLLATE Chinese_PRC_CI_AS NULL); INSERT #j VALUES (N'日本', N'中文')");
    const { recordset } = await pool.request().query('SELECT V, C, DATALENGTH(V) AS dv, DATALENGTH(C) AS dc FROM #j');
    assert.deepEqual(recordset, [{ V: '日本', C: '中文  ', dv: 4, dc: 6 }]);
    await assert.rejects(pool.request().query("INSERT #j (V) VALUES (N'日本語')"), (error: sql.RequestError) => error.number === 2628);
  });

  it('reports each column\'s collation to bulk-copy clients (sp_tablecollations_100)', async () => {
    const { recordset } = await pool.request().input('t', sql.NVarChar, 'dbo.hcmt_CodePages').execute('sp_tablecollations_100');
    assert.deepEqual(recordset.map((r) => r.collation_100), [null, ...COLUMNS.map(([, collation]) => collation)]);
    assert.equal(recordset[1].tds_collation_100.readUInt32LE(0) & 0xfffff, 0x0411); // Japanese LCID
  });

  it('decodes a varchar RPC parameter or bulk-load value by the code page of the collation it carries', () => {
    // BIGVARCHAR TYPE_INFO (2.2.5.4.2): max length, then the 5-byte collation; LCID 0x0411 is Japanese.
    const japanese = Buffer.from([0x11, 0x04, 0x00, 0x00, 0x00]);
    const typeInfo = Buffer.concat([Buffer.from([DataTypeId.BigVarChar, 20, 0]), japanese]);
    const { value: info } = readTypeInfo(typeInfo, 0);
    const bytes = iconv.encode('東京A', 'cp932');
    const value = Buffer.concat([Buffer.from([bytes.length, 0]), bytes]);
    assert.equal(readValue(value, 0, info).value, '東京A');
  });
});
