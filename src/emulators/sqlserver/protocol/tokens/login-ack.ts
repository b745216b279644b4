/**
 * LOGINACK (MS-TDS 2.2.7.14): the login succeeded; interface, negotiated TDS version (big-endian
 * here, unlike LOGIN7), program name and version.
 */
import { BufferWriter } from '../buffer-writer';
import { TokenType } from './token-type';
import { TdsVersion } from '../tds-version';

export { TdsVersion };

/** 2.2.7.14 Interface: SQL_TSQL. */
export const INTERFACE_TSQL = 1;

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
