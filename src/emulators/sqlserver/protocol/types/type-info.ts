/**
 * TYPE_INFO (MS-TDS 2.2.5.6): how a parameter's or column's type is described on the wire.
 * `readTypeInfo` maps what a client sends (RPC parameters, bulk-load columns) onto the SqlType
 * model; `writeTypeInfo` describes a result column or output parameter with the nullable
 * variants (INTN, FLTN, …). wire-type.ts picks the fixed-length types for NOT NULL columns and
 * the down-level substitutes for old TDS versions.
 */
import { BufferWriter } from '../buffer-writer';
import { readBVarChar, readUInt16LE, readUInt32LE, readUInt8, readUsVarChar, ReadResult } from '../buffer-readers';
import { DataTypeId, USHORT_MAX } from './data-type-ids';
import { collationInfo } from './code-page';
import { MAX_LENGTH, SqlType, SqlTypeName, VARIANT } from '../../sql-type';

/** 2.2.5.4.3: the largest sql_variant, announced in TYPE_INFO (variant.ts writes the values). */
const VARIANT_MAX_LENGTH = 8016;

/** How a value of the type is length-prefixed (2.2.5.2). */
export type LengthKind = 'fixed' | 'byte' | 'ushort' | 'long' | 'plp';

export interface TypeInfo {
  id: number;
  sqlType: SqlType;
  lengthKind: LengthKind;
  /** Byte length: of the value for fixed types, the declared maximum otherwise. */
  length: number;
  collation?: Buffer;
}

export class UnsupportedTypeError extends Error {}

const FIXED: Record<number, [SqlTypeName, number]> = {
  [DataTypeId.Null]: ['int', 0], [DataTypeId.Int1]: ['tinyint', 1], [DataTypeId.Bit]: ['bit', 1],
  [DataTypeId.Int2]: ['smallint', 2], [DataTypeId.Int4]: ['int', 4], [DataTypeId.DateTim4]: ['smalldatetime', 4],
  [DataTypeId.Flt4]: ['real', 4], [DataTypeId.Money]: ['money', 8], [DataTypeId.DateTime]: ['datetime', 8],
  [DataTypeId.Flt8]: ['float', 8], [DataTypeId.Money4]: ['smallmoney', 4], [DataTypeId.Int8]: ['bigint', 8],
};

