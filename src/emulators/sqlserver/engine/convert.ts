/**
 * CAST and CONVERT with SQL Server's rules: strings must look like the target type (error 245,
 * 8114, 241, 8169 otherwise), numbers are range-checked (8115), decimals round to their scale,
 * character types truncate to their length, dates take CONVERT's common styles. Values move in
 * the storage domain (see sql-type.ts); `from` is the source's SQL type when known.
 */
import { formatType, isUnicode, MAX_LENGTH, SqlType, StoredValue, typeFamily } from '../sql-type';
import { canBeVariantBase, isPackedVariant, packVariant, unpackVariant } from '../variant-value';
import { sqlErrors } from '../tsql/sql-error';
import { formatDate, formatTime, parseTemporal, TemporalParts, toStoredTemporal, DAYS_TO_1900, TICKS_PER_SECOND, civilFromDays } from '../temporal';
import { decodeCp1252, encodeCp1252 } from '../protocol/types/cp1252';
import { collationInfo, isDoubleByte, keepInCodePage, truncateToBytes } from '../protocol/types/code-page';
import { formatScaled, readScaled, rescale, storedScaled } from '../exact-decimal';
import { DateSettings, parseDateString } from '../date-string';
import { US_ENGLISH } from '../languages';

/** SQL Server's defaults for a us_english login; sessions pass their own (SET DATEFORMAT/LANGUAGE). */
export const DEFAULT_DATE_SETTINGS: DateSettings = { dateFormat: 'mdy', language: US_ENGLISH };

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [0n, 255n], smallint: [-32768n, 32767n], int: [-2147483648n, 2147483647n], bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

export function convertValue(value: StoredValue, from: SqlType | null, to: SqlType, style?: number, tryCast = false,
  settings: DateSettings = DEFAULT_DATE_SETTINGS): StoredValue {
  if (value === null) return null;
  try {
    if (from?.variant || to.variant) return convertVariant(value, from, to, style, settings);
    return convert(value, from ?? inferType(value), to, style, settings, from === null);
  } catch (error) {
    if (tryCast) return null;
    throw error;
  }
}

/**
 * To sql_variant: the value keeps its own type (206 for the types a variant cannot hold). From
 * sql_variant: the base value converts as its base type would (CAST(v AS int), SET @i = v).
 */
function convertVariant(value: Exclude<StoredValue, null>, from: SqlType | null, to: SqlType, style: number | undefined, settings: DateSettings): StoredValue {
  if (from?.variant && isPackedVariant(value)) {
    if (to.variant) return value;
    const base = unpackVariant(value)!;
    return convert(base.value, base.type, to, style, settings, false);
  }
  if (from?.variant) return to.variant ? packVariant(inferType(value), value) : convert(value, inferType(value), to, style, settings, true);
  const base = from ?? inferType(value);
  if (!canBeVariantBase(base)) throw sqlErrors.operandTypeClash(formatType(base), 'sql_variant');
  return packVariant(base, value);
}

/** The SQL type a bare value has when nothing declares it (a function result, a literal). */
export function inferType(value: StoredValue): SqlType {
  if (typeof value === 'bigint') return value >= -2147483648n && value <= 2147483647n ? { name: 'int' } : { name: 'bigint' };
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 2147483647 ? { name: 'int' } : { name: 'float' };
  if (Buffer.isBuffer(value)) return { name: 'varbinary', length: MAX_LENGTH };
  return { name: 'nvarchar', length: Math.max(1, String(value).length) };
}

function convert(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType, style: number | undefined, settings: DateSettings, untyped: boolean): StoredValue {
  switch (typeFamily(to)) {
    case 'integer': return toInteger(value, from, to);
    case 'bit': return toBit(value, from);
    case 'exact': return toExact(value, from, to);
    case 'approximate': return toApproximate(value, from, to);
    case 'string': return toText(value, from, to, style);
    case 'binary': return toBinary(value, from, to);
    case 'temporal': return toTemporal(value, from, to, settings, untyped);
    default: return toGuid(value, from);
  }
}

