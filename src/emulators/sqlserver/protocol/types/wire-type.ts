/**
 * How a result column or output parameter is described to one client (MS-TDS 2.2.5.4, 2.2.7.4):
 * the same SqlType goes on the wire differently with the column's nullability and the TDS
 * version the client logged in with, as SQL Server sends it.
 *  - NOT NULL int, smallint, tinyint, bigint, bit, real, float, money, smallmoney, datetime and
 *    smalldatetime use the fixed-length types (INT4, BIT, FLT8, MONEY, DATETIME …, 2.2.5.4.1),
 *    whose values carry no length byte; nullable ones use INTN, BITN, FLTN, MONEYN, DATETIMN.
 *  - Before 7.3, date, time, datetime2 and datetimeoffset reach the client as nvarchar text.
 *  - Before 7.2 there is no PLP: varchar(max), nvarchar(max), varbinary(max) and xml reach the
 *    client as text, ntext and image (LONGLEN + TEXTPTR, 2.2.5.2.4).
 *  - A sql_variant holding one of the 7.3 date types reaches a 7.1/7.2 client as an nvarchar variant.
 */
import { BufferWriter } from '../buffer-writer';
import { DataTypeId } from './data-type-ids';
import { collationInfo } from './code-page';
import { isPlpType, writeTypeInfo } from './type-info';
import { writeValue } from './value-write';
import { hasNewDateTypes, hasPlpAndHeaders } from '../tds-version';
import { formatDate, formatOffset, formatTime } from '../../temporal';
import { temporalParts, textOf } from './value-write';
import type { SqlType, SqlTypeName, StoredValue } from '../../sql-type';
import { packVariant, unpackVariant } from '../../variant-value';

export type WireForm = 'nullable' | 'fixed' | 'temporalText' | 'legacyLob' | 'variantLegacyDates';

export interface WireType {
  /** The type as the client is told it (after a down-level substitution). */
  type: SqlType;
  /** The column's own type: what its stored values are read as. */
  source: SqlType;
  form: WireForm;
}

const FIXED_IDS: Partial<Record<SqlTypeName, number>> = {
  tinyint: DataTypeId.Int1, smallint: DataTypeId.Int2, int: DataTypeId.Int4, bigint: DataTypeId.Int8,
  bit: DataTypeId.Bit, real: DataTypeId.Flt4, float: DataTypeId.Flt8, money: DataTypeId.Money,
  smallmoney: DataTypeId.Money4, datetime: DataTypeId.DateTime, smalldatetime: DataTypeId.DateTim4,
};

const NEW_DATE_TYPES = new Set<SqlTypeName>(['date', 'time', 'datetime2', 'datetimeoffset']);

/** Characters of the text form of a 7.3 date/time type: 'hh:mm:ss' (+ '.' and `scale` digits). */
function temporalTextLength(type: SqlType): number {
  const scale = type.scale ?? 7;
  const time = 8 + (scale > 0 ? scale + 1 : 0);
  switch (type.name) {
    case 'date': return 10;
    case 'time': return time;
    case 'datetime2': return 11 + time;
    default: return 11 + time + 7;
  }
}

/** 2.2.5.4.3 legacy LOB type a PLP type becomes for a 7.1 client. */
function legacyLobType(type: SqlType): SqlType {
  if (type.name === 'varbinary' || type.name === 'image' || type.name === 'binary') return { name: 'image' };
  if (type.name === 'varchar' || type.name === 'char' || type.name === 'text') return { name: 'text', collation: type.collation };
  return { name: 'ntext' };
}

export function wireTypeOf(type: SqlType, nullable: boolean, tdsVersion: number): WireType {
  if (type.variant) return { type, source: type, form: hasNewDateTypes(tdsVersion) ? 'nullable' : 'variantLegacyDates' };
  if (!nullable && FIXED_IDS[type.name] !== undefined) return { type, source: type, form: 'fixed' };
  if (!hasNewDateTypes(tdsVersion) && NEW_DATE_TYPES.has(type.name)) {
    return { type: { name: 'nvarchar', length: temporalTextLength(type) }, source: type, form: 'temporalText' };
  }
  if (!hasPlpAndHeaders(tdsVersion) && isPlpType(type)) return { type: legacyLobType(type), source: type, form: 'legacyLob' };
  return { type, source: type, form: 'nullable' };
}