const BY_LENGTH: Record<number, Record<number, SqlTypeName>> = {
  [DataTypeId.IntN]: { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' },
  [DataTypeId.FltN]: { 4: 'real', 8: 'float' },
  [DataTypeId.MoneyN]: { 4: 'smallmoney', 8: 'money' },
  [DataTypeId.DateTimN]: { 4: 'smalldatetime', 8: 'datetime' },
  [DataTypeId.BitN]: { 1: 'bit' },
  [DataTypeId.Guid]: { 16: 'uniqueidentifier' },
};

const STRINGS: Record<number, [SqlTypeName, boolean, boolean]> = {
  // id: [type, unicode, has collation]
  [DataTypeId.BigVarChar]: ['varchar', false, true], [DataTypeId.BigChar]: ['char', false, true],
  [DataTypeId.NVarChar]: ['nvarchar', true, true], [DataTypeId.NChar]: ['nchar', true, true],
  [DataTypeId.BigVarBinary]: ['varbinary', false, false], [DataTypeId.BigBinary]: ['binary', false, false],
};

export function readTypeInfo(buffer: Buffer, start: number): ReadResult<TypeInfo> {
  const idRead = readUInt8(buffer, start);
  const id = idRead.value;
  let offset = idRead.offset;
  const fixed = FIXED[id];
  if (fixed) return { value: { id, sqlType: { name: fixed[0] }, lengthKind: 'fixed', length: fixed[1] }, offset };
  const byLength = BY_LENGTH[id];
  if (byLength) {
    let length;
    ({ value: length, offset } = readUInt8(buffer, offset));
    const name = byLength[length] ?? (id === DataTypeId.Guid ? 'uniqueidentifier' : undefined);
    if (!name) throw new RangeError(`Type 0x${id.toString(16)} cannot have length ${length}.`);
    return { value: { id, sqlType: { name }, lengthKind: 'byte', length }, offset };
  }
  return readOtherTypeInfo(buffer, id, offset);
}

function readOtherTypeInfo(buffer: Buffer, id: number, start: number): ReadResult<TypeInfo> {
  let offset = start;
  switch (id) {
    case DataTypeId.DecimalN: case DataTypeId.NumericN: case DataTypeId.Decimal: case DataTypeId.Numeric: {
      const length = readUInt8(buffer, offset);
      const precision = readUInt8(buffer, length.offset);
      const scale = readUInt8(buffer, precision.offset);
      const name = id === DataTypeId.NumericN || id === DataTypeId.Numeric ? 'numeric' : 'decimal';
      const sqlType: SqlType = { name, precision: precision.value, scale: scale.value };
      return { value: { id, sqlType, lengthKind: 'byte', length: length.value }, offset: scale.offset };
    }
    case DataTypeId.DateN:
      return { value: { id, sqlType: { name: 'date' }, lengthKind: 'byte', length: 3 }, offset };
    case DataTypeId.TimeN: case DataTypeId.DateTime2N: case DataTypeId.DateTimeOffsetN: {
      const scale = readUInt8(buffer, offset);
      const name = id === DataTypeId.TimeN ? 'time' : id === DataTypeId.DateTime2N ? 'datetime2' : 'datetimeoffset';
      if (scale.value > 7) throw new RangeError(`A ${name} scale of ${scale.value} is above 7.`);
      return { value: { id, sqlType: { name, scale: scale.value }, lengthKind: 'byte', length: 0 }, offset: scale.offset };
    }
    case DataTypeId.Text: case DataTypeId.NText: case DataTypeId.Image: {
      let length;
      ({ value: length, offset } = readUInt32LE(buffer, offset));
      let collation: Buffer | undefined;
      if (id !== DataTypeId.Image) ({ value: collation, offset } = readCollation(buffer, offset));
      const name = id === DataTypeId.Text ? 'text' : id === DataTypeId.NText ? 'ntext' : 'image';
      return { value: { id, sqlType: { name, length: MAX_LENGTH }, lengthKind: 'long', length, collation }, offset };
    }
    case DataTypeId.SsVariant: {
      // 2.2.5.4.3: LONGLEN maximum; each value then names its own base type (variant-read.ts).
      let length;
      ({ value: length, offset } = readUInt32LE(buffer, offset));
      return { value: { id, sqlType: { ...VARIANT }, lengthKind: 'long', length }, offset };
    }
    case DataTypeId.Xml: {
      let schemaPresent;
      ({ value: schemaPresent, offset } = readUInt8(buffer, offset));
      if (schemaPresent) {
        offset = readBVarChar(buffer, offset).offset;
        offset = readBVarChar(buffer, offset).offset;
        offset = readUsVarChar(buffer, offset).offset;
      }
      return { value: { id, sqlType: { name: 'xml', length: MAX_LENGTH }, lengthKind: 'plp', length: 0 }, offset };
    }
    default:
      return readStringTypeInfo(buffer, id, offset);
  }
}

function readStringTypeInfo(buffer: Buffer, id: number, start: number): ReadResult<TypeInfo> {
  let offset = start;
  const known = STRINGS[id];
  if (!known) {
    const what = id === DataTypeId.Tvp ? 'table-valued parameters' : id === DataTypeId.Udt ? 'CLR user-defined types'
      : `data type 0x${id.toString(16).padStart(2, '0')}`;
    throw new UnsupportedTypeError(`The SQL Server stand-in does not support ${what}.`);
  }
  const [name, unicode, hasCollation] = known;
  const lengthRead = readUInt16LE(buffer, offset);
  const length = lengthRead.value;
  offset = lengthRead.offset;
  let collation: Buffer | undefined;
  if (hasCollation) ({ value: collation, offset } = readCollation(buffer, offset));
  const max = length === USHORT_MAX;
  const sqlType: SqlType = { name, length: max ? MAX_LENGTH : unicode ? length / 2 : length };
  return { value: { id, sqlType, lengthKind: max ? 'plp' : 'ushort', length, collation }, offset };
}

function readCollation(buffer: Buffer, offset: number): ReadResult<Buffer> {
  if (offset + 5 > buffer.length) readUInt32LE(buffer, buffer.length); // throws NotEnoughData
  return { value: buffer.subarray(offset, offset + 5), offset: offset + 5 };
}

const MAX_DECIMAL_LENGTH = 17;

/** Byte length of a decimal/numeric value for a precision (2.2.5.5.1.6). */
export function decimalLength(precision: number): number {
  return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
}

/** Byte length of a time value for a scale (2.2.5.5.1.8). */
export function timeLength(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

const INTEGER_LENGTHS: Partial<Record<SqlTypeName, number>> = { tinyint: 1, smallint: 2, int: 4, bigint: 8 };

/** Writes the TYPE_INFO SQL Server sends for a result column or output parameter of `type`. */
export function writeTypeInfo(writer: BufferWriter, type: SqlType): void {
  if (type.variant) return void writer.uint8(DataTypeId.SsVariant).uint32le(VARIANT_MAX_LENGTH);
  const integer = INTEGER_LENGTHS[type.name];
  if (integer) return void writer.uint8(DataTypeId.IntN).uint8(integer);
  switch (type.name) {
    case 'bit': return void writer.uint8(DataTypeId.BitN).uint8(1);
    case 'real': return void writer.uint8(DataTypeId.FltN).uint8(4);
    case 'float': return void writer.uint8(DataTypeId.FltN).uint8(8);
    case 'money': return void writer.uint8(DataTypeId.MoneyN).uint8(8);
    case 'smallmoney': return void writer.uint8(DataTypeId.MoneyN).uint8(4);
    case 'datetime': return void writer.uint8(DataTypeId.DateTimN).uint8(8);
    case 'smalldatetime': return void writer.uint8(DataTypeId.DateTimN).uint8(4);
    case 'uniqueidentifier': return void writer.uint8(DataTypeId.Guid).uint8(16);
    case 'date': return void writer.uint8(DataTypeId.DateN);
    case 'time': return void writer.uint8(DataTypeId.TimeN).uint8(type.scale ?? 7);
    case 'datetime2': return void writer.uint8(DataTypeId.DateTime2N).uint8(type.scale ?? 7);
    case 'datetimeoffset': return void writer.uint8(DataTypeId.DateTimeOffsetN).uint8(type.scale ?? 7);
    case 'decimal': case 'numeric': {
      const precision = type.precision ?? 18;
      // SQL Server announces the largest decimal (17 bytes) whatever the precision; each value's
      // own length byte then says 5, 9, 13 or 17. SqlClient's bulk copy writes 17-byte values.
      return void writer.uint8(type.name === 'decimal' ? DataTypeId.DecimalN : DataTypeId.NumericN)
        .uint8(MAX_DECIMAL_LENGTH).uint8(precision).uint8(type.scale ?? 0);
    }
    case 'rowversion': return void writer.uint8(DataTypeId.BigBinary).uint16le(8);
    default: return writeStringTypeInfo(writer, type);
  }
}

function writeStringTypeInfo(writer: BufferWriter, type: SqlType): void {
  const max = type.length === MAX_LENGTH || type.length === undefined;
  switch (type.name) {
    case 'char': case 'varchar': case 'text':
      writer.uint8(type.name === 'char' ? DataTypeId.BigChar : DataTypeId.BigVarChar);
      writer.uint16le(max || type.name === 'text' ? USHORT_MAX : type.length!);
      return void writer.bytes(collationInfo(type.collation).bytes);
    case 'nchar': case 'nvarchar': case 'ntext': case 'xml':
      writer.uint8(type.name === 'nchar' ? DataTypeId.NChar : DataTypeId.NVarChar);
      writer.uint16le(max || type.name === 'ntext' || type.name === 'xml' ? USHORT_MAX : type.length! * 2);
      return void writer.bytes(collationInfo(type.collation).bytes);
    default:
      writer.uint8(type.name === 'binary' ? DataTypeId.BigBinary : DataTypeId.BigVarBinary);
      return void writer.uint16le(max || type.name === 'image' ? USHORT_MAX : type.length!);
  }
}

/** True when values of the type travel as PLP chunks (the (max) types). */
export function isPlpType(type: SqlType): boolean {
  if (type.name === 'text' || type.name === 'ntext' || type.name === 'xml' || type.name === 'image') return true;
  const variable = ['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary'].includes(type.name);
  return variable && (type.length === MAX_LENGTH || type.length === undefined);
}
