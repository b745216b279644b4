/**
 * The TDS packet (MS-TDS 2.2.3.1): an 8-byte header — type, status, length (big-endian, header
 * included), SPID, packet id, window — followed by up to packet-size − 8 bytes of a message.
 */
import { readUInt16BE, readUInt8, ReadResult } from './buffer-readers';

export const PACKET_HEADER_LENGTH = 8;

/** 2.2.3.1.1 Type. */
export const PacketType = {
  SqlBatch: 0x01,
  PreTds7Login: 0x02,
  Rpc: 0x03,
  TabularResult: 0x04,
  Attention: 0x06,
  BulkLoad: 0x07,
  FedAuthToken: 0x08,
  TransactionManager: 0x0e,
  Login7: 0x10,
  Sspi: 0x11,
  PreLogin: 0x12,
} as const;

export type PacketTypeValue = (typeof PacketType)[keyof typeof PacketType];

const KNOWN_TYPES = new Set<number>(Object.values(PacketType));

export function isKnownPacketType(type: number): type is PacketTypeValue {
  return KNOWN_TYPES.has(type);
}

/** 2.2.3.1.2 Status (bit flags). */
export const PacketStatus = {
  Normal: 0x00,
  EndOfMessage: 0x01,
  Ignore: 0x02,
  ResetConnection: 0x08,
  ResetConnectionSkipTran: 0x10,
} as const;

/** Packet sizes a client may negotiate in LOGIN7 (2.2.6.4 PacketSize). */
export const MIN_PACKET_SIZE = 512;
export const MAX_PACKET_SIZE = 32_767;
export const DEFAULT_PACKET_SIZE = 4096;

export interface PacketHeader {
  type: number;
  status: number;
  length: number;
  spid: number;
  packetId: number;
  window: number;
}

/** Reads a packet header; throws NotEnoughData when fewer than 8 bytes are present. */
export function readPacketHeader(buffer: Buffer, offset: number): ReadResult<PacketHeader> {
  let type, status, length, spid, packetId, window;
  ({ value: type, offset } = readUInt8(buffer, offset));
  ({ value: status, offset } = readUInt8(buffer, offset));
  ({ value: length, offset } = readUInt16BE(buffer, offset));
  ({ value: spid, offset } = readUInt16BE(buffer, offset));
  ({ value: packetId, offset } = readUInt8(buffer, offset));
  ({ value: window, offset } = readUInt8(buffer, offset));
  return { value: { type, status, length, spid, packetId, window }, offset };
}

export function writePacketHeader(header: PacketHeader): Buffer {
  const buffer = Buffer.alloc(PACKET_HEADER_LENGTH);
  buffer.writeUInt8(header.type, 0);
  buffer.writeUInt8(header.status, 1);
  buffer.writeUInt16BE(header.length, 2);
  buffer.writeUInt16BE(header.spid, 4);
  buffer.writeUInt8(header.packetId % 256, 6);
  buffer.writeUInt8(header.window, 7);
  return buffer;
}

/** Frames one message as packets of at most `packetSize` bytes; the last carries EndOfMessage. */
export function framePackets(type: number, payload: Buffer, packetSize: number, spid = 0, firstPacketId = 1): Buffer[] {
  const room = packetSize - PACKET_HEADER_LENGTH;
  const packets: Buffer[] = [];
  let packetId = firstPacketId;
  for (let start = 0; start < payload.length || packets.length === 0; start += room) {
    const chunk = payload.subarray(start, start + room);
    const last = start + room >= payload.length;
    const header = writePacketHeader({
      type, status: last ? PacketStatus.EndOfMessage : PacketStatus.Normal,
      length: PACKET_HEADER_LENGTH + chunk.length, spid, packetId: packetId++, window: 0,
    });
    packets.push(Buffer.concat([header, chunk]));
  }
  return packets;
}
