/**
 * OUTPUT … INTO table [(columns)]: the rows an INSERT, UPDATE or DELETE outputs go into a table or
 * table variable, in the same statement (and transaction), instead of to the client. They are
 * inserted as INSERT … VALUES would insert them, so the target's types, defaults and constraints
 * apply.
 */
import type { Expr, ObjectName, Statement } from '../ast';
import type { Executor } from './executor';
import type { TableDefinition } from '../../engine/catalog';
import type { StoredValue } from '../../sql-type';
import { compileInsert, CompiledOutput, resolveTable } from '../translate/emit-dml';
import { execute } from './run-write';

/** The target, resolved before the write starts (208 or 1087 when it does not exist). */
export function intoTarget(ex: Executor, name: ObjectName): TableDefinition {
  return resolveTable(ex.compiler(), name);
}

const CHUNK = 200;

/** Inserts the output rows: a write nested in the statement's (see SessionTransaction.write). */
export async function insertOutputRows(ex: Executor, output: CompiledOutput, rows: StoredValue[][], target: TableDefinition): Promise<void> {
  const into = output.into!;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const values: Expr[][] = rows.slice(start, start + CHUNK).map((row) => row.map((value, i) => ({ kind: 'literal', value, type: value === null ? null : output.columns[i].type })));
    const statement: Statement & { kind: 'insert' } = { kind: 'insert', line: 1, table: into.table, columns: into.columns, source: { kind: 'values', rows: values } };
    const compiled = compileInsert(statement, ex.compiler(), () => false);
    await ex.session.write(ex.signal, { kind: 'insert', table: target }, () => execute(ex.session, compiled));
  }
}
