/**
 * ERROR and INFO (MS-TDS 2.2.7.10, 2.2.7.13): number, state, class (severity), message, server
 * and procedure name, line number. Classes 11–16 are user errors; 20 and above end the connection.
 */
import { BufferWriter } from '../buffer-writer';
import { TokenType } from './token-type';
import { hasPlpAndHeaders, LATEST_TDS_VERSION } from '../tds-version';

export interface ServerMessage {
  number: number;
  state: number;
  /** Severity: 0–10 informational (INFO), 11+ errors (ERROR). */
  severity: number;
  message: string;
  serverName: string;
  procName: string;
  lineNumber: number;
}

/** The line number is a USHORT before TDS 7.2 and a LONG after. */
export function writeServerMessage(message: ServerMessage, tdsVersion: number = LATEST_TDS_VERSION): Buffer {
  const writer = new BufferWriter(64 + message.message.length * 2)
    .int32le(message.number).uint8(message.state).uint8(message.severity)
    .usVarChar(message.message).bVarChar(message.serverName).bVarChar(message.procName);
  if (hasPlpAndHeaders(tdsVersion)) writer.int32le(message.lineNumber);
  else writer.uint16le(Math.min(0xffff, Math.max(0, message.lineNumber)));
  const body = writer.toBuffer();
  const token = message.severity > 10 ? TokenType.Error : TokenType.Info;
  return new BufferWriter(body.length + 3).uint8(token).uint16le(body.length).bytes(body).toBuffer();
}
