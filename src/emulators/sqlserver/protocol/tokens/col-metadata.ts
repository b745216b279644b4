/**
 * COLMETADATA (MS-TDS 2.2.7.4): describes the columns of the rows that follow — user type
 * (USHORT before TDS 7.2, ULONG after), flags, TYPE_INFO and name for each. The TYPE_INFO is
 * the column's wire type for the client's version and the column's nullability (wire-type.ts);
 * ROW tokens must be written with the same wire types (`wireColumns`).
 */
import { BufferWriter } from '../buffer-writer';
import { WireType, wireTypeOf, writeWireTypeInfo } from '../types/wire-type';
import { hasPlpAndHeaders, LATEST_TDS_VERSION } from '../tds-version';
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

/** The wire type of each column for a client at `tdsVersion`. */
export function wireColumns(columns: ResultColumn[], tdsVersion: number = LATEST_TDS_VERSION): WireType[] {
  return columns.map((column) => wireTypeOf(column.type, column.nullable, tdsVersion));
}

export function writeColMetadata(columns: ResultColumn[], tdsVersion: number = LATEST_TDS_VERSION): Buffer {
  const writer = new BufferWriter(32 + columns.length * 32);
  writer.uint8(TokenType.ColMetadata).uint16le(columns.length);
  const wires = wireColumns(columns, tdsVersion);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    const userType = column.type.name === 'rowversion' ? USER_TYPE_TIMESTAMP : 0;
    if (hasPlpAndHeaders(tdsVersion)) writer.uint32le(userType);
    else writer.uint16le(userType);
    let flags = column.nullable ? ColumnFlags.Nullable : 0;
    if (!column.readOnly && !column.identity) flags |= ColumnFlags.Updateable;
    if (column.identity) flags |= ColumnFlags.Identity;
    writer.uint16le(flags);
    writeWireTypeInfo(writer, wires[i], tdsVersion, true);
    writer.bVarChar(column.name);
  }
  return writer.toBuffer();
}