function typeLabel(type: SqlType): string {
  return type.name === 'rowversion' ? 'timestamp' : type.name;
}

function toInteger(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType): StoredValue {
  let integer: bigint;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number') integer = BigInt(Math.trunc(value));
  else if (Buffer.isBuffer(value)) integer = value.length === 0 ? 0n : BigInt.asIntN(64, BigInt(`0x${value.subarray(-8).toString('hex')}`));
  else {
    const text = value.trim();
    if (!/^[-+]?\d+$/.test(text)) {
      if (typeFamily(from) === 'string') throw sqlErrors.conversionFailed(from.name, value, to.name);
      throw sqlErrors.conversionError(typeLabel(from), to.name);
    }
    integer = BigInt(text);
  }
  const [min, max] = INTEGER_RANGES[to.name];
  if (integer < min || integer > max) throw sqlErrors.arithmeticOverflow(to.name);
  return to.name === 'bigint' ? integer : Number(integer);
}

function toBit(value: Exclude<StoredValue, null>, from: SqlType): StoredValue {
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return 1;
    if (text === 'false') return 0;
    if (!/^[-+]?\d+(\.\d*)?$/.test(text)) throw sqlErrors.conversionFailed(from.name, value, 'bit');
    return Number(text) === 0 ? 0 : 1;
  }
  if (Buffer.isBuffer(value)) return value.some((byte) => byte !== 0) ? 1 : 0;
  return Number(value) === 0 ? 0 : 1;
}

/** Exact: the digits are read and rounded as a scaled BigInt, never through a double (see exact-decimal.ts). */
function toExact(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType): StoredValue {
  if (Buffer.isBuffer(value)) throw sqlErrors.conversionError(from.name, to.name);
  const text = typeof value === 'string' ? value.trim().replace(/^\$/, '') : value;
  if (typeof text === 'string' && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw sqlErrors.conversionError(from.name, to.name === 'money' || to.name === 'smallmoney' ? to.name : 'numeric');
  }
  const scaled = readScaled(text);
  if (!scaled) throw sqlErrors.conversionError(from.name, to.name);
  const scale = exactScale(to);
  const rounded = rescale(scaled, scale);
  const precision = to.name === 'money' ? 19 : to.name === 'smallmoney' ? 10 : to.precision ?? 18;
  const limit = to.name === 'money' ? 922_337_203_685_477_5807n : to.name === 'smallmoney' ? 2_147_483_647n : 10n ** BigInt(precision) - 1n;
  const floor = to.name === 'money' ? -922_337_203_685_477_5808n : to.name === 'smallmoney' ? -2_147_483_648n : -limit;
  if (rounded.units > limit || rounded.units < floor) {
    const fromLabel = typeFamily(from) === 'exact' && from.name !== 'money' ? 'numeric' : typeFamily(from) === 'string' ? 'varchar' : typeLabel(from);
    throw sqlErrors.numericOverflow(fromLabel, to.name === 'decimal' ? 'numeric' : to.name);
  }
  return storedScaled(rounded);
}

function exactScale(type: SqlType): number {
  return type.name === 'money' || type.name === 'smallmoney' ? 4 : type.scale ?? 0;
}

export function roundHalfAwayFromZero(value: number, scale: number): number {
  const factor = 10 ** scale;
  const shifted = Math.abs(value) * factor;
  // Nudge by a relative epsilon so 2.675 (stored as 2.67499999…) rounds as decimal arithmetic would.
  const rounded = Math.round(shifted + shifted * Number.EPSILON * 4) / factor;
  return value < 0 ? -rounded : rounded;
}

