/**
 * Reads a value of a TYPE_INFO (MS-TDS 2.2.5.5 data type formats, 2.2.5.2 length prefixes) into
 * the stand-in's storage domain: integers as number (bigint as BigInt), decimals and money as
 * number, dates as sortable text (see temporal.ts), GUIDs as upper-case text, binary as Buffer.
 */
import { readBigUInt64LE, readBytes, readInt16LE, readInt32LE, readUInt16LE, readUInt32LE, readUInt8, readUIntLE, ReadResult } from '../buffer-readers';
import { PLP_NULL, PLP_UNKNOWN_LENGTH, USHORT_MAX } from './data-type-ids';
import { isUtf8Collation } from './collation';
import { codePageOfCollation, decodeForCodePage } from './code-page';
import type { TypeInfo } from './type-info';
import { decodeVariant } from './variant-read';
import type { StoredValue } from '../../sql-type';
import { DAYS_TO_1900, TICKS_PER_SECOND, toStoredTemporal } from '../../temporal';
import { storedScaled } from '../../exact-decimal';

const LONG_NULL = 0xffffffff;

export function readValue(buffer: Buffer, offset: number, info: TypeInfo): ReadResult<StoredValue> {
  const raw = readRaw(buffer, offset, info);
  if (raw.value === null) return { value: null, offset: raw.offset };
  return { value: decode(raw.value, info), offset: raw.offset };
}

/** The value's bytes without their length prefix; null for NULL. */
function readRaw(buffer: Buffer, offset: number, info: TypeInfo): ReadResult<Buffer | null> {
  switch (info.lengthKind) {
    case 'fixed':
      if (info.length === 0) return { value: null, offset };
      return readBytes(buffer, offset, info.length);
    case 'byte': {
      const length = readUInt8(buffer, offset);
      if (length.value === 0) return { value: null, offset: length.offset };
      return readBytes(buffer, length.offset, length.value);
    }
    case 'ushort': {
      const length = readUInt16LE(buffer, offset);
      if (length.value === USHORT_MAX) return { value: null, offset: length.offset };
      return readBytes(buffer, length.offset, length.value);
    }
    case 'long': {
      const length = readUInt32LE(buffer, offset);
      if (length.value === LONG_NULL) return { value: null, offset: length.offset };
      return readBytes(buffer, length.offset, length.value);
    }
    default:
      return readPlp(buffer, offset);
  }
}

/** PLP (2.2.5.2.3): total length (or NULL / unknown), then chunks, each with a 4-byte length, ended by an empty chunk. */
export function readPlp(buffer: Buffer, start: number): ReadResult<Buffer | null> {
  const totalRead = readBigUInt64LE(buffer, start);
  const total = totalRead.value;
  let offset = totalRead.offset;
  if (total === PLP_NULL) return { value: null, offset };
  const chunks: Buffer[] = [];
  for (;;) {
    const chunkLength = readUInt32LE(buffer, offset);
    if (chunkLength.value === 0) {
      offset = chunkLength.offset;
      break;
    }
    const chunk = readBytes(buffer, chunkLength.offset, chunkLength.value);
    chunks.push(chunk.value);
    offset = chunk.offset;
  }
  const value = Buffer.concat(chunks);
  if (total !== PLP_UNKNOWN_LENGTH && BigInt(value.length) !== total) {
    throw new RangeError(`A PLP value declares ${total} bytes but carries ${value.length}.`);
  }
  return { value, offset };
}

