/**
 * Table-valued parameters as the stand-in reads them off the wire (MS-TDS 2.2.5.5.5), byte by
 * byte, for the encodings clients use: SqlClient's (fDefault columns that carry no values,
 * TVP_ORDER_UNIQUE and TVP_COLUMN_ORDERING before the rows), tedious's NULL table (TVP_NULL_TOKEN),
 * and an unknown token, which is refused rather than misread.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRpcRequest } from '../../../src/emulators/sqlserver/protocol/payloads/rpc-request';
import { readTvpValue } from '../../../src/emulators/sqlserver/protocol/types/tvp-read';
import { readTypeInfo } from '../../../src/emulators/sqlserver/protocol/types/type-info';
import { readValue } from '../../../src/emulators/sqlserver/protocol/types/value-read';
import { DataTypeId } from '../../../src/emulators/sqlserver/protocol/types/data-type-ids';
import { TdsVersion } from '../../../src/emulators/sqlserver/protocol/tds-version';

const LATIN1_GENERAL_CI_AS = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value);
  return buffer;
}

function bVarChar(text: string): Buffer {
  return Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'ucs2')]);
}

/** TVP_COLMETADATA entry: UserType, Flags, TYPE_INFO, empty ColName. */
function column(flags: number, typeInfo: Buffer): Buffer {
  return Buffer.concat([Buffer.alloc(4), u16(flags), typeInfo, Buffer.from([0])]);
}

const INT_N = Buffer.from([DataTypeId.IntN, 4]);
const NVARCHAR_20 = Buffer.concat([Buffer.from([DataTypeId.NVarChar]), u16(40), LATIN1_GENERAL_CI_AS]);
const F_DEFAULT = 0x0200;

/** Id int (unique, descending), Name nvarchar(20), Qty int sent as fDefault — as SqlClient writes SqlDataRecords. */
const SQLCLIENT_TVP = Buffer.concat([
  u16(3), column(0, INT_N), column(0x0001, NVARCHAR_20), column(F_DEFAULT | 0x0001, INT_N),
  Buffer.from([0x10]), u16(1), u16(1), Buffer.from([0x04 | 0x02]), // TVP_ORDER_UNIQUE: column 1, descending + unique
  Buffer.from([0x11]), u16(1), u16(1), // TVP_COLUMN_ORDERING: column 1
  Buffer.from([0x00]), // TVP_END_TOKEN
  Buffer.from([0x01]), Buffer.from([4]), Buffer.from([5, 0, 0, 0]), u16(4), Buffer.from('r5', 'ucs2'),
  Buffer.from([0x01]), Buffer.from([0]), u16(0xffff),
  Buffer.from([0x00]),
]);

describe('SQL Server stand-in: table-valued parameters on the wire', () => {
  it('reads column metadata, skips fDefault columns in rows, and reads past the ordering tokens', () => {
    const { value, offset } = readTvpValue(SQLCLIENT_TVP, 0, readTypeInfo, readValue);
    assert.equal(offset, SQLCLIENT_TVP.length);
    assert.deepEqual(value?.columns.map((c) => [c.typeInfo.sqlType.name, c.useDefault]), [['int', false], ['nvarchar', false], ['int', true]]);
    assert.deepEqual(value?.rows, [[5, 'r5', null], [null, null, null]]);
  });

  it('reads an RPC parameter of type TVPTYPE with its type name, and a NULL table (TVP_NULL_TOKEN)', () => {
    const name = Buffer.from('sp_executesql', 'ucs2');
    const nullTable = Buffer.concat([bVarChar('@n'), Buffer.from([0, DataTypeId.Tvp]), bVarChar(''), bVarChar(''), bVarChar('T'), u16(0xffff), Buffer.from([0, 0])]);
    const table = Buffer.concat([bVarChar('@t'), Buffer.from([0, DataTypeId.Tvp]), bVarChar(''), bVarChar('dbo'), bVarChar('Lines'), SQLCLIENT_TVP]);
    const headers = Buffer.from([22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    const request = readRpcRequest(Buffer.concat([headers, u16(name.length / 2), name, u16(0), nullTable, table]));
    const [nullParameter, tableParameter] = request.calls[0].parameters;
    assert.equal(nullParameter.table, null);
    assert.equal(nullParameter.typeInfo.sqlType.userType, 'T');
    assert.deepEqual(tableParameter.typeInfo.tvpType, { database: '', schema: 'dbo', name: 'Lines' });
    assert.equal(tableParameter.typeInfo.sqlType.userType, 'dbo.Lines');
    assert.equal(tableParameter.table?.rows.length, 2);
  });

  it('refuses a TVP from a client that logged in below TDS 7.3, which has no such type', () => {
    const name = Buffer.from('sp_executesql', 'ucs2');
    const table = Buffer.concat([bVarChar('@t'), Buffer.from([0, DataTypeId.Tvp]), bVarChar(''), bVarChar(''), bVarChar('T'), u16(0xffff), Buffer.from([0, 0])]);
    const headers = Buffer.from([22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    assert.throws(() => readRpcRequest(Buffer.concat([headers, u16(name.length / 2), name, u16(0), table]), TdsVersion.V7_2), /table-valued parameters before TDS 7\.3/);
  });

  it('refuses an unknown token where a row belongs', () => {
    const bad = Buffer.concat([u16(1), column(0, INT_N), Buffer.from([0x00, 0x07])]);
    assert.throws(() => readTvpValue(bad, 0, readTypeInfo, readValue), /unknown token 0x7/);
  });
});
