/**
 * COLMETADATA (MS-TDS 2.2.7.4): describes the columns of the rows that follow — user type,
 * flags, TYPE_INFO and name for each.
 */
import { BufferWriter } from '../buffer-writer';
import { writeTypeInfo } from '../types/type-info';
import { TokenType } from './token-type';
import type { SqlType } from '../../sql-type';

/** 2.2.7.4 Flags bits. */
export const ColumnFlags = {
  Nullable: 0x0001,
  CaseSensitive: 0x0002,
  /** usUpdateable = 1 (read/write); 2 << 2 would be "unknown". */
  Updateable: 0x0004,
  Identity: 0x0010,
  Computed: 0x0020,
} as const;

export interface ResultColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: boolean;
  readOnly?: boolean;
}

/** 2.2.7.4 UserType of a timestamp/rowversion column. */
const USER_TYPE_TIMESTAMP = 0x0050;

export function writeColMetadata(columns: ResultColumn[]): Buffer {
  const writer = new BufferWriter(32 + columns.length * 32);
  writer.uint8(TokenType.ColMetadata).uint16le(columns.length);
  for (const column of columns) {
    writer.uint32le(column.type.name === 'rowversion' ? USER_TYPE_TIMESTAMP : 0);
    let flags = column.nullable ? ColumnFlags.Nullable : 0;
    if (!column.readOnly && !column.identity) flags |= ColumnFlags.Updateable;
    if (column.identity) flags |= ColumnFlags.Identity;
    writer.uint16le(flags);
    writeTypeInfo(writer, column.type);
    writer.bVarChar(column.name);
  }
  return writer.toBuffer();
}
