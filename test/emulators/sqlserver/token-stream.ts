/**
 * Reads a response message's tokens with the stand-in's own TDS readers (readTypeInfo,
 * readValue), independently of any driver, so tests can see exactly which wire type and layout
 * the stand-in chose for a client version: COLMETADATA, ROW, DONE*, ENVCHANGE, ERROR/INFO and
 * LOGINACK. Legacy LOB values (text/ntext/image with TEXTPTR) are read here, since requests
 * never carry them in that form.
 */
import { readBVarChar, readUInt16LE, readUInt32LE, readUInt8, readUsVarChar } from '../../../src/emulators/sqlserver/protocol/buffer-readers';
import { readTypeInfo, TypeInfo } from '../../../src/emulators/sqlserver/protocol/types/type-info';
import { readValue } from '../../../src/emulators/sqlserver/protocol/types/value-read';
import { DataTypeId } from '../../../src/emulators/sqlserver/protocol/types/data-type-ids';
import { TokenType } from '../../../src/emulators/sqlserver/protocol/tokens/token-type';
import { hasPlpAndHeaders } from '../../../src/emulators/sqlserver/protocol/tds-version';
import type { StoredValue } from '../../../src/emulators/sqlserver/sql-type';

export interface ColumnRead { name: string; typeId: number; info: TypeInfo; nullable: boolean; userType: number }
export type TokenRead =
  | { kind: 'columns'; columns: ColumnRead[] }
  | { kind: 'row'; values: StoredValue[] }
  | { kind: 'done'; token: number; status: number; rowCount: bigint }
  | { kind: 'message'; token: number; number: number; message: string; line: number }
  | { kind: 'envchange'; type: number }
  | { kind: 'loginack'; tdsVersion: number }
  | { kind: 'other'; token: number };

const LEGACY_LOBS = new Set<number>([DataTypeId.Text, DataTypeId.NText, DataTypeId.Image]);

export function readTokens(payload: Buffer, tdsVersion = 0x74000004): TokenRead[] {
  const tokens: TokenRead[] = [];
  let columns: ColumnRead[] = [];
  let offset = 0;
  const newLayout = hasPlpAndHeaders(tdsVersion);
  while (offset < payload.length) {
    const token = payload[offset++];
    switch (token) {
      case TokenType.ColMetadata: {
        const count = readUInt16LE(payload, offset);
        offset = count.offset;
        columns = [];
        for (let i = 0; i < count.value; i++) {
          const userType = newLayout ? readUInt32LE(payload, offset) : readUInt16LE(payload, offset);
          const flags = readUInt16LE(payload, userType.offset);
          const info = readTypeInfo(payload, flags.offset);
          offset = info.offset;
          if (LEGACY_LOBS.has(info.value.id)) {
            if (newLayout) {
              const parts = readUInt8(payload, offset);
              offset = parts.offset;
              for (let p = 0; p < parts.value; p++) offset = readUsVarChar(payload, offset).offset;
            } else offset = readUsVarChar(payload, offset).offset;
          }
          const name = readBVarChar(payload, offset);
          offset = name.offset;
          columns.push({ name: name.value, typeId: info.value.id, info: info.value, nullable: (flags.value & 1) === 1, userType: userType.value });
        }
        tokens.push({ kind: 'columns', columns });
        break;
      }
      case TokenType.Row: {
        const values: StoredValue[] = [];
        for (const column of columns) {
          if (LEGACY_LOBS.has(column.typeId)) {
            const pointer = readUInt8(payload, offset);
            offset = pointer.offset;
            if (pointer.value === 0) { values.push(null); continue; }
            offset += pointer.value + 8;
            const length = readUInt32LE(payload, offset);
            const bytes = payload.subarray(length.offset, length.offset + length.value);
            offset = length.offset + length.value;
            values.push(column.typeId === DataTypeId.NText ? bytes.toString('ucs2') : column.typeId === DataTypeId.Text ? bytes.toString('latin1') : Buffer.from(bytes));
            continue;
          }
          const value = readValue(payload, offset, column.info);
          values.push(value.value);
          offset = value.offset;
        }
        tokens.push({ kind: 'row', values });
        break;
      }
      case TokenType.Done: case TokenType.DoneProc: case TokenType.DoneInProc: {
        const status = readUInt16LE(payload, offset);
        const rowCount = newLayout ? payload.readBigUInt64LE(status.offset + 2) : BigInt(payload.readUInt32LE(status.offset + 2));
        offset = status.offset + 2 + (newLayout ? 8 : 4);
        tokens.push({ kind: 'done', token, status: status.value, rowCount });
        break;
      }
      case TokenType.Error: case TokenType.Info: {
        const length = readUInt16LE(payload, offset);
        const end = length.offset + length.value;
        const number = payload.readInt32LE(length.offset);
        const message = readUsVarChar(payload, length.offset + 6);
        let at = readBVarChar(payload, message.offset).offset;
        at = readBVarChar(payload, at).offset;
        const line = newLayout ? payload.readInt32LE(at) : payload.readUInt16LE(at);
        if (at + (newLayout ? 4 : 2) !== end) throw new Error(`A message token's length (${length.value}) does not match its fields.`);
        tokens.push({ kind: 'message', token, number, message: message.value, line });
        offset = end;
        break;
      }
      case TokenType.LoginAck: {
        const length = readUInt16LE(payload, offset);
        tokens.push({ kind: 'loginack', tdsVersion: payload.readUInt32BE(length.offset + 1) });
        offset = length.offset + length.value;
        break;
      }
      case TokenType.EnvChange: {
        const length = readUInt16LE(payload, offset);
        tokens.push({ kind: 'envchange', type: payload[length.offset] });
        offset = length.offset + length.value;
        break;
      }
      case TokenType.ReturnStatus: offset += 4; tokens.push({ kind: 'other', token }); break;
      default: throw new Error(`Token 0x${token.toString(16)} at ${offset - 1} is not one this reader knows.`);
    }
  }
  return tokens;
}
