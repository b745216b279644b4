/**
 * LOGINACK (MS-TDS 2.2.7.14): the login succeeded; interface, negotiated TDS version (big-endian
 * here, unlike LOGIN7), program name and version.
 */
import { BufferWriter } from '../buffer-writer';
import { TokenType } from './token-type';

/** 2.2.7.14 Interface: SQL_TSQL. */
export const INTERFACE_TSQL = 1;

/** TDS versions (2.2.6.4 TDSVersion) a client may ask for, and what the stand-in answers. */
export const TdsVersion = {
  V7_1: 0x71000001,
  V7_2: 0x72090002,
  V7_3A: 0x730a0003,
  V7_3B: 0x730b0003,
  V7_4: 0x74000004,
} as const;

export interface LoginAck {
  tdsVersion: number;
  programName: string;
  version: { major: number; minor: number; buildHigh: number; buildLow: number };
}

export function writeLoginAck(ack: LoginAck): Buffer {
  const body = new BufferWriter(64)
    .uint8(INTERFACE_TSQL).uint32be(ack.tdsVersion).bVarChar(ack.programName)
    .uint8(ack.version.major).uint8(ack.version.minor).uint8(ack.version.buildHigh).uint8(ack.version.buildLow)
    .toBuffer();
  return new BufferWriter(body.length + 3).uint8(TokenType.LoginAck).uint16le(body.length).bytes(body).toBuffer();
}
