/**
 * sql_variant values in the storage domain. A variant carries its base type with each value, so
 * a sql_variant column, variable or parameter holds a packed BLOB: a marker byte, the base type
 * (name, length, precision, scale, collation) and the base value in its own storage form. CAST to
 * and from sql_variant (convert.ts) packs and unpacks; the TDS writer unpacks to send SSVARIANT
 * (MS-TDS 2.2.5.5.4); comparisons and ORDER BY go through `compareVariants`, which follows SQL
 * Server's rules: different type families order by family, the same family compares values.
 */
import { isMax, SqlType, SqlTypeName, StoredValue, typeFamily } from './sql-type';

/** First byte of a packed variant; no other BLOB the stand-in stores is compared with one. */
const MARKER = 0xf6;
const KIND = { integer: 1, real: 2, text: 3, bytes: 4 } as const;

export interface VariantValue {
  type: SqlType;
  value: Exclude<StoredValue, null>;
}

/** Base types a sql_variant cannot hold (SQL Server answers 206 "Operand type clash"). */
export function canBeVariantBase(type: SqlType): boolean {
  return !isMax(type) && !['text', 'ntext', 'image', 'xml', 'rowversion'].includes(type.name);
}

export function packVariant(type: SqlType, value: StoredValue): Buffer | null {
  if (value === null) return null;
  const name = Buffer.from(type.name, 'ascii');
  const collation = Buffer.from(type.collation ?? '', 'ascii');
  const header = Buffer.alloc(3 + name.length + 7 + collation.length);
  let offset = header.writeUInt8(MARKER, 0);
  offset = header.writeUInt8(kindOf(value), offset);
  offset = header.writeUInt8(name.length, offset);
  offset += name.copy(header, offset);
  offset = header.writeInt32LE(type.length ?? 0, offset);
  offset = header.writeUInt8(type.precision ?? 0, offset);
  offset = header.writeUInt8(type.scale ?? 0, offset);
  offset = header.writeUInt8(collation.length, offset);
  collation.copy(header, offset);
  return Buffer.concat([header, payloadOf(value)]);
}

function kindOf(value: Exclude<StoredValue, null>): number {
  if (typeof value === 'bigint') return KIND.integer;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? KIND.integer : KIND.real;
  return typeof value === 'string' ? KIND.text : KIND.bytes;
}

