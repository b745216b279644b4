/**
 * OUTPUT … INTO table [(columns)]: the rows an INSERT, UPDATE or DELETE outputs go into a table or
 * table variable, in the same statement (and transaction), instead of to the client. They are
 * inserted as INSERT … VALUES would insert them, so the target's types, defaults and constraints
 * apply.
 */
import type { ObjectName } from '../ast';
import type { Executor } from './executor';
import type { TableDefinition } from '../../engine/catalog';
import type { StoredValue } from '../../sql-type';
import { CompiledOutput, resolveTable } from '../translate/emit-dml';
import { insertLiteralRows, literalRows } from './insert-literal-rows';

/** The target, resolved before the write starts (208 or 1087 when it does not exist). */
export function intoTarget(ex: Executor, name: ObjectName): TableDefinition {
  return resolveTable(ex.compiler(), name);
}

/** Inserts the output rows: a write nested in the statement's (see SessionTransaction.write). */
export async function insertOutputRows(ex: Executor, output: CompiledOutput, rows: StoredValue[][]): Promise<void> {
  const into = output.into!;
  await insertLiteralRows(ex, { kind: 'insert', line: 1, table: into.table, columns: into.columns }, literalRows(rows, output.columns.map((c) => c.type)));
}