function toApproximate(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType): StoredValue {
  if (typeof value === 'string') {
    const number = Number(value.trim());
    if (value.trim() === '' || Number.isNaN(number)) throw sqlErrors.conversionError(from.name, to.name === 'real' ? 'real' : 'float');
    return to.name === 'real' ? Math.fround(number) : number;
  }
  if (Buffer.isBuffer(value)) throw sqlErrors.conversionError(from.name, to.name);
  return to.name === 'real' ? Math.fround(Number(value)) : Number(value);
}

function toText(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType, style?: number): StoredValue {
  let text: string;
  if (Buffer.isBuffer(value)) text = isUnicode(to) ? value.toString('ucs2') : decodeCp1252(value);
  else if (typeFamily(from) === 'temporal' && typeof value === 'string') text = formatTemporal(value, from, style);
  else if (typeFamily(from) === 'exact' && readScaled(value)) text = formatScaled(rescale(readScaled(value)!, from.name === 'money' || from.name === 'smallmoney' ? 2 : from.scale ?? 0));
  else if (typeFamily(from) === 'approximate' && typeof value === 'number') text = formatFloat(value);
  else text = String(value);
  if (!isUnicode(to)) text = keepInCodePage(text, to.collation);
  const codePage = isUnicode(to) ? 0 : collationInfo(to.collation).codePage;
  // Under a double-byte code page varchar(n) holds n bytes: two for most East Asian characters.
  if (to.length !== undefined && to.length !== MAX_LENGTH && isDoubleByte(codePage)) text = truncateToBytes(text, to.length, codePage);
  else if (to.length !== undefined && to.length !== MAX_LENGTH && text.length > to.length) text = text.slice(0, to.length);
  return text;
}

