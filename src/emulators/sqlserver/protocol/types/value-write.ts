/**
 * Writes a value in the wire format of its type (MS-TDS 2.2.5.5) with the length prefix of the
 * nullable variant writeTypeInfo announced (2.2.5.2): BYTELEN, USHORTLEN or PLP — or, for a
 * NOT NULL column of a fixed-length type (`fixed`), with no prefix at all (INT4, FLT8, …), as
 * SQL Server sends it. Values arrive in the storage domain (StoredValue) and are coerced to the
 * column's type here.
 */
import { BufferWriter } from '../buffer-writer';
import { PLP_NULL, USHORT_MAX } from './data-type-ids';
import { encodeCp1252 } from './cp1252';
import { decimalLength, isPlpType, timeLength } from './type-info';
import { MAX_LENGTH, SqlType, StoredValue } from '../../sql-type';
import { DAYS_TO_1900, parseTemporal, TemporalParts, TICKS_PER_DAY, TICKS_PER_SECOND, roundForType } from '../../temporal';
import { readScaled, rescale } from '../../exact-decimal';
import { writeVariant } from './variant';
import { collationInfo, encodeForCodePage, isDoubleByte } from './code-page';

/** A stored value that cannot be shown as the column's type (e.g. text in a date column). */
export class ValueConversionError extends Error {}

export function writeValue(writer: BufferWriter, type: SqlType, value: StoredValue, fixed = false): void {
  if (type.variant) return writeVariant(writer, type, value, writeValue);
  if (fixed) {
    // A fixed-length type has no way to say NULL: refuse rather than desynchronise the client.
    if (value === null) throw new ValueConversionError(`A NULL reached a NOT NULL ${type.name} column.`);
    return writeNumberOrTemporal(new FixedWriter(writer), type, value);
  }
  if (isPlpType(type)) return writePlp(writer, value === null ? null : stringOrBinaryBytes(type, value));
  if (value === null) {
    const ushort = ['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary', 'rowversion'].includes(type.name);
    return void (ushort ? writer.uint16le(USHORT_MAX) : writer.uint8(0));
  }
  switch (type.name) {
    case 'uniqueidentifier': return void writer.uint8(16).bytes(encodeGuid(String(value)));
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'binary': case 'varbinary': case 'rowversion': {
      const bytes = stringOrBinaryBytes(type, value);
      return void writer.uint16le(bytes.length).bytes(bytes);
    }
    default: return writeNumberOrTemporal(writer, type, value);
  }
}

/**
 * The BufferWriter calls writeNumberOrTemporal makes, minus the length byte: the fixed-length
 * types (2.2.5.4.1) carry none. `uint8(length)` is always the first call of each value.
 */
class FixedWriter {
  private first = true;
  constructor(private readonly inner: BufferWriter) {}
  uint8(value: number): this { if (this.first) this.first = false; else this.inner.uint8(value); return this; }
  uint16le(value: number): this { this.inner.uint16le(value); return this; }
  int16le(value: number): this { this.inner.int16le(value); return this; }
  int32le(value: number): this { this.inner.int32le(value); return this; }
  uint32le(value: number): this { this.inner.uint32le(value); return this; }
  int64le(value: bigint): this { this.inner.int64le(value); return this; }
  floatle(value: number): this { this.inner.floatle(value); return this; }
  doublele(value: number): this { this.inner.doublele(value); return this; }
  uintle(value: number, bytes: number): this { this.inner.uintle(value, bytes); return this; }
  bytes(value: Buffer): this { this.inner.bytes(value); return this; }
}

type ValueWriter = BufferWriter | FixedWriter;

function writeNumberOrTemporal(writer: ValueWriter, type: SqlType, value: Exclude<StoredValue, null>): void {
  switch (type.name) {
    case 'tinyint': return void writer.uint8(1).uint8(Number(toBigInt(value)) & 0xff);
    case 'smallint': return void writer.uint8(2).int16le(Number(toBigInt(value)));
    case 'int': return void writer.uint8(4).int32le(Number(BigInt.asIntN(32, toBigInt(value))));
    case 'bigint': return void writer.uint8(8).int64le(BigInt.asIntN(64, toBigInt(value)));
    case 'bit': return void writer.uint8(1).uint8(truthy(value) ? 1 : 0);
    case 'real': return void writer.uint8(4).floatle(toNumber(value));
    case 'float': return void writer.uint8(8).doublele(toNumber(value));
    case 'money': {
      const scaled = scaledUnits(value, 4);
      return void writer.uint8(8).int32le(Number(BigInt.asIntN(32, scaled >> 32n))).uint32le(Number(scaled & 0xffffffffn));
    }
    case 'smallmoney': return void writer.uint8(4).int32le(Number(BigInt.asIntN(32, scaledUnits(value, 4))));
    case 'decimal': case 'numeric': return writeDecimal(writer, type, scaledUnits(value, type.scale ?? 0));
    default: return writeTemporal(writer, type, value);
  }
}

function writePlp(writer: BufferWriter, bytes: Buffer | null): void {
  if (bytes === null) return void writer.uint64le(PLP_NULL);
  writer.uint64le(BigInt(bytes.length));
  if (bytes.length > 0) writer.uint32le(bytes.length).bytes(bytes);
  writer.uint32le(0);
}

