/**
 * Turns a caller's value for a column into a typed parameter: the parameter's type follows the
 * column's type, so SQL Server never converts the column, and exact numbers, dates and times travel
 * as text CAST on the server (the driver would round decimals through a JavaScript number).
 */
import sql from 'mssql';
import { HcmError } from '../../../common/errors';
import { ParameterBag } from '../db/parameters';
import { ColumnInfo, isRowversion } from './model';

export type ValueFamily = 'string' | 'integer' | 'bigint' | 'bit' | 'exact' | 'float' | 'temporal' | 'guid' | 'binary' | 'unsupported';

const INTEGER_RANGES: Record<string, [number, number]> = {
  tinyint: [0, 255],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
};

export function valueFamily(column: Pick<ColumnInfo, 'dataType'>): ValueFamily {
  const type = column.dataType.toLowerCase();
  if (['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'xml', 'sysname'].includes(type)) return 'string';
  if (type in INTEGER_RANGES) return 'integer';
  if (type === 'bigint') return 'bigint';
  if (type === 'bit') return 'bit';
  if (['decimal', 'numeric', 'money', 'smallmoney'].includes(type)) return 'exact';
  if (type === 'float' || type === 'real') return 'float';
  if (['date', 'time', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset'].includes(type)) return 'temporal';
  if (type === 'uniqueidentifier') return 'guid';
  if (['binary', 'varbinary', 'image', 'timestamp', 'rowversion'].includes(type)) return 'binary';
  return 'unsupported';
}

/** How a bad value is reported: InvalidQueryOption for URLs, BadRequest for bodies. */
export type ValueErrorFactory = (message: string) => HcmError;

const EXACT_NUMBER = /^[+-]?(\d{1,38}(\.\d{0,38})?|\.\d{1,38})$/;
const TEMPORAL_TEXT = /^[0-9][0-9T:.\-+ Z]{1,39}$/;
const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^0x([0-9a-fA-F]{2})*$/;

/**
 * Binds `value` as a parameter compatible with `column` and returns the SQL expression that stands
 * for it (a placeholder, or a CAST of one). `null` becomes the literal NULL.
 */
export function bindColumnValue(bag: ParameterBag, column: ColumnInfo, value: unknown, fail: ValueErrorFactory): string {
  if (value === null) return 'NULL';
  const family = valueFamily(column);
  const bad = (expected: string) => fail(`Column '${column.name}' (${column.dataType}) needs ${expected}.`);
  switch (family) {
    case 'string': {
      if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
      if (typeof value !== 'string') throw bad('a string');
      return bag.add(value.length > 4000 ? sql.NVarChar(sql.MAX) : sql.NVarChar(4000), value);
    }
    case 'integer': {
      const [min, max] = INTEGER_RANGES[column.dataType.toLowerCase()];
      const n = toInteger(value);
      if (n === undefined || n < min || n > max) throw bad(`an integer between ${min} and ${max}`);
      return bag.add(sql.Int, n);
    }
    case 'bigint': {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== 'string' || !/^[+-]?\d{1,19}$/.test(text)) throw bad('an integer (as a number or a string of digits)');
      const big = BigInt(text);
      if (big < -(2n ** 63n) || big >= 2n ** 63n) throw bad('an integer within the bigint range');
      return bag.add(sql.BigInt, text);
    }
    case 'bit': {
      const b = toBoolean(value);
      if (b === undefined) throw bad('true or false');
      return bag.add(sql.Bit, b);
    }
    case 'exact':
      return bindExact(bag, value, bad);
    case 'float': {
      const n = typeof value === 'string' && EXACT_NUMBER.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad('a number');
      return bag.add(sql.Float, n);
    }
    case 'temporal': {
      if (typeof value !== 'string' || !TEMPORAL_TEXT.test(value)) throw bad('a date or time in ISO 8601 form');
      return `CAST(${bag.add(sql.VarChar(40), value)} AS ${temporalCastType(column)})`;
    }
    case 'guid': {
      if (typeof value !== 'string' || !GUID.test(value)) throw bad('a GUID');
      return bag.add(sql.UniqueIdentifier, value.replace(/[{}]/g, ''));
    }
    case 'binary': {
      const buffer = toBuffer(value);
      if (!buffer) throw bad('base64 text or 0x-prefixed hex');
      // CAST makes the comparison a rowversion one on every server (SQL Server would also compare binary(8)).
      if (isRowversion(column)) return `CAST(${bag.add(sql.VarBinary(8), buffer)} AS timestamp)`;
      return bag.add(buffer.length > 8000 ? sql.VarBinary(sql.MAX) : sql.VarBinary(8000), buffer);
    }
    default:
      throw fail(`Column '${column.name}' has type ${column.dataType}, which this connector cannot take values for.`);
  }
}

/** Exact numbers travel as text and are CAST with enough scale to keep every given digit. */
function bindExact(bag: ParameterBag, value: unknown, bad: (expected: string) => HcmError): string {
  let text: string;
  if (typeof value === 'number' && Number.isFinite(value)) text = numberToPlainText(value);
  else if (typeof value === 'string') text = value.trim();
  else throw bad('a number (or a string of digits, for exact values)');
  if (!EXACT_NUMBER.test(text)) throw bad('a plain decimal number');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const integerDigits = Math.max(whole.replace(/^0+/, '').length, 1);
  const scale = fraction.length;
  if (integerDigits + scale > 38) throw bad('at most 38 significant digits');
  return `CAST(${bag.add(sql.VarChar(50), text)} AS decimal(38,${scale}))`;
}

function numberToPlainText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

function temporalCastType(column: ColumnInfo): string {
  const type = column.dataType.toLowerCase();
  if (['datetime2', 'datetimeoffset', 'time'].includes(type)) return `${type}(7)`;
  return type;
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^[+-]?\d{1,10}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  return undefined;
}

function toBuffer(value: unknown): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  if (HEX.test(value)) return Buffer.from(value.slice(2), 'hex');
  if (BASE64.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}