/** SQL Server writes floats with up to 6 significant digits by default ('1.23457e+006'). */
function formatFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const precise = Number(value.toPrecision(6));
  if (Math.abs(precise) >= 1e6 || (Math.abs(precise) < 1e-4 && precise !== 0)) {
    const [mantissa, exponent] = precise.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(3, '0')}`;
  }
  return String(precise);
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatTemporal(stored: string, from: SqlType, style?: number): string {
  const parts = parseTemporal(stored);
  if (!parts) return stored;
  const { year, month, day } = civilFromDays(parts.days);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const time = (digits: number) => formatTime(parts.time, digits);
  switch (style) {
    case 23: return formatDate(parts.days);
    case 101: return `${pad(month)}/${pad(day)}/${pad(year, 4)}`;
    case 103: return `${pad(day)}/${pad(month)}/${pad(year, 4)}`;
    case 104: return `${pad(day)}.${pad(month)}.${pad(year, 4)}`;
    case 108: return time(0);
    case 112: return `${pad(year, 4)}${pad(month)}${pad(day)}`;
    case 120: return `${formatDate(parts.days)} ${time(0)}`;
    case 121: return `${formatDate(parts.days)} ${time(from.name === 'datetime' ? 3 : from.scale ?? 7)}`;
    case 126: case 127: return `${formatDate(parts.days)}T${time(from.name === 'datetime' ? 3 : from.scale ?? 7).replace(/\.?0+$/, (m) => (m.startsWith('.') ? '' : m))}`;
    default: break;
  }
  switch (from.name) {
    case 'date': return formatDate(parts.days);
    case 'time': return time(from.scale ?? 7);
    case 'datetime2': return `${formatDate(parts.days)} ${time(from.scale ?? 7)}`;
    case 'datetimeoffset': return stored.replace(/\.\d+/, (m) => m.slice(0, (from.scale ?? 7) + 1));
    default: {
      // datetime and smalldatetime, style 0: 'Jan  5 2024  3:04PM'
      const totalMinutes = Math.floor(parts.time / (60 * TICKS_PER_SECOND));
      const hours = Math.floor(totalMinutes / 60);
      const hour12 = hours % 12 === 0 ? 12 : hours % 12;
      return `${MONTH_NAMES[month - 1]} ${String(day).padStart(2, ' ')} ${year} ${String(hour12).padStart(2, ' ')}:${pad(totalMinutes % 60)}${hours < 12 ? 'AM' : 'PM'}`;
    }
  }
}

function toBinary(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType): StoredValue {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) bytes = value;
  else if (typeof value === 'string') bytes = isUnicode(from) ? Buffer.from(value, 'ucs2') : encodeCp1252(value);
  else {
    const size = from.name === 'bigint' || to.name === 'rowversion' ? 8 : from.name === 'smallint' ? 2 : from.name === 'tinyint' ? 1 : 4;
    const integer = BigInt.asUintN(size * 8, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
    bytes = Buffer.from(integer.toString(16).padStart(size * 2, '0'), 'hex');
  }
  if (to.name === 'rowversion') return Buffer.concat([Buffer.alloc(Math.max(0, 8 - bytes.length)), bytes.subarray(Math.max(0, bytes.length - 8))]);
  if (to.length !== undefined && to.length !== MAX_LENGTH) {
    if (bytes.length > to.length) bytes = bytes.subarray(0, to.length);
    if (to.name === 'binary' && bytes.length < to.length) bytes = Buffer.concat([bytes, Buffer.alloc(to.length - bytes.length)]);
  }
  return Buffer.from(bytes);
}

function toTemporal(value: Exclude<StoredValue, null>, from: SqlType, to: SqlType, settings: DateSettings, untyped: boolean): StoredValue {
  let parts: TemporalParts | undefined;
  // Character input follows SQL Server's string rules (date-string.ts); a temporal value, or an
  // untyped one in the stand-in's own stored form, is read as stored.
  if (typeof value === 'string' && typeFamily(from) === 'string' && !untyped) parts = parseDateString(value, to, settings, from.name);
  else if (typeof value === 'string') parts = parseTemporal(value) ?? parseDateString(value, to, settings);
  else if (typeof value === 'number' || typeof value === 'bigint') {
    if (to.name !== 'datetime' && to.name !== 'smalldatetime') throw sqlErrors.conversionError(from.name, to.name);
    const days = Number(value);
    const whole = Math.floor(days);
    parts = { days: DAYS_TO_1900 + whole, time: Math.round((days - whole) * 86_400 * TICKS_PER_SECOND), hasDate: true, hasTime: true };
  }
  if (!parts) throw sqlErrors.dateConversion();
  if (to.name === 'time' && !parts.hasTime && parts.hasDate) parts = { ...parts, time: 0 };
  if (to.name === 'datetimeoffset' && parts.offset === undefined) parts = { ...parts, offset: 0 };
  return toStoredTemporal(to, parts);
}

function toGuid(value: Exclude<StoredValue, null>, from: SqlType): StoredValue {
  if (Buffer.isBuffer(value)) {
    if (value.length !== 16) throw sqlErrors.guidConversion();
    const hex = value.toString('hex');
    return `${hex.slice(6, 8)}${hex.slice(4, 6)}${hex.slice(2, 4)}${hex.slice(0, 2)}-${hex.slice(10, 12)}${hex.slice(8, 10)}-${hex.slice(14, 16)}${hex.slice(12, 14)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toUpperCase();
  }
  const text = String(value).trim().replace(/^\{(.*)\}$/, '$1');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) {
    if (typeFamily(from) !== 'string') throw sqlErrors.conversionError(from.name, 'uniqueidentifier');
    throw sqlErrors.guidConversion();
  }
  return text.toUpperCase();
}

/** Converts a value for storage in a column or variable of `to` (implicit conversion on INSERT/SET). */
export function coerceForStorage(value: StoredValue, to: SqlType, from?: SqlType | null, settings?: DateSettings): StoredValue {
  if (value === null) return null;
  if (to.name === 'rowversion') return value;
  return convertValue(value, from ?? null, to, undefined, false, settings);
}

