/**
 * Table-valued parameters on the wire (MS-TDS 2.2.5.5.5 TVP_TYPE_INFO and the TVP value that
 * follows it in an RPC parameter): the type's name parts, TVP_COLMETADATA (a count, or
 * TVP_NULL_TOKEN, then per column UserType, Flags, TYPE_INFO and an empty ColName), the optional
 * TVP_ORDER_UNIQUE and TVP_COLUMN_ORDERING tokens, TVP_END_TOKEN, then TVP_ROW tokens each with
 * one value per column — except columns flagged fDefault, which carry none — and TVP_END_TOKEN.
 */
import { readBVarChar, readUInt16LE, readUInt32LE, readUInt8, ReadResult } from '../buffer-readers';
import { USHORT_MAX } from './data-type-ids';
import type { TypeInfo } from './type-info';
import type { StoredValue } from '../../sql-type';

/** 2.2.5.5.5.x token values. */
const TvpToken = { End: 0x00, Row: 0x01, OrderUnique: 0x10, ColumnOrdering: 0x11 } as const;
/** TVP_COLMETADATA Flags: fDefault (bit 9) — the column takes its default, no value is sent. */
const F_DEFAULT = 0x0200;

/** The three-part name of the table type (TVP_TYPE_INFO): database, schema, type. */
export interface TvpTypeName {
  database: string;
  schema: string;
  name: string;
}

export interface TvpColumn {
  typeInfo: TypeInfo;
  /** fDefault: the column's value is its default in every row. */
  useDefault: boolean;
}

export interface TvpValue {
  columns: TvpColumn[];
  /** One value per column; columns flagged fDefault hold null here. */
  rows: StoredValue[][];
}

export function readTvpTypeName(buffer: Buffer, start: number): ReadResult<TvpTypeName> {
  const database = readBVarChar(buffer, start);
  const schema = readBVarChar(buffer, database.offset);
  const name = readBVarChar(buffer, schema.offset);
  return { value: { database: database.value, schema: schema.value, name: name.value }, offset: name.offset };
}

type TypeInfoReader = (buffer: Buffer, offset: number) => ReadResult<TypeInfo>;
type ValueReader = (buffer: Buffer, offset: number, info: TypeInfo) => ReadResult<StoredValue>;

/** The TVP value: null for TVP_NULL_TOKEN (no table at all, which SQL Server treats as an empty one). */
export function readTvpValue(buffer: Buffer, start: number, readTypeInfo: TypeInfoReader, readValue: ValueReader): ReadResult<TvpValue | null> {
  const countRead = readUInt16LE(buffer, start);
  const count = countRead.value;
  let offset = countRead.offset;
  const columns: TvpColumn[] = [];
  if (count !== USHORT_MAX) {
    for (let i = 0; i < count; i++) {
      offset = readUInt32LE(buffer, offset).offset; // UserType
      let flags, typeInfo;
      ({ value: flags, offset } = readUInt16LE(buffer, offset));
      ({ value: typeInfo, offset } = readTypeInfo(buffer, offset));
      offset = readBVarChar(buffer, offset).offset; // ColName: always empty
      columns.push({ typeInfo, useDefault: (flags & F_DEFAULT) !== 0 });
    }
  }
  offset = skipOptionalMetadata(buffer, offset);
  const rows: StoredValue[][] = [];
  for (;;) {
    let token;
    ({ value: token, offset } = readUInt8(buffer, offset));
    if (token === TvpToken.End) break;
    if (token !== TvpToken.Row) throw new RangeError(`A table-valued parameter has the unknown token 0x${token.toString(16)} where a row or its end belongs.`);
    const row: StoredValue[] = [];
    for (const column of columns) {
      if (column.useDefault) {
        row.push(null);
        continue;
      }
      let value;
      ({ value, offset } = readValue(buffer, offset, column.typeInfo));
      row.push(value);
    }
    rows.push(row);
  }
  return { value: count === USHORT_MAX ? null : { columns, rows }, offset };
}

/** TVP_ORDER_UNIQUE and TVP_COLUMN_ORDERING describe an order the server may rely on; the stand-in need not. */
function skipOptionalMetadata(buffer: Buffer, start: number): number {
  let offset = start;
  for (;;) {
    const { value: token, offset: next } = readUInt8(buffer, offset);
    if (token === TvpToken.End) return next;
    let count;
    ({ value: count, offset } = readUInt16LE(buffer, next));
    if (token === TvpToken.OrderUnique) offset += count * 3; // ColNum USHORT + Flags BYTE
    else if (token === TvpToken.ColumnOrdering) offset += count * 2; // ColNum USHORT
    else throw new RangeError(`A table-valued parameter has the unknown metadata token 0x${token.toString(16)}.`);
  }
}
