/**
 * ENVCHANGE (MS-TDS 2.2.7.9): tells the client that the database, language, packet size,
 * collation or transaction state changed. Transaction changes carry the 8-byte descriptor the
 * client must send back in ALL_HEADERS.
 */
import { BufferWriter } from '../buffer-writer';
import { TokenType } from './token-type';

/** 2.2.7.9 Type values. */
export const EnvChangeType = {
  Database: 1,
  Language: 2,
  CharacterSet: 3,
  PacketSize: 4,
  SqlCollation: 7,
  BeginTransaction: 8,
  CommitTransaction: 9,
  RollbackTransaction: 10,
  ResetConnectionAck: 18,
} as const;

function envChange(type: number, body: (writer: BufferWriter) => void): Buffer {
  const inner = new BufferWriter(64);
  inner.uint8(type);
  body(inner);
  const data = inner.toBuffer();
  return new BufferWriter(data.length + 3).uint8(TokenType.EnvChange).uint16le(data.length).bytes(data).toBuffer();
}

/** Database, Language, PacketSize: new and old values as B_VARCHAR. */
export function writeTextEnvChange(type: number, newValue: string, oldValue: string): Buffer {
  return envChange(type, (w) => w.bVarChar(newValue).bVarChar(oldValue));
}

/** SqlCollation, transactions, reset ack: new and old values as B_VARBYTE. */
export function writeBinaryEnvChange(type: number, newValue: Buffer, oldValue: Buffer): Buffer {
  return envChange(type, (w) => w.bVarByte(newValue).bVarByte(oldValue));
}
