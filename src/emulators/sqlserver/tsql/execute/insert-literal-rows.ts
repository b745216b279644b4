/**
 * Rows the stand-in already holds (a procedure's result sets, OUTPUT rows, a TVP) inserted as
 * INSERT … VALUES would insert them, so the target's types, defaults and constraints apply: in
 * statements of at most 200 rows (SQLite allows 500 rows in one VALUES list).
 */
import type { Expr, Statement } from '../ast';
import type { SqlType, StoredValue } from '../../sql-type';
import { compileInsert } from '../translate/emit-dml';
import type { Executor } from './executor';
import { execute } from './run-write';

const ROWS_PER_STATEMENT = 200;

/** Values as literals of their types (NULL untyped, as a NULL literal is). */
export function literalRows(rows: StoredValue[][], types: ReadonlyArray<SqlType | null>): Expr[][] {
  return rows.map((row) => row.map((value, i) => ({ kind: 'literal', value, type: value === null ? null : types[i] })));
}

/** Inserts `rows` with `insert`'s target and columns; the number of rows inserted. */
export async function insertLiteralRows(
  ex: Executor,
  insert: Omit<Statement & { kind: 'insert' }, 'source'>,
  rows: Expr[][],
  identityInsert: (table: string) => boolean = () => false,
): Promise<number> {
  let count = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const statement: Statement & { kind: 'insert' } = { ...insert, source: { kind: 'values', rows: rows.slice(start, start + ROWS_PER_STATEMENT) } };
    const compiled = compileInsert(statement, ex.compiler(), identityInsert);
    count += (await ex.session.write(ex.signal, { kind: 'insert', table: compiled.table }, () => execute(ex.session, compiled))).changes;
  }
  return count;
}
