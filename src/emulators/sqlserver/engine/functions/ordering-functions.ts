/**
 * Functions the translator wraps around exact numbers and datetimeoffset values so they compare,
 * sort, round and add up as on SQL Server rather than as SQLite's storage forms would:
 * decimals may be stored as text when a double cannot hold them (exact-decimal.ts), and a
 * datetimeoffset is stored as local time plus offset, while SQL Server compares the UTC instant.
 */
import { compareVariants, unpackVariant } from '../../variant-value';
import type { SqliteDatabase } from '../sqlite-loader';
import { compareExact, formatScaled, readScaled, rescale, Scaled, sortKey, storedScaled } from '../../exact-decimal';
import { formatDate, formatTime, parseTemporal, TICKS_PER_DAY } from '../../temporal';

type Value = null | number | bigint | string | Buffer;

/** 'YYYY-MM-DD HH:MM:SS.fffffff' of the UTC instant, which sorts as text; other values pass unchanged. */
export function utcInstant(value: Value): Value {
  if (typeof value !== 'string') return value;
  const parts = parseTemporal(value);
  if (!parts || parts.offset === undefined) return value;
  let days = parts.days;
  let time = parts.time - parts.offset * 60 * 10_000_000;
  if (time < 0) { days -= 1; time += TICKS_PER_DAY; }
  if (time >= TICKS_PER_DAY) { days += 1; time -= TICKS_PER_DAY; }
  return `${formatDate(days)} ${formatTime(time)}`;
}

export const ORDERING_FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  hcm_dec_cmp: (left, right) => compareExact(left, right),
  hcm_dec_key: (value) => sortKey(value),
  /** ROUND to a type's scale without going through a double, so wide decimals stay exact. */
  hcm_dec_round: (value, scale) => {
    if (value === null) return null;
    const scaled = readScaled(value);
    return scaled ? storedScaled(rescale(scaled, Number(scale))) : value;
  },
  /** Unary minus on an exact number: SQLite's would turn an exact text into a double. */
  hcm_dec_neg: (value) => {
    if (value === null) return null;
    const scaled = readScaled(value);
    return scaled ? storedScaled({ units: -scaled.units, scale: scaled.scale }) : value;
  },
  /** The digits at a scale ('1.5000'), for FOR JSON. */
  hcm_dec_text: (value, scale) => {
    const scaled = value === null ? undefined : readScaled(value);
    return scaled ? formatScaled(rescale(scaled, Number(scale))) : value;
  },
  hcm_dto_utc: (value) => utcInstant(value),
  /** + - * on exact numbers in decimal (exact() then rounds to the result type's scale); anything unreadable falls back to doubles. */
  hcm_dec_arith: (op, left, right) => {
    if (left === null || right === null) return null;
    const a = readScaled(left);
    const b = readScaled(right);
    if (!a || !b) return op === '*' ? Number(left) * Number(right) : op === '-' ? Number(left) - Number(right) : Number(left) + Number(right);
    if (op === '*') return storedScaled({ units: a.units * b.units, scale: a.scale + b.scale });
    const scale = Math.max(a.scale, b.scale);
    const sign = op === '-' ? -1n : 1n;
    return storedScaled({ units: rescale(a, scale).units + sign * rescale(b, scale).units, scale });
  },
};

type SumState = { total: Scaled | null; count: number };

function add(state: SumState, value: Value, sign: 1n | -1n): SumState {
  if (value === null || value === undefined) return state;
  const scaled = readScaled(value);
  if (!scaled) return state;
  const units = sign * scaled.units;
  state.count += sign === 1n ? 1 : -1;
  if (!state.total) state.total = { units, scale: scaled.scale };
  else {
    const scale = Math.max(state.total.scale, scaled.scale);
    state.total = { units: rescale(state.total, scale).units + rescale({ units, scale: scaled.scale }, scale).units, scale };
  }
  return state;
}

/** SUM over decimal and money kept exact (with an inverse so it also works as a window function); MIN and MAX by numeric value or UTC instant. */
export function registerOrderingAggregates(db: SqliteDatabase): void {
  db.aggregate('hcm_dec_sum', {
    start: () => ({ total: null, count: 0 }),
    step: (state: SumState, value: Value) => add(state, value, 1n),
    inverse: (state: SumState, value: Value) => add(state, value, -1n),
    result: (state: SumState) => (state.total && state.count > 0 ? storedScaled(state.total) : null),
    safeIntegers: true,
  } as Parameters<SqliteDatabase['aggregate']>[1]);
  const extreme = (sign: number, compare: (a: Value, b: Value) => number | null) => ({
    start: () => ({ best: null as Value }),
    step: (state: { best: Value }, value: Value) => {
      if (value === null || value === undefined) return state;
      if (state.best === null || (compare(value, state.best) ?? 0) * sign > 0) state.best = value;
      return state;
    },
    result: (state: { best: Value }) => state.best,
    safeIntegers: true,
  });
  // datetimeoffset: by UTC instant, returning the value with its own offset.
  const compareInstants = (a: Value, b: Value) => {
    const [x, y] = [String(utcInstant(a)), String(utcInstant(b))];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  db.aggregate('hcm_dec_min', extreme(-1, compareExact) as Parameters<SqliteDatabase['aggregate']>[1]);
  db.aggregate('hcm_dec_max', extreme(1, compareExact) as Parameters<SqliteDatabase['aggregate']>[1]);
  db.aggregate('hcm_dto_min', extreme(-1, compareInstants) as Parameters<SqliteDatabase['aggregate']>[1]);
  db.aggregate('hcm_dto_max', extreme(1, compareInstants) as Parameters<SqliteDatabase['aggregate']>[1]);
  // sql_variant: by type family first, then value (variant-value.ts).
  const compareVariantValues = (a: Value, b: Value) => compareVariants(unpackVariant(a), unpackVariant(b));
  db.aggregate('hcm_variant_min', extreme(-1, compareVariantValues) as Parameters<SqliteDatabase['aggregate']>[1]);
  db.aggregate('hcm_variant_max', extreme(1, compareVariantValues) as Parameters<SqliteDatabase['aggregate']>[1]);
}
