/**
 * Registers the stand-in's functions on a session's SQLite connection: SQL Server semantics the
 * translated SQL calls by name (hcm_cast, hcm_like, hcm_div, hcm_dateadd, …) and aggregates
 * SQLite lacks (STDEV, VAR). Functions without side effects are marked deterministic so SQLite
 * may use them in CHECK-like trigger conditions and computed columns.
 */
import type { SqliteDatabase } from '../sqlite-loader';
import { convertValue } from '../convert';
import { sqlErrors } from '../../tsql/sql-error';
import { canonicalTypeName, makeType, SqlType } from '../../sql-type';
import { tokenize } from '../../tsql/lexer';
import { Cursor } from '../../tsql/parser/cursor';
import { parseDataType } from '../../tsql/parser/parse-type';
import { STRING_FUNCTIONS } from './string-functions';
import { VARIANT_FUNCTIONS } from './variant-functions';
import { DATE_FUNCTIONS, sessionDateFunctions } from './date-functions';
import { catalogFunctions, FunctionHost } from './catalog-functions';
import { ORDERING_FUNCTIONS, registerOrderingAggregates } from './ordering-functions';

type Value = null | number | bigint | string | Buffer;

const typeCache = new Map<string, SqlType>();

export function parseTypeText(text: string): SqlType {
  let type = typeCache.get(text);
  if (!type) {
    const name = canonicalTypeName(text);
    if (name) type = makeType(name, [], true);
    else {
      // 'varchar(10) COLLATE Cyrillic_General_CI_AS': a cast that keeps its operand's collation.
      const cursor = new Cursor(tokenize(text), text);
      type = parseDataType(cursor, true);
      if (cursor.acceptWord('COLLATE')) type = { ...type, collation: cursor.identifier(true) };
    }
    typeCache.set(text, type);
  }
  return type;
}

// Functions reading DATEFIRST/LANGUAGE/DATEFORMAT stay deterministic: those change between statements only.
const NONDETERMINISTIC = new Set(['hcm_now', 'hcm_newid', 'hcm_identity', 'hcm_rowversion']);

export function registerFunctions(db: SqliteDatabase, host: FunctionHost): void {
  const functions: Record<string, (...args: Value[]) => Value> = {
    ...STRING_FUNCTIONS,
    ...DATE_FUNCTIONS,
    ...ORDERING_FUNCTIONS,
    ...VARIANT_FUNCTIONS,
    ...sessionDateFunctions(host),
    ...catalogFunctions(host),
    hcm_cast: (value, to, from, style, tryCast) => convertValue(value, from === null ? null : parseTypeText(String(from)), parseTypeText(String(to)),
      style === null ? undefined : Number(style), Number(tryCast) === 1, host.dateSettings()),
    hcm_newid: () => globalThis.crypto.randomUUID().toUpperCase(),
  };
  for (const [name, fn] of Object.entries(functions)) {
    const catalogBound = name in catalogFunctions(host);
    db.function(name, { varargs: true, deterministic: !NONDETERMINISTIC.has(name) && !catalogBound, safeIntegers: true }, fn as (...args: unknown[]) => unknown);
  }
  registerStatistics(db);
  registerOrderingAggregates(db);
  db.aggregate('hcm_single', {
    start: () => ({ rows: 0, value: null as unknown }),
    step: (state: { rows: number; value: unknown }, value: unknown) => {
      state.rows += 1;
      if (state.rows > 1) throw sqlErrors.subqueryMultipleRows();
      state.value = value;
      return state;
    },
    result: (state: { value: unknown }) => state.value,
    safeIntegers: true,
  } as Parameters<SqliteDatabase['aggregate']>[1]);
}

function registerStatistics(db: SqliteDatabase): void {
  const variance = (sample: boolean) => ({
    start: () => ({ n: 0, mean: 0, m2: 0 }),
    step: (state: { n: number; mean: number; m2: number }, value: unknown) => {
      if (value === null || value === undefined) return state;
      const x = Number(value);
      state.n += 1;
      const delta = x - state.mean;
      state.mean += delta / state.n;
      state.m2 += delta * (x - state.mean);
      return state;
    },
    result: (state: { n: number; m2: number }) => (state.n < (sample ? 2 : 1) ? null : state.m2 / (sample ? state.n - 1 : state.n)),
  });
  db.aggregate('hcm_var', variance(true));
  db.aggregate('hcm_varp', variance(false));
  db.aggregate('hcm_stdev', { ...variance(true), result: (s: { n: number; m2: number }) => (s.n < 2 ? null : Math.sqrt(s.m2 / (s.n - 1))) });
  db.aggregate('hcm_stdevp', { ...variance(false), result: (s: { n: number; m2: number }) => (s.n < 1 ? null : Math.sqrt(s.m2 / s.n)) });
}
