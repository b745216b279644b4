/**
 * Malformed packets, truncated messages, oversized packets, messages out of order and junk bytes
 * close the offending connection (or get an error token) and never take the stand-in down:
 * after each, a real mssql client still gets its answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import sql from 'mssql';
import { silentLogger } from '../../../src/common/logger';
import { SqlServerStandIn } from '../../../src/emulators/sqlserver';
import { PacketType, writePacketHeader, PacketStatus } from '../../../src/emulators/sqlserver/protocol/packet';
import { configFromConnectionString, openPool } from './target';
import { allHeaders, login7, mentions, RawClient, sqlBatch } from './raw-client';

describe('SQL Server stand-in: hostile and broken clients', () => {
  let standIn: SqlServerStandIn;
  let pool: sql.ConnectionPool;
  let port: number;

  before(async () => {
    standIn = new SqlServerStandIn({ port: 0, logger: silentLogger() });
    await standIn.start();
    port = standIn.address().port;
    pool = await openPool(configFromConnectionString(standIn.connectionString()));
  });
  after(async () => {
    await pool.close();
    await standIn.close();
  });

  async function stillServes(): Promise<void> {
    assert.equal(standIn.status, 'Running');
    assert.deepEqual((await pool.request().query('SELECT 1 AS Alive')).recordset, [{ Alive: 1 }]);
  }

  async function closesAfter(bytes: Buffer | Buffer[], beforeSending?: (client: RawClient) => Promise<void>): Promise<void> {
    const client = await RawClient.connect(port);
    try {
      if (beforeSending) await beforeSending(client);
      for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) client.send(chunk);
      await client.waitClosed();
    } finally {
      client.close();
    }
    await stillServes();
  }

  it('closes a connection that sends junk instead of TDS (an HTTP request)', async () => {
    await closesAfter(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  });

  it('closes a connection whose packet header claims fewer than 8 bytes', async () => {
    await closesAfter(writePacketHeader({ type: PacketType.PreLogin, status: PacketStatus.EndOfMessage, length: 4, spid: 0, packetId: 1, window: 0 }));
  });

  it('closes a connection that sends an oversized packet, before and after login', async () => {
    await closesAfter(writePacketHeader({ type: PacketType.PreLogin, status: PacketStatus.EndOfMessage, length: 40_000, spid: 0, packetId: 1, window: 0 }));
    await closesAfter(writePacketHeader({ type: PacketType.SqlBatch, status: PacketStatus.EndOfMessage, length: 8000, spid: 0, packetId: 1, window: 0 }), async (client) => {
      assert.ok(mentions(await client.login(), "Changed database context to 'HcmDemo'."));
    });
  });

  it('closes a connection that sends a malformed PRELOGIN or LOGIN7', async () => {
    const badPrelogin = Buffer.from([0x00, 0x00, 0x40, 0x00, 0x06, 0xff]);
    await closesAfter(framed(PacketType.PreLogin, badPrelogin));
    const truncatedLogin = login7('x').subarray(0, 60);
    await closesAfter(framed(PacketType.Login7, truncatedLogin), async (client) => {
      client.sendMessage(PacketType.PreLogin, Buffer.from([0xff]));
      await client.readMessage();
    });
  });

  it('closes a connection that sends a request before logging in', async () => {
    await closesAfter(framed(PacketType.SqlBatch, sqlBatch('SELECT 1')));
  });

  it('survives a message cut off mid-way by the client going away', async () => {
    const client = await RawClient.connect(port);
    await client.login();
    const header = writePacketHeader({ type: PacketType.SqlBatch, status: PacketStatus.EndOfMessage, length: 200, spid: 0, packetId: 1, window: 0 });
    client.send(Buffer.concat([header, Buffer.alloc(30)]));
    client.socket.end();
    await client.waitClosed();
    await stillServes();
  });

  it('closes a connection whose SQL batch is not valid UCS-2, and answers an unsupported parameter type with an error token', async () => {
    await closesAfter(framed(PacketType.SqlBatch, Buffer.concat([allHeaders(), Buffer.from([0x41, 0x00, 0x42])])), async (client) => {
      await client.login();
    });
    const client = await RawClient.connect(port);
    try {
      await client.login();
      const name = Buffer.from('sp_executesql', 'ucs2');
      const lengths = Buffer.alloc(2);
      lengths.writeUInt16LE(13);
      // A CLR user-defined type (UDTTYPE, MS-TDS 2.2.5.5.6): the stand-in has none.
      const parameter = Buffer.concat([Buffer.from([2]), Buffer.from('@t', 'ucs2'), Buffer.from([0, 0xf0, 0, 0])]);
      client.sendMessage(PacketType.Rpc, Buffer.concat([allHeaders(), lengths, name, Buffer.from([0, 0]), parameter]));
      const response = await client.readMessage();
      assert.ok(mentions(response, 'The SQL Server stand-in does not support CLR user-defined types.'), 'an ERROR token names what is unsupported');
      client.sendMessage(PacketType.SqlBatch, sqlBatch("SELECT N'still here' AS Answer"));
      assert.ok(mentions(await client.readMessage(), 'still here'), 'the connection goes on after the error token');
    } finally {
      client.close();
    }
    await stillServes();
  });

  it('acknowledges an ATTENTION that arrives when nothing runs', async () => {
    const client = await RawClient.connect(port);
    try {
      await client.login();
      client.send(writePacketHeader({ type: PacketType.Attention, status: PacketStatus.EndOfMessage, length: 8, spid: 0, packetId: 1, window: 0 }));
      const ack = await client.readMessage();
      assert.ok(ack && ack[0] === 0xfd && (ack.readUInt16LE(1) & 0x20) !== 0, 'a DONE token with DONE_ATTN');
    } finally {
      client.close();
    }
  });

  it('survives 300 random packets with plausible headers from many connections', async () => {
    const types = [PacketType.PreLogin, PacketType.Login7, PacketType.SqlBatch, PacketType.Rpc, PacketType.TransactionManager, PacketType.BulkLoad, PacketType.Attention, 0x55];
    for (let round = 0; round < 30; round++) {
      const client = await RawClient.connect(port);
      if (round % 2 === 0) await client.login();
      for (let i = 0; i < 10; i++) {
        const body = randomBytes(Math.floor(Math.random() * 200));
        const type = types[(round * 10 + i) % types.length];
        client.send(Buffer.concat([writePacketHeader({ type, status: PacketStatus.EndOfMessage, length: 8 + body.length, spid: 0, packetId: 1, window: 0 }), body]));
      }
      client.close();
    }
    await stillServes();
  });
});

function framed(type: number, payload: Buffer): Buffer {
  const header = writePacketHeader({ type, status: PacketStatus.EndOfMessage, length: 8 + payload.length, spid: 0, packetId: 1, window: 0 });
  return Buffer.concat([header, payload]);
}
