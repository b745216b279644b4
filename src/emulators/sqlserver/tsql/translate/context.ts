/**
 * What translation needs to know about the session: its catalog (with its temporary tables),
 * database name, declared variables and system values. Values are bound as `?` parameters read
 * when the statement runs, so a translated statement sees the variables' values of that moment.
 */
import type { Catalog, TableDefinition } from '../../engine/catalog';
import type { SqlType, StoredValue } from '../../sql-type';

export interface VariableSlot {
  type: SqlType;
  value: StoredValue;
  /** A table variable: its table (a SQLite temporary table of its own name). */
  table?: TableDefinition;
  /** A table-valued parameter (READONLY): its rows cannot be changed (error 10700). */
  readOnly?: boolean;
  /** The table type a table variable was declared with (EXEC p @t needs p's very type). */
  tableType?: string;
}

export interface TranslationContext {
  catalog: Catalog;
  tempTables: Map<string, TableDefinition>;
  database: string;
  variable(name: string): VariableSlot | undefined;
  system(name: string): { type: SqlType; get: () => StoredValue } | undefined;
  /** A value computed when the statement runs (SCOPE_IDENTITY(), @@ROWCOUNT, …). */
  sessionValue(name: string): { type: SqlType; get: () => StoredValue } | undefined;
  /** Whether CREATE TABLE columns without NULL/NOT NULL allow NULL (ANSI_NULL_DFLT_ON/OFF); true when absent. */
  nullByDefault?: boolean;
  /**
   * The before-image to read instead of a permanent table that another session's open
   * transaction wrote (READ_COMMITTED_SNAPSHOT: readers see the committed rows).
   */
  beforeImage?(table: string): string | undefined;
  /** Some table is read from another session's image: views are then translated inline. */
  readsImages?: boolean;
  /** sys.dm_exec_sessions' rows (every live session). */
  sessionRows?(): StoredValue[][];
  /** sys.dm_tran_locks' rows (the stand-in's table and database locks, granted and waiting). */
  lockRows?(): StoredValue[][];
  /** sys.dm_exec_connections' rows (every live connection). */
  connectionRows?(): StoredValue[][];
  /** Inside a trigger: its `inserted` and `deleted` tables and the columns UPDATE() is true for. */
  trigger?: { inserted?: TableDefinition; deleted?: TableDefinition; updated: Set<string> | 'all' };
}

/**
 * Collects a statement's parameters as getters. Each is numbered (?1, ?2, …) when it is emitted,
 * so clauses can be translated in any order (FROM before the select list) and fragments can be
 * reused by a second statement (the pre-update read of OUTPUT DELETED) with the same numbers.
 */
export class ParameterList {
  readonly getters: Array<() => StoredValue> = [];

  bind(getter: () => StoredValue): string {
    this.getters.push(getter);
    return `?${this.getters.length}`;
  }

}

const positionalCache = new Map<string, { text: string; order: number[] }>();

/**
 * Rewrites ?N parameters into plain positional ? in text order (SQLite binds ?N by name in
 * better-sqlite3, which cannot skip numbers), remembering which getter each position reads.
 * Quoted strings and identifiers are left alone.
 */
export function positionalParameters(sql: string): { text: string; order: number[] } {
  const cached = positionalCache.get(sql);
  if (cached) return cached;
  let text = '';
  const order: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i];
    if (quote) {
      text += char;
      if (char === quote) {
        if (sql[i + 1] === quote) text += sql[++i];
        else quote = undefined;
      }
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      text += char;
    } else if (char === '?') {
      let j = i + 1;
      while (j < sql.length && sql[j] >= '0' && sql[j] <= '9') j++;
      order.push(Number(sql.slice(i + 1, j)));
      text += '?';
      i = j - 1;
    } else text += char;
  }
  const result = { text, order };
  if (positionalCache.size > 2000) positionalCache.clear();
  positionalCache.set(sql, result);
  return result;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL literal for a stored value. */
export function literalSql(value: StoredValue, real = false): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'NULL';
    const text = String(value);
    return real && Number.isInteger(value) && !/e/i.test(text) ? `${text}.0` : text;
  }
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  return quoteString(value);
}
