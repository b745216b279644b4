/**
 * The wire types and token layouts the stand-in chooses, read with its own TDS readers
 * (token-stream.ts) rather than through a driver that might tolerate a wrong choice: SQL Server
 * sends NOT NULL fixed-length columns as INT4, BIT, FLT8, MONEY, DATETIME … (SqlClient reads the
 * length byte of INTN as data otherwise), and lays tokens out by the client's TDS version.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { demoSeedSql } from '../../../src/emulators/sqlserver/demo';
import { framePackets, PacketStatus, PacketType } from '../../../src/emulators/sqlserver/protocol/packet';
import { EnvChangeType } from '../../../src/emulators/sqlserver/protocol/tokens/env-change';
import { DataTypeId } from '../../../src/emulators/sqlserver/protocol/types/data-type-ids';
import { TdsVersion } from '../../../src/emulators/sqlserver/protocol/tds-version';
import { RawClient, sqlBatch } from './raw-client';
import { configFromConnectionString, openPool } from './target';
import { ColumnRead, readTokens, TokenRead } from './token-stream';

let standIn: SqlServerStandIn;

before(async () => {
  standIn = new SqlServerStandIn({ port: 0, seedSql: demoSeedSql(), logger: silentLogger() });
  await standIn.start();
});
after(() => standIn.close());

async function query(text: string, tdsVersion: number = TdsVersion.V7_4): Promise<TokenRead[]> {
  const client = await RawClient.connect(standIn.address().port);
  try {
    const loginResponse = await client.login(undefined, tdsVersion);
    assert.ok(loginResponse, 'no login response');
    const ack = readTokens(loginResponse, tdsVersion).find((t) => t.kind === 'loginack');
    assert.deepEqual(ack, { kind: 'loginack', tdsVersion }, 'LOGINACK names the version the client asked for');
    client.sendMessage(PacketType.SqlBatch, sqlBatch(text, tdsVersion >= TdsVersion.V7_2));
    const payload = await client.readMessage();
    assert.ok(payload, 'no response to the batch');
    return readTokens(payload, tdsVersion);
  } finally {
    client.close();
  }
}

function columnsOf(tokens: TokenRead[]): ColumnRead[] {
  const found = tokens.find((t) => t.kind === 'columns');
  assert.ok(found && found.kind === 'columns', 'no COLMETADATA');
  return found.columns;
}

function rowsOf(tokens: TokenRead[]): unknown[][] {
  return tokens.flatMap((t) => (t.kind === 'row' ? [t.values] : []));
}

describe('SQL Server stand-in: wire types as SQL Server sends them', () => {
  it('sends NOT NULL fixed-length table columns as INT4 (no length byte) and nullable ones as MONEYN/INTN', async () => {
    const tokens = await query('SELECT TOP 2 OrderId, CustomerId, Total FROM dbo.Orders ORDER BY OrderId');
    const [orderId, customerId, total] = columnsOf(tokens);
    assert.deepEqual([orderId.typeId, orderId.nullable], [DataTypeId.Int4, false]);
    assert.deepEqual([customerId.typeId, customerId.nullable], [DataTypeId.Int4, false]);
    assert.deepEqual([total.typeId, total.nullable], [DataTypeId.MoneyN, true]);
    assert.deepEqual(rowsOf(tokens).map((row) => row[0]), [1000, 1001]);
  });

  it('sends literals of every fixed-length type with the fixed wire types, and a NULL literal nullable', async () => {
    const tokens = await query(`SELECT 1 AS i, CAST(7 AS tinyint) AS t, CAST(-2 AS smallint) AS s, CAST(3000000000 AS bigint) AS b,
      CAST(1 AS bit) AS bt, CAST(1.5 AS real) AS r, CAST(2.5 AS float) AS f, CAST(3.25 AS money) AS m, CAST(4.5 AS smallmoney) AS sm,
      CAST('2024-01-05T10:00:00' AS datetime) AS dt, CAST('2024-01-05T10:00:00' AS smalldatetime) AS sdt, CAST(NULL AS int) AS n`);
    const ids = columnsOf(tokens).map((c) => c.typeId);
    assert.deepEqual(ids, [DataTypeId.Int4, DataTypeId.Int1, DataTypeId.Int2, DataTypeId.Int8, DataTypeId.Bit, DataTypeId.Flt4,
      DataTypeId.Flt8, DataTypeId.Money, DataTypeId.Money4, DataTypeId.DateTime, DataTypeId.DateTim4, DataTypeId.IntN]);
    const [row] = rowsOf(tokens);
    assert.deepEqual(row.slice(0, 9), [1, 7, -2, 3000000000n, 1, 1.5, 2.5, 3.25, 4.5]);
    assert.deepEqual(row.slice(9), ['2024-01-05 10:00:00.0000000', '2024-01-05 10:00:00.0000000', null]);
  });

  it('sends datetimeoffset(7), datetime2(7) and time(7) with all seven fraction digits', async () => {
    const tokens = await query(`SELECT CAST('2024-12-31 23:59:59.9999999 +05:30' AS datetimeoffset(7)) AS o,
      CAST('2024-12-31 23:59:59.9999999' AS datetime2(7)) AS d, CAST('23:59:59.9999999' AS time(7)) AS t`);
    assert.deepEqual(rowsOf(tokens)[0], ['2024-12-31 23:59:59.9999999 +05:30', '2024-12-31 23:59:59.9999999', '23:59:59.9999999']);
  });
});

describe('SQL Server stand-in: token layouts per TDS version', () => {
  it('answers a 7.1 client with USHORT user types, 4-byte DONE counts, (max) as ntext/text/image and dates as nvarchar', async () => {
    const tokens = await query(`SELECT TOP 1 Notes, CAST('abc' AS varchar(max)) AS v, CAST(0x0102 AS varbinary(max)) AS b,
      CAST('2024-01-05' AS date) AS d, CAST('2024-01-05 10:00:00.1234567 -02:00' AS datetimeoffset) AS o, OrderId FROM dbo.Orders ORDER BY OrderId`, TdsVersion.V7_1);
    const columns = columnsOf(tokens);
    assert.deepEqual(columns.map((c) => c.typeId), [DataTypeId.NText, DataTypeId.Text, DataTypeId.Image, DataTypeId.NVarChar, DataTypeId.NVarChar, DataTypeId.Int4]);
    const [row] = rowsOf(tokens);
    assert.deepEqual(row.slice(1), ['abc', Buffer.from([1, 2]), '2024-01-05', '2024-01-05 10:00:00.1234567 -02:00', 1000]);
    const done = tokens.find((t) => t.kind === 'done');
    assert.ok(done && done.kind === 'done' && done.rowCount === 1n);
  });

  it('answers a 7.2 client with PLP (max) types but dates as nvarchar', async () => {
    const tokens = await query(`SELECT CAST(N'x' AS nvarchar(max)) AS n, CAST('10:11:12.5' AS time(1)) AS t, CAST('2024-01-05 01:02:03' AS datetime2(0)) AS d`, TdsVersion.V7_2);
    const columns = columnsOf(tokens);
    assert.deepEqual(columns.map((c) => [c.typeId, c.info.length]), [[DataTypeId.NVarChar, 0xffff], [DataTypeId.NVarChar, 20], [DataTypeId.NVarChar, 38]]);
    assert.deepEqual(rowsOf(tokens)[0], ['x', '10:11:12.5', '2024-01-05 01:02:03']);
  });

  it('sends a 7.1 client error line numbers as USHORT and no transaction ENVCHANGE', async () => {
    const tokens = await query('BEGIN TRANSACTION; SELECT 1/0 AS x; ROLLBACK', TdsVersion.V7_1);
    const error = tokens.find((t) => t.kind === 'message');
    assert.ok(error && error.kind === 'message');
    assert.equal(error.number, 8134);
    assert.equal(tokens.some((t) => t.kind === 'envchange'), false);
  });
});

describe('SQL Server stand-in: RESETCONNECTION', () => {
  async function resetAfterBegin(tdsVersion: number): Promise<TokenRead[]> {
    const client = await RawClient.connect(standIn.address().port);
    try {
      await client.login(undefined, tdsVersion);
      const headers = tdsVersion >= TdsVersion.V7_2;
      client.sendMessage(PacketType.SqlBatch, sqlBatch('BEGIN TRANSACTION; UPDATE dbo.Products SET InStock = InStock WHERE ProductId = 1', headers));
      await client.readMessage();
      // The next request asks for a reset (packet status RESETCONNECTION, MS-TDS 2.2.3.1.2).
      const [packet] = framePackets(PacketType.SqlBatch, sqlBatch('SELECT @@TRANCOUNT AS n', headers), 4096);
      packet[1] |= PacketStatus.ResetConnection;
      client.send(packet);
      const payload = await client.readMessage();
      assert.ok(payload);
      return readTokens(payload, tdsVersion);
    } finally {
      client.close();
    }
  }

  it('rolls an open transaction back with the ROLLBACK ENVCHANGE, then acknowledges the reset (7.4)', async () => {
    const tokens = await resetAfterBegin(TdsVersion.V7_4);
    const changes = tokens.flatMap((t) => (t.kind === 'envchange' ? [t.type] : []));
    assert.deepEqual(changes, [EnvChangeType.RollbackTransaction, EnvChangeType.ResetConnectionAck]);
    assert.deepEqual(rowsOf(tokens), [[0]]);
  });

  it('sends a 7.1 client neither ENVCHANGE (both are 7.2+), but still rolls back', async () => {
    const tokens = await resetAfterBegin(TdsVersion.V7_1);
    assert.equal(tokens.some((t) => t.kind === 'envchange'), false);
    assert.deepEqual(rowsOf(tokens), [[0]]);
  });
});

describe('SQL Server stand-in: sql_variant', () => {
  it('sends CAST(x AS sql_variant) as SSVARIANT with the base type of x, read back by tedious', async () => {
    const pool = await openPool(configFromConnectionString(standIn.connectionString()));
    try {
      const result = await pool.request().query(`SELECT CAST(11 AS sql_variant) AS i, CAST(11.16 AS sql_variant) AS n, CAST('abc' AS sql_variant) AS v,
        CAST(CAST(0x1234 AS varbinary(16)) AS sql_variant) AS b, CAST(CAST(3148.29 AS decimal(20,8)) AS sql_variant) AS d,
        CAST(CAST('01234567-89AB-CDEF-0123-456789ABCDEF' AS uniqueidentifier) AS sql_variant) AS g, CAST(NULL AS sql_variant) AS z,
        CAST(CAST(3 AS bigint) AS sql_variant) AS big, CAST(CAST(1 AS bit) AS sql_variant) AS bt`);
      const row = result.recordset[0];
      assert.deepEqual({ ...row, b: [...row.b] }, { i: 11, n: 11.16, v: 'abc', b: [0x12, 0x34], d: 3148.29, g: '01234567-89AB-CDEF-0123-456789ABCDEF', z: null, big: '3', bt: true });
    } finally {
      await pool.close();
    }
  });
});

describe('SQL Server stand-in: varchar under other collations', () => {
  it("sends varchar of a Cyrillic column with that collation's LCID and in code page 1251", async () => {
    const batch = `CREATE TABLE #c (col1 nvarchar(10) COLLATE Cyrillic_General_CS_AS); INSERT INTO #c VALUES (N'abcdШ');
      SELECT CAST(col1 AS varchar(10)) AS v, CAST(N'abcdШ' AS varchar(10)) AS latin FROM #c`;
    const columns = columnsOf(await query(batch));
    assert.ok(columns[0].info.collation, 'a collation on the varchar column');
    assert.equal(columns[0].info.collation.readUInt32LE(0) & 0xfffff, 0x0419, 'LCID of Cyrillic_General');
    assert.deepEqual([...columns[1].info.collation!], [0x09, 0x04, 0xd0, 0x00, 0x34], 'the default collation elsewhere');
    const pool = await openPool(configFromConnectionString(standIn.connectionString()));
    try {
      const result = await pool.request().query(batch);
      assert.deepEqual(result.recordset[0], { v: 'abcdШ', latin: 'abcd?' });
    } finally {
      await pool.close();
    }
  });
});
