/**
 * String and number functions with SQL Server's semantics where SQLite's differ: LEN ignores
 * trailing spaces, SUBSTRING accepts starts before 1, REPLACE and CHARINDEX ignore case,
 * ROUND rounds half away from zero, CONCAT treats NULL as ''.
 */
import { encodeForCodePage } from '../../protocol/types/code-page';
import { roundHalfAwayFromZero } from '../convert';
import { sqlErrors } from '../../tsql/sql-error';
import { like, patindex } from './like';

type Value = null | number | bigint | string | Buffer;
type Fn = (...args: Value[]) => Value;

const isNull = (...values: Value[]) => values.some((v) => v === null || v === undefined);
const text = (value: Value): string => (Buffer.isBuffer(value) ? value.toString('latin1') : String(value));
const int = (value: Value): number => Number(value);

function numeric(value: Value): number | bigint {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  const number = Number(text(value));
  if (Number.isNaN(number)) throw sqlErrors.conversionError('varchar', 'float');
  return number;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const STRING_FUNCTIONS: Record<string, Fn> = {
  hcm_len: (s) => (isNull(s) ? null : Buffer.isBuffer(s) ? s.length : text(s).replace(/ +$/, '').length),
  hcm_datalength: (s, codePage) => {
    if (isNull(s)) return null;
    if (Buffer.isBuffer(s)) return s.length;
    if (typeof s !== 'string') return 8;
    return codePage ? encodeForCodePage(s, Number(codePage)).length : Buffer.byteLength(s, 'ucs2');
  },
  hcm_ltrim: (s) => (isNull(s) ? null : text(s).replace(/^ +/, '')),
  hcm_rtrim: (s) => (isNull(s) ? null : text(s).replace(/ +$/, '')),
  hcm_trim: (s) => (isNull(s) ? null : text(s).replace(/^ +| +$/g, '')),
  hcm_substring: (s, start, length) => {
    if (isNull(s, start, length)) return null;
    if (int(length) < 0) throw sqlErrors.userError(537, 'Invalid length parameter passed to the LEFT or SUBSTRING function.', 1);
    const from = int(start);
    const first = Math.max(from, 1);
    const last = from + int(length) - 1;
    if (Buffer.isBuffer(s)) return s.subarray(first - 1, Math.max(first - 1, last));
    return last < first ? '' : text(s).slice(first - 1, last);
  },
  hcm_left: (s, n) => (isNull(s, n) ? null : Buffer.isBuffer(s) ? s.subarray(0, int(n)) : text(s).slice(0, Math.max(0, int(n)))),
  hcm_right: (s, n) => {
    if (isNull(s, n)) return null;
    const value = text(s);
    return int(n) <= 0 ? '' : value.slice(Math.max(0, value.length - int(n)));
  },
  hcm_replace: (s, find, replacement) => {
    if (isNull(s, find, replacement)) return null;
    if (text(find) === '') return text(s);
    return text(s).replace(new RegExp(escapeRegex(text(find)), 'gi'), () => text(replacement));
  },
  hcm_replicate: (s, n) => (isNull(s, n) || int(n) < 0 ? null : text(s).repeat(int(n))),
  hcm_reverse: (s) => (isNull(s) ? null : [...text(s)].reverse().join('')),
  hcm_charindex: (find, s, start) => {
    if (isNull(find, s)) return null;
    const from = start === undefined || start === null ? 0 : Math.max(0, int(start) - 1);
    return text(s).toLowerCase().indexOf(text(find).toLowerCase(), from) + 1;
  },
  hcm_patindex: (pattern, s) => patindex(pattern, s),
  hcm_stuff: (s, start, length, replacement) => {
    if (isNull(s, start, length)) return null;
    const value = text(s);
    const at = int(start);
    if (at < 1 || at > value.length || int(length) < 0) return null;
    return value.slice(0, at - 1) + (replacement === null ? '' : text(replacement)) + value.slice(at - 1 + int(length));
  },
  hcm_concat: (...args) => args.map((a) => (a === null || a === undefined ? '' : text(a))).join(''),
  hcm_concat_ws: (separator, ...args) => args.filter((a) => a !== null && a !== undefined).map(text).join(separator === null ? '' : text(separator)),
  hcm_quotename: (s, quote) => {
    if (isNull(s)) return null;
    const q = quote === undefined || quote === null ? '[' : text(quote);
    const close = q === '[' ? ']' : q === '(' ? ')' : q === '<' ? '>' : q === '{' ? '}' : q;
    return `${q}${text(s).split(close).join(close + close)}${close}`;
  },
  hcm_str: (n, length, decimals) => {
    if (isNull(n)) return null;
    const width = length === undefined || length === null ? 10 : int(length);
    const digits = decimals === undefined || decimals === null ? 0 : int(decimals);
    const formatted = Number(n).toFixed(digits);
    return formatted.length > width ? '*'.repeat(width) : formatted.padStart(width, ' ');
  },
  hcm_format: (value, format) => {
    if (isNull(value)) return null;
    const f = format === null ? '' : text(format);
    const match = /^[NnFf](\d*)$/.exec(f);
    if (match && typeof value !== 'string') {
      const digits = match[1] === '' ? 2 : Number(match[1]);
      return Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: /^[Nn]/.test(f) });
    }
    return text(value);
  },
  hcm_string_escape: (s) => (isNull(s) ? null : JSON.stringify(text(s)).slice(1, -1)),
  hcm_like: (value, pattern, escape) => like(value, pattern, escape),
  hcm_isnumeric: (s) => (s === null ? 0 : typeof s !== 'string' ? 1 : /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? 1 : 0),
  hcm_add: (a, b) => {
    if (isNull(a, b)) return null;
    if (typeof a === 'string' || typeof b === 'string') return text(a) + text(b);
    if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
    return Number(a) + Number(b);
  },
  hcm_div: (a, b, integer) => {
    if (isNull(a, b)) return null;
    if (Number(b) === 0) throw sqlErrors.divideByZero();
    if (Number(integer) === 1 && typeof a !== 'number' && typeof b !== 'number') return BigInt(a as bigint) / BigInt(b as bigint);
    if (Number(integer) === 1) return Math.trunc(Number(a) / Number(b));
    return Number(a) / Number(b);
  },
  hcm_mod: (a, b) => {
    if (isNull(a, b)) return null;
    if (Number(b) === 0) throw sqlErrors.divideByZero();
    if (typeof a === 'bigint' && typeof b === 'bigint') return a % b;
    return Number(a) % Number(b);
  },
  hcm_ceiling: (x) => (isNull(x) ? null : typeof x === 'bigint' ? x : Math.ceil(Number(numeric(x)))),
  hcm_floor: (x) => (isNull(x) ? null : typeof x === 'bigint' ? x : Math.floor(Number(numeric(x)))),
  hcm_round: (x, places, truncate) => {
    if (isNull(x, places)) return null;
    const digits = int(places);
    const value = Number(numeric(x));
    let result: number;
    if (truncate !== undefined && truncate !== null && Number(truncate) !== 0) result = Math.trunc(value * 10 ** digits) / 10 ** digits;
    else if (digits >= 0) result = roundHalfAwayFromZero(value, digits);
    else result = Math.sign(value) * Math.round(Math.abs(value) / 10 ** -digits) * 10 ** -digits;
    return typeof x === 'bigint' ? BigInt(Math.round(result)) : result;
  },
  hcm_power: (x, y) => {
    if (isNull(x, y)) return null;
    const result = Number(x) ** Number(y);
    return typeof x === 'bigint' ? BigInt(Math.trunc(result)) : result;
  },
  hcm_math: (name, x, base) => {
    if (isNull(x)) return null;
    const value = Number(x);
    const fn = String(name);
    if (fn === 'exp') return Math.exp(value);
    if (fn === 'log10') return Math.log10(value);
    if (fn === 'log') return base === undefined || base === null ? Math.log(value) : Math.log(value) / Math.log(Number(base));
    return Math.sqrt(value);
  },
};