export function toBigInt(value: StoredValue): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (Buffer.isBuffer(value)) return value.length === 0 ? 0n : BigInt(`0x${value.toString('hex')}`);
  const text = String(value).trim();
  if (!/^[-+]?\d+(\.\d*)?$/.test(text)) throw new ValueConversionError(`'${text}' is not a whole number.`);
  return BigInt(text.split('.')[0]);
}

export function toNumber(value: StoredValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const number = Number(String(value).trim());
  if (Number.isNaN(number)) throw new ValueConversionError(`'${String(value)}' is not a number.`);
  return number;
}

function truthy(value: StoredValue): boolean {
  if (typeof value === 'string') return !['0', 'false', ''].includes(value.trim().toLowerCase());
  return Number(value) !== 0;
}

/** The exact value in 10^-scale units, read from a number or from the canonical text of a wide decimal. */
function scaledUnits(value: Exclude<StoredValue, null>, scale: number): bigint {
  const scaled = readScaled(value);
  if (!scaled) throw new ValueConversionError(`'${String(value)}' is not a number.`);
  return rescale(scaled, scale).units;
}

function writeDecimal(writer: ValueWriter, type: SqlType, units: bigint): void {
  const precision = type.precision ?? 18;
  const length = decimalLength(precision);
  let scaled = units < 0n ? -units : units;
  writer.uint8(length).uint8(units < 0n ? 0 : 1);
  for (let i = 0; i < length - 1; i++) {
    writer.uint8(Number(scaled & 0xffn));
    scaled >>= 8n;
  }
}

/** 2.2.5.5.1.5 (GUID): the first three groups little-endian. */
export function encodeGuid(text: string): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new ValueConversionError(`'${text}' is not a uniqueidentifier.`);
  const bytes = Buffer.from(hex, 'hex');
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

function stringOrBinaryBytes(type: SqlType, value: StoredValue): Buffer {
  switch (type.name) {
    case 'char': case 'varchar': case 'text': return encodeForCodePage(padded(type, textOf(value)), collationInfo(type.collation).codePage);
    case 'nchar': case 'nvarchar': case 'ntext': case 'xml': return Buffer.from(padded(type, textOf(value)), 'ucs2');
    case 'rowversion': {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64BE(BigInt.asUintN(64, toBigInt(value)));
      return bytes;
    }
    default: {
      const bytes = Buffer.isBuffer(value) ? value : typeof value === 'string' ? encodeCp1252(value) : bigintBytes(toBigInt(value));
      if (type.name !== 'binary' || type.length === undefined || type.length === MAX_LENGTH || bytes.length >= type.length) return bytes;
      return Buffer.concat([bytes, Buffer.alloc(type.length - bytes.length)]);
    }
  }
}

function bigintBytes(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt.asIntN(64, value));
  return bytes;
}

/** The text form of a stored value: what CAST(x AS nvarchar) gives for numbers. */
export function textOf(value: StoredValue): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return String(value);
}

function padded(type: SqlType, text: string): string {
  if ((type.name === 'char' || type.name === 'nchar') && type.length !== undefined && type.length !== MAX_LENGTH) {
    // char(n) under a double-byte code page is n bytes: pad by what the text's bytes leave.
    const codePage = type.name === 'char' ? collationInfo(type.collation).codePage : 0;
    if (isDoubleByte(codePage)) return text.padEnd(text.length + Math.max(0, type.length - encodeForCodePage(text, codePage).length), ' ');
    return text.padEnd(type.length, ' ');
  }
  return text;
}

export function temporalParts(type: SqlType, value: StoredValue): TemporalParts {
  const parts = typeof value === 'string' ? parseTemporal(value) : undefined;
  if (!parts) throw new ValueConversionError(`'${textOf(value)}' is not a valid ${type.name}.`);
  return roundForType(type, parts);
}

function writeTemporal(writer: ValueWriter, type: SqlType, value: StoredValue): void {
  const parts = temporalParts(type, value);
  const scale = type.scale ?? 7;
  const units = (time: number) => Math.round(time / 10 ** (7 - scale));
  switch (type.name) {
    case 'datetime':
      return void writer.uint8(8).int32le(parts.days - DAYS_TO_1900).uint32le(Math.round((parts.time * 300) / TICKS_PER_SECOND));
    case 'smalldatetime':
      return void writer.uint8(4).uint16le(parts.days - DAYS_TO_1900).uint16le(Math.round(parts.time / (60 * TICKS_PER_SECOND)));
    case 'date':
      return void writer.uint8(3).uintle(parts.days, 3);
    case 'time':
      return void writer.uint8(timeLength(scale)).uintle(units(parts.time), timeLength(scale));
    case 'datetime2':
      return void writer.uint8(timeLength(scale) + 3).uintle(units(parts.time), timeLength(scale)).uintle(parts.days, 3);
    default: {
      // Days and ticks stay apart: days × ticks-per-day passes 2^53 and would lose the 7th digit.
      const offset = parts.offset ?? 0;
      let utc = parts.time - offset * 60 * TICKS_PER_SECOND;
      const carry = Math.floor(utc / TICKS_PER_DAY);
      utc -= carry * TICKS_PER_DAY;
      writer.uint8(timeLength(scale) + 5).uintle(units(utc), timeLength(scale)).uintle(parts.days + carry, 3);
      return void writer.int16le(offset);
    }
  }
}