function decode(bytes: Buffer, info: TypeInfo): StoredValue {
  const type = info.sqlType;
  if (type.variant) return decodeVariant(bytes, decode);
  switch (type.name) {
    case 'tinyint': return bytes.readUInt8(0);
    case 'smallint': return bytes.readInt16LE(0);
    case 'int': return bytes.readInt32LE(0);
    case 'bigint': return bytes.readBigInt64LE(0);
    case 'bit': return bytes.readUInt8(0) ? 1 : 0;
    case 'real': return bytes.readFloatLE(0);
    case 'float': return bytes.readDoubleLE(0);
    case 'money': return storedScaled({ units: (BigInt(bytes.readInt32LE(0)) << 32n) + BigInt(bytes.readUInt32LE(4)), scale: 4 });
    case 'smallmoney': return storedScaled({ units: BigInt(bytes.readInt32LE(0)), scale: 4 });
    case 'decimal': case 'numeric': return decodeDecimal(bytes, type.scale ?? 0);
    case 'uniqueidentifier': return decodeGuid(bytes);
    case 'char': case 'varchar': case 'text':
      return isUtf8Collation(info.collation) ? bytes.toString('utf8') : decodeForCodePage(bytes, codePageOfCollation(info.collation));
    case 'nchar': case 'nvarchar': case 'ntext': case 'xml':
      return bytes.toString('ucs2');
    case 'binary': case 'varbinary': case 'image': case 'rowversion':
      return Buffer.from(bytes);
    default:
      return decodeTemporal(bytes, info);
  }
}

/** 2.2.5.5.1.6: a sign byte (1 = positive) and a little-endian magnitude, scaled by 10^scale. */
export function decodeDecimal(bytes: Buffer, scale: number): number | string {
  let magnitude = 0n;
  for (let i = bytes.length - 1; i >= 1; i--) magnitude = (magnitude << 8n) + BigInt(bytes[i]);
  return storedScaled({ units: bytes[0] === 1 ? magnitude : -magnitude, scale });
}

/** 2.2.5.5.1.5 (GUID): the first three groups are little-endian. */
export function decodeGuid(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-').toUpperCase();
}

function decodeTemporal(bytes: Buffer, info: TypeInfo): StoredValue {
  const type = info.sqlType;
  const scale = type.scale ?? 7;
  switch (type.name) {
    case 'datetime': {
      const days = readInt32LE(bytes, 0).value + DAYS_TO_1900;
      const ticks300 = readUInt32LE(bytes, 4).value;
      return toStoredTemporal(type, { days, time: Math.round((ticks300 * TICKS_PER_SECOND) / 300), hasDate: true, hasTime: true });
    }
    case 'smalldatetime': {
      const days = readUInt16LE(bytes, 0).value + DAYS_TO_1900;
      const minutes = readUInt16LE(bytes, 2).value;
      return toStoredTemporal(type, { days, time: minutes * 60 * TICKS_PER_SECOND, hasDate: true, hasTime: true });
    }
    case 'date':
      return toStoredTemporal(type, { days: readUIntLE(bytes, 0, 3).value, time: 0, hasDate: true, hasTime: false });
    case 'time':
      return toStoredTemporal(type, { days: 0, time: readTimeUnits(bytes, 0, bytes.length, scale), hasDate: false, hasTime: true });
    case 'datetime2': {
      const timeLength = bytes.length - 3;
      const time = readTimeUnits(bytes, 0, timeLength, scale);
      return toStoredTemporal(type, { days: readUIntLE(bytes, timeLength, 3).value, time, hasDate: true, hasTime: true });
    }
    default: {
      // datetimeoffset: UTC time and date, then the offset in minutes; stored as local time + offset.
      const timeLength = bytes.length - 5;
      const utcTime = readTimeUnits(bytes, 0, timeLength, scale);
      const utcDays = readUIntLE(bytes, timeLength, 3).value;
      const offset = readInt16LE(bytes, timeLength + 3).value;
      // Days and ticks stay apart: days × ticks-per-day passes 2^53 and would lose the 7th digit.
      const dayTicks = 86_400 * TICKS_PER_SECOND;
      const local = utcTime + offset * 60 * TICKS_PER_SECOND;
      const carry = Math.floor(local / dayTicks);
      return toStoredTemporal(type, { days: utcDays + carry, time: local - carry * dayTicks, offset, hasDate: true, hasTime: true });
    }
  }
}

function readTimeUnits(bytes: Buffer, offset: number, length: number, scale: number): number {
  return readUIntLE(bytes, offset, length).value * 10 ** (7 - scale);
}
