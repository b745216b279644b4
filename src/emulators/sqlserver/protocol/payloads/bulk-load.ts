/**
 * BULK_LOAD (MS-TDS 2.2.6.1): the rows of an `INSERT BULK` statement as a token stream — one
 * COLMETADATA describing the client's columns, ROW tokens, then DONE. Values use the same
 * formats as RPC parameters, except that text/ntext/image carry a text pointer and timestamp.
 */
import { readBVarChar, readBytes, readUInt16LE, readUInt32LE, readUInt8, readUsVarChar } from '../buffer-readers';
import { readTypeInfo, TypeInfo } from '../types/type-info';
import { readValue } from '../types/value-read';
import { TokenType } from '../tokens/token-type';
import { ColumnFlags } from '../tokens/col-metadata';
import { DataTypeId } from '../types/data-type-ids';
import type { StoredValue } from '../../sql-type';
import { hasPlpAndHeaders, LATEST_TDS_VERSION } from '../tds-version';

export interface BulkColumn {
  name: string;
  nullable: boolean;
  typeInfo: TypeInfo;
}

export interface BulkLoad {
  columns: BulkColumn[];
  rows: StoredValue[][];
}

const TEXT_TYPES = new Set<number>([DataTypeId.Text, DataTypeId.NText, DataTypeId.Image]);

/** `tdsVersion`: before 7.2 a column's UserType is a USHORT, after a ULONG. */
export function readBulkLoad(payload: Buffer, tdsVersion: number = LATEST_TDS_VERSION): BulkLoad {
  let offset = 0;
  const columns: BulkColumn[] = [];
  const rows: StoredValue[][] = [];
  while (offset < payload.length) {
    let token;
    ({ value: token, offset } = readUInt8(payload, offset));
    if (token === TokenType.ColMetadata) {
      columns.length = 0;
      offset = readColumns(payload, offset, columns, hasPlpAndHeaders(tdsVersion) ? 4 : 2);
    } else if (token === TokenType.Row) {
      const row = readRow(payload, offset, columns);
      rows.push(row.value);
      offset = row.offset;
    } else if (token === TokenType.Done) {
      break;
    } else {
      throw new RangeError(`Unexpected token 0x${token.toString(16)} in a bulk load.`);
    }
  }
  return { columns, rows };
}

function readRow(payload: Buffer, start: number, columns: BulkColumn[]): { value: StoredValue[]; offset: number } {
  let offset = start;
  const values: StoredValue[] = [];
  for (const column of columns) {
    if (TEXT_TYPES.has(column.typeInfo.id)) {
      // A text pointer (B_VARBYTE) and an 8-byte timestamp precede text values; no pointer means NULL.
      const { value: pointerLength, offset: afterLength } = readUInt8(payload, offset);
      if (pointerLength === 0) {
        values.push(null);
        offset = afterLength;
        continue;
      }
      offset = readBytes(payload, afterLength, pointerLength + 8).offset;
    }
    let value;
    ({ value, offset } = readValue(payload, offset, column.typeInfo));
    values.push(value);
  }
  return { value: values, offset };
}

function readColumns(payload: Buffer, start: number, columns: BulkColumn[], userTypeBytes: number): number {
  let offset = start;
  const countRead = readUInt16LE(payload, offset);
  const count = countRead.value;
  offset = countRead.offset;
  for (let i = 0; i < count; i++) {
    let flags, typeInfo, name;
    offset = userTypeBytes === 4 ? readUInt32LE(payload, offset).offset : readUInt16LE(payload, offset).offset; // UserType
    ({ value: flags, offset } = readUInt16LE(payload, offset));
    ({ value: typeInfo, offset } = readTypeInfo(payload, offset));
    if (TEXT_TYPES.has(typeInfo.id)) offset = readUsVarChar(payload, offset).offset; // table name
    ({ value: name, offset } = readBVarChar(payload, offset));
    columns.push({ name, nullable: (flags & ColumnFlags.Nullable) !== 0, typeInfo });
  }
  return offset;
}