function payloadOf(value: Exclude<StoredValue, null>): Buffer {
  if (typeof value === 'bigint' || (typeof value === 'number' && kindOf(value) === KIND.integer)) {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(BigInt(value));
    return bytes;
  }
  if (typeof value === 'number') {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    return bytes;
  }
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

export function isPackedVariant(value: StoredValue): value is Buffer {
  return Buffer.isBuffer(value) && value.length >= 10 && value[0] === MARKER;
}

/** The base type and value of a packed variant; NULL for NULL. */
export function unpackVariant(packed: StoredValue): VariantValue | null {
  if (packed === null || !isPackedVariant(packed)) return null;
  const kind = packed[1];
  const nameLength = packed[2];
  let offset = 3;
  const name = packed.toString('ascii', offset, offset + nameLength) as SqlTypeName;
  offset += nameLength;
  const length = packed.readInt32LE(offset);
  const precision = packed[offset + 4];
  const scale = packed[offset + 5];
  const collationLength = packed[offset + 6];
  offset += 7;
  const collation = packed.toString('ascii', offset, offset + collationLength);
  offset += collationLength;
  const type: SqlType = { name };
  if (length !== 0) type.length = length;
  if (['decimal', 'numeric'].includes(name)) Object.assign(type, { precision, scale });
  if (['time', 'datetime2', 'datetimeoffset'].includes(name)) type.scale = scale;
  if (collation) type.collation = collation;
  const payload = packed.subarray(offset);
  let value: Exclude<StoredValue, null>;
  if (kind === KIND.integer) {
    const big = payload.readBigInt64LE(0);
    value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  } else if (kind === KIND.real) value = payload.readDoubleLE(0);
  else if (kind === KIND.text) value = payload.toString('utf8');
  else value = Buffer.from(payload);
  return { type, value };
}

/**
 * SQL Server's sql_variant hierarchy of type families (highest first). A value of a higher family
 * is greater than any value of a lower one, whatever the values.
 */
const FAMILY_RANK: Record<string, number> = { temporal: 6, approximate: 5, exact: 4, integer: 4, bit: 4, string: 3, binary: 2, guid: 1 };

/** The place of a base type's family in SQL Server's sql_variant hierarchy (higher sorts later). */
export function variantFamilyRank(type: SqlType): number {
  return FAMILY_RANK[typeFamily(type)] ?? 0;
}

/** -1, 0 or 1; NULL when either side is NULL (as any comparison with NULL). */
export function compareVariants(left: VariantValue | null, right: VariantValue | null): number | null {
  if (!left || !right) return null;
  const [lf, rf] = [variantFamilyRank(left.type), variantFamilyRank(right.type)];
  if (lf !== rf) return lf < rf ? -1 : 1;
  const [a, b] = [left.value, right.value];
  switch (typeFamily(left.type)) {
    case 'string': {
      // The default collation is case-insensitive and ignores trailing spaces.
      const [x, y] = [String(a).replace(/ +$/, '').toUpperCase(), String(b).replace(/ +$/, '').toUpperCase()];
      return x === y ? 0 : x < y ? -1 : 1;
    }
    case 'binary': return Buffer.compare(Buffer.from(a as Buffer), Buffer.from(b as Buffer));
    case 'temporal': case 'guid': {
      const [x, y] = [String(a).toUpperCase(), String(b).toUpperCase()];
      return x === y ? 0 : x < y ? -1 : 1;
    }
    default: {
      const [x, y] = [Number(a), Number(b)];
      return x === y ? 0 : x < y ? -1 : 1;
    }
  }
}

/** SQL_VARIANT_PROPERTY's Precision, Scale and MaxLength of a base type (SQL Server's documented values). */
export function variantProperty(variant: VariantValue, property: string): { type: SqlType; value: StoredValue } | null {
  const { type } = variant;
  const int = (value: number) => ({ type: { name: 'int' } as SqlType, value });
  const scaled = (base: number, zero: number) => ((type.scale ?? 7) === 0 ? zero : base + (type.scale ?? 7));
  switch (property.toLowerCase()) {
    case 'basetype': return { type: { name: 'nvarchar', length: 128 }, value: type.name };
    case 'precision': {
      const fixed: Partial<Record<string, number>> = { date: 10, datetime: 23, smalldatetime: 16, float: 53, real: 24, money: 19, smallmoney: 10, bigint: 19, int: 10, smallint: 5, tinyint: 3, bit: 1 };
      if (type.name === 'decimal' || type.name === 'numeric') return int(type.precision ?? 18);
      if (type.name === 'datetime2') return int(scaled(20, 19));
      if (type.name === 'datetimeoffset') return int(scaled(27, 26));
      if (type.name === 'time') return int(scaled(9, 8));
      return int(fixed[type.name] ?? 0);
    }
    case 'scale': {
      if (type.name === 'decimal' || type.name === 'numeric') return int(type.scale ?? 0);
      if (type.name === 'money' || type.name === 'smallmoney') return int(4);
      if (type.name === 'datetime') return int(3);
      if (['datetime2', 'datetimeoffset', 'time'].includes(type.name)) return int(type.scale ?? 7);
      return int(0);
    }
    case 'totalbytes': return int(2 + propertyBytes(type) + dataBytes(variant));
    case 'collation': return typeFamily(type) === 'string' ? { type: { name: 'nvarchar', length: 128 }, value: type.collation ?? 'SQL_Latin1_General_CP1_CI_AS' } : { type: { name: 'nvarchar', length: 128 }, value: null };
    case 'maxlength': return int(maxLength(type));
    default: return null;
  }
}

/** Bytes of the SSVARIANT properties (2.2.5.5.4): collation and max length for strings, and so on. */
function propertyBytes(type: SqlType): number {
  switch (typeFamily(type)) {
    case 'string': return 7;
    case 'binary': return 2;
    case 'exact': return type.name === 'decimal' || type.name === 'numeric' ? 2 : 0;
    default: return ['time', 'datetime2', 'datetimeoffset'].includes(type.name) ? 1 : 0;
  }
}

const FIXED_BYTES: Partial<Record<string, number>> = {
  tinyint: 1, smallint: 2, int: 4, bigint: 8, bit: 1, real: 4, float: 8, money: 8, smallmoney: 4, datetime: 8, smalldatetime: 4, date: 3, uniqueidentifier: 16,
};

function dataBytes(variant: VariantValue): number {
  const { type, value } = variant;
  if (Buffer.isBuffer(value)) return value.length;
  if (type.name === 'nvarchar' || type.name === 'nchar') return Buffer.byteLength(String(value), 'ucs2');
  if (type.name === 'varchar' || type.name === 'char') return Buffer.byteLength(String(value), 'latin1');
  return FIXED_BYTES[type.name] ?? maxLength(type);
}

function maxLength(type: SqlType): number {
  const fixed = FIXED_BYTES[type.name];
  if (fixed !== undefined) return fixed;
  const scale = type.scale ?? 7;
  const timeBytes = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
  switch (type.name) {
    case 'decimal': case 'numeric': { const p = type.precision ?? 18; return p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17; }
    case 'time': return timeBytes;
    case 'datetime2': return timeBytes + 3;
    case 'datetimeoffset': return timeBytes + 5;
    case 'nvarchar': case 'nchar': return (type.length ?? 1) * 2;
    default: return type.length ?? 0;
  }
}