/** 2.2.5.4.3 LONGLEN maximum SQL Server announces for text/image (2^31-1) and ntext (2^30-1 characters). */
const TEXT_MAX_BYTES = 0x7fffffff;
const NTEXT_MAX_BYTES = 0x7ffffffe;

/**
 * TYPE_INFO of a column (`inColumnMetadata`: a legacy LOB then carries its table name, 2.2.7.4:
 * US_VARCHAR before 7.2, NumParts + parts after; the stand-in names none) or of an output parameter.
 */
export function writeWireTypeInfo(writer: BufferWriter, wire: WireType, tdsVersion: number, inColumnMetadata: boolean): void {
  if (wire.form === 'fixed') return void writer.uint8(FIXED_IDS[wire.type.name]!);
  if (wire.form !== 'legacyLob') return writeTypeInfo(writer, wire.type);
  const name = wire.type.name;
  writer.uint8(name === 'text' ? DataTypeId.Text : name === 'ntext' ? DataTypeId.NText : DataTypeId.Image);
  writer.uint32le(name === 'ntext' ? NTEXT_MAX_BYTES : TEXT_MAX_BYTES);
  if (name !== 'image') writer.bytes(collationInfo(wire.source.collation).bytes);
  if (!inColumnMetadata) return;
  if (hasPlpAndHeaders(tdsVersion)) writer.uint8(0);
  else writer.uint16le(0);
}

/** 2.2.5.2.4 TEXTPTR: any 16 bytes identify the value to the client; the timestamp is 8 more. */
const TEXT_POINTER = Buffer.alloc(16, 0xee);
const TEXT_TIMESTAMP = Buffer.alloc(8, 0);

export function writeWireValue(writer: BufferWriter, wire: WireType, value: StoredValue): void {
  switch (wire.form) {
    case 'fixed': return writeValue(writer, wire.type, value, true);
    case 'variantLegacyDates': {
      const base = unpackVariant(value);
      if (!base || !NEW_DATE_TYPES.has(base.type.name)) return writeValue(writer, wire.type, value);
      return writeValue(writer, wire.type, packVariant({ name: 'nvarchar', length: temporalTextLength(base.type) }, temporalText(base.type, base.value)));
    }
    case 'temporalText': return writeValue(writer, wire.type, value === null ? null : temporalText(wire.source, value));
    case 'legacyLob': {
      if (value === null) return void writer.uint8(0);
      const inner = new BufferWriter(64);
      // The PLP form of the same bytes: 8-byte total, one chunk, terminator; take the chunk.
      writeValue(inner, wire.source, value);
      const plp = inner.toBuffer();
      const data = plp.length > 12 ? plp.subarray(12, plp.length - 4) : Buffer.alloc(0);
      return void writer.uint8(TEXT_POINTER.length).bytes(TEXT_POINTER).bytes(TEXT_TIMESTAMP).uint32le(data.length).bytes(data);
    }
    default: return writeValue(writer, wire.type, value);
  }
}

/** The text SQL Server gives a down-level client for a date/time value: CONVERT style 121 with the type's scale. */
function temporalText(type: SqlType, value: Exclude<StoredValue, null>): string {
  const parts = temporalParts(type, typeof value === 'string' ? value : textOf(value));
  const digits = type.scale ?? 7;
  switch (type.name) {
    case 'date': return formatDate(parts.days);
    case 'time': return formatTime(parts.time, digits);
    case 'datetime2': return `${formatDate(parts.days)} ${formatTime(parts.time, digits)}`;
    default: return `${formatDate(parts.days)} ${formatTime(parts.time, digits)} ${formatOffset(parts.offset ?? 0)}`;
  }
}
