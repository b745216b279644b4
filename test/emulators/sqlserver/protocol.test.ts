/**
 * The TDS layers on their own: packet framing, message reassembly from arbitrary chunks
 * (ATTENTION out of band, framing violations), pure readers that refuse truncated input, and the
 * PRELOGIN/LOGIN7 payloads checked against tedious's own payload classes (the real peer).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { framePackets, PacketType, readPacketHeader, PacketStatus, writePacketHeader } from '../../../src/emulators/sqlserver/protocol/packet';
import { IncomingMessage, MessageReader, ProtocolError } from '../../../src/emulators/sqlserver/protocol/message-reader';
import { NotEnoughData, readBVarChar, readUInt32LE } from '../../../src/emulators/sqlserver/protocol/buffer-readers';
import { readLogin7, FeatureId } from '../../../src/emulators/sqlserver/protocol/payloads/login7';
import { Encryption, readPrelogin, writePrelogin } from '../../../src/emulators/sqlserver/protocol/payloads/prelogin';
import { decodeDecimal, decodeGuid } from '../../../src/emulators/sqlserver/protocol/types/value-read';
import { encodeGuid, writeValue } from '../../../src/emulators/sqlserver/protocol/types/value-write';
import { BufferWriter } from '../../../src/emulators/sqlserver/protocol/buffer-writer';
import { login7 } from './raw-client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PreloginPayload = require('tedious/lib/prelogin-payload') as new (input: Buffer | { encrypt: boolean; version: Record<string, number> }) => { encryptionString: string; version: Record<string, number>; data: Buffer };

function collect(chunks: Buffer[]): { messages: IncomingMessage[]; attentions: number; errors: ProtocolError[] } {
  const seen = { messages: [] as IncomingMessage[], attentions: 0, errors: [] as ProtocolError[] };
  const reader = new MessageReader({ message: (m) => seen.messages.push(m), attention: () => seen.attentions++, error: (e) => seen.errors.push(e) });
  for (const chunk of chunks) reader.push(chunk);
  return seen;
}

describe('TDS packets and messages', () => {
  it('frames a message as packets of the packet size, EndOfMessage on the last only', () => {
    const payload = Buffer.alloc(10_000, 7);
    const packets = framePackets(PacketType.TabularResult, payload, 4096);
    assert.deepEqual(packets.map((p) => p.length), [4096, 4096, 8 + 10_000 - 2 * 4088]);
    const headers = packets.map((p) => readPacketHeader(p, 0).value);
    assert.deepEqual(headers.map((h) => h.status), [PacketStatus.Normal, PacketStatus.Normal, PacketStatus.EndOfMessage] as number[]);
    assert.deepEqual(headers.map((h) => h.packetId), [1, 2, 3]);
  });

  it('reassembles messages delivered one byte at a time, with an ATTENTION between them', () => {
    const batch = Buffer.from('SELECT 1', 'ucs2');
    const attention = writePacketHeader({ type: PacketType.Attention, status: PacketStatus.EndOfMessage, length: 8, spid: 0, packetId: 1, window: 0 });
    const bytes = Buffer.concat([...framePackets(PacketType.SqlBatch, batch, 512), attention, ...framePackets(PacketType.Rpc, Buffer.alloc(700, 1), 512)]);
    const seen = collect([...bytes].map((b) => Buffer.from([b])));
    assert.deepEqual(seen.messages.map((m) => [m.type, m.payload.length]), [[PacketType.SqlBatch, batch.length], [PacketType.Rpc, 700]]);
    assert.equal(seen.attentions, 1);
    assert.deepEqual(seen.errors, []);
  });

  it('reports framing violations as protocol errors: short length, unknown type, type change, oversize', () => {
    const header = (type: number, length: number, status: number = PacketStatus.EndOfMessage) => writePacketHeader({ type, status, length, spid: 0, packetId: 1, window: 0 });
    assert.match(collect([header(PacketType.SqlBatch, 7)]).errors[0].message, /shorter than its header/);
    assert.match(collect([header(0x55, 8)]).errors[0].message, /Unknown packet type 0x55/);
    const mixed = collect([Buffer.concat([header(PacketType.SqlBatch, 10, PacketStatus.Normal), Buffer.alloc(2)]), Buffer.concat([header(PacketType.Rpc, 10), Buffer.alloc(2)])]);
    assert.match(mixed.errors[0].message, /inside a message of type 0x1/);
    const reader = new MessageReader({ message: () => undefined, attention: () => undefined, error: (e) => { throw e; } }, 4096, 100);
    assert.throws(() => reader.push(Buffer.concat([header(PacketType.SqlBatch, 208), Buffer.alloc(200)])), /exceeds 100 bytes/);
  });

  it('readers refuse to read past the end of a buffer', () => {
    assert.throws(() => readUInt32LE(Buffer.alloc(3), 0), NotEnoughData);
    assert.throws(() => readBVarChar(Buffer.from([5, 65, 0]), 0), NotEnoughData);
  });
});

describe('PRELOGIN and LOGIN7 against tedious', () => {
  it("reads tedious's PRELOGIN and answers one tedious reads as ENCRYPT_NOT_SUP", () => {
    const request = new PreloginPayload({ encrypt: false, version: { major: 19, minor: 2, build: 2, subbuild: 0 } });
    assert.equal(readPrelogin(request.data).encryption, Encryption.NotSupported);
    const response = new PreloginPayload(writePrelogin({ version: { major: 16, minor: 0, build: 1000, subBuild: 6 }, encryption: Encryption.NotSupported }));
    assert.equal(response.encryptionString, 'NOT_SUP');
    assert.equal(response.version.major, 16);
    assert.equal(response.version.build, 1000);
  });

  it("reads tedious's LOGIN7: user, unscrambled password, database, packet size, features", () => {
    const login = readLogin7(login7('S3cret-ünïcode!'));
    assert.equal(login.userName, 'hcm_demo');
    assert.equal(login.password, 'S3cret-ünïcode!');
    assert.equal(login.database, 'HcmDemo');
    assert.equal(login.packetSize, 4096);
    assert.equal(login.tdsVersion, 0x74000004);
    assert.ok(login.features.includes(FeatureId.Utf8Support));
  });

  it('refuses a LOGIN7 whose declared length does not match', () => {
    const payload = login7('x');
    assert.throws(() => readLogin7(payload.subarray(0, payload.length - 2)), /LOGIN7 declares/);
  });
});

describe('value encodings', () => {
  it('encodes GUIDs with the first three groups little-endian, and decodes them back', () => {
    const bytes = encodeGuid('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    assert.equal(bytes.toString('hex'), 'ff19966f868b11d0b42d00c04fc964ff');
    assert.equal(decodeGuid(bytes), '6F9619FF-8B86-D011-B42D-00C04FC964FF');
  });

  it('writes decimals as sign and magnitude and reads them back at their scale', () => {
    const writer = new BufferWriter();
    writeValue(writer, { name: 'decimal', precision: 10, scale: 2 }, -1234.5);
    const bytes = writer.toBuffer();
    assert.equal(bytes[0], 9, 'precision 10 takes 8 magnitude bytes plus the sign');
    assert.equal(bytes[1], 0, 'negative');
    assert.equal(decodeDecimal(bytes.subarray(1), 2), -1234.5);
  });
});
