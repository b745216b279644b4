/**
 * Exact decimal and money values. SQL Server keeps decimal(p,s) and money exact up to 38 digits;
 * a double keeps 15–17. The stand-in stores such a value as a REAL when that double reproduces it
 * exactly at its scale (nearly every everyday value, so SQLite's own arithmetic, indexes and
 * functions keep working on them) and otherwise as its canonical text ('-12345678901234567890.1234567891').
 * The columns have no SQLite affinity (see sqliteDeclaration), so that text is kept as written.
 * Comparisons, ORDER BY, MIN/MAX and SUM on exact types go through the functions here, which read
 * both forms as scaled BigInts: a REAL and a TEXT in one column still compare by their numeric values.
 */
import type { StoredValue } from './sql-type';

/** A decimal as an integer count of 10^-scale units. */
export interface Scaled {
  units: bigint;
  scale: number;
}

const NUMBER_TEXT = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/** Reads a stored value (number, bigint or decimal text, possibly with an exponent) exactly; undefined when it is no number. */
export function readScaled(value: Exclude<StoredValue, null>): Scaled | undefined {
  if (typeof value === 'bigint') return { units: value, scale: 0 };
  if (Buffer.isBuffer(value)) return undefined;
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const text = String(value).trim().replace(/^\$/, '');
  const match = NUMBER_TEXT.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', exponentText] = match;
  const exponent = exponentText ? Number(exponentText) : 0;
  let units = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === '-' ? -units : units, scale };
}

/** Rounds (half away from zero, as SQL Server does) or extends a value to `scale` digits after the point. */
export function rescale(value: Scaled, scale: number): Scaled {
  if (scale >= value.scale) return { units: value.units * 10n ** BigInt(scale - value.scale), scale };
  const divisor = 10n ** BigInt(value.scale - scale);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let units = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) units += 1n;
  return { units: negative ? -units : units, scale };
}

/** '-123.4500' for units -1234500 at scale 4. */
export function formatScaled(value: Scaled): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const text = value.scale === 0 ? digits : `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
  return negative ? `-${text}` : text;
}

/** The storage form: a number when the double gives back exactly this decimal at its scale, otherwise the canonical text. */
export function storedScaled(value: Scaled): number | string {
  const text = formatScaled(value);
  const number = Number(text);
  return Number.isFinite(number) && Math.abs(number) < 1e21 && number.toFixed(value.scale) === (text === '-0' ? '0' : text) ? number : text;
}

/** Compares two stored numbers exactly: -1, 0 or 1; null when either is NULL or no number. */
export function compareExact(left: StoredValue, right: StoredValue): number | null {
  if (left === null || right === null) return null;
  const a = readScaled(left);
  const b = readScaled(right);
  if (!a || !b) return null;
  const scale = Math.max(a.scale, b.scale);
  const difference = rescale(a, scale).units - rescale(b, scale).units;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

const KEY_WHOLE_DIGITS = 40;
const KEY_FRACTION_DIGITS = 40;

/**
 * A text that sorts (bytewise) as the number does, for ORDER BY: a sign character, then the
 * zero-padded digits; negative numbers store the nines' complement so larger magnitudes sort first.
 */
export function sortKey(value: StoredValue): string | null {
  if (value === null) return null;
  const scaled = readScaled(value);
  if (!scaled) return typeof value === 'string' ? `2${value}` : null;
  const fixed = rescale(scaled, KEY_FRACTION_DIGITS);
  const negative = fixed.units < 0n;
  const digits = (negative ? -fixed.units : fixed.units).toString().padStart(KEY_WHOLE_DIGITS + KEY_FRACTION_DIGITS, '0');
  if (!negative) return `1${digits}`;
  return `0${digits.replace(/\d/g, (d) => String(9 - Number(d)))}`;
}
