/**
 * INSTEAD OF triggers on tables: the statement does not change the table; the rows it would
 * insert go into `inserted` (with defaults and identity values, no constraint checked), the rows
 * it would delete or update into `deleted` (and an UPDATE's new values into `inserted`), and the
 * trigger runs in the statement's place, in its transaction. What the trigger does to its own
 * table runs as if the table had no INSTEAD OF trigger (AFTER triggers still fire), as SQL Server
 * documents. The statement's row count is the number of rows it would have changed.
 */
import type { Statement, TriggerEvent } from '../ast';
import type { Executor } from './executor';
import type { TableDefinition, TriggerDefinition } from '../../engine/catalog';
import { compileDelete, compileInsert, compileUpdate, CompiledWrite, resolveTable } from '../translate/emit-dml';
import { quoteIdentifier } from '../translate/context';
import { execute } from './run-write';
import { TriggerFiring, triggerTargets } from './fire-triggers';
import { sqlErrors } from '../sql-error';

/** The INSTEAD OF trigger a statement fires, if any (none inside that table's own INSTEAD OF trigger). */
export function insteadOfTrigger(ex: Executor, statement: Statement & { kind: 'insert' | 'update' | 'delete' }): InsteadOf | undefined {
  const event = statement.kind.toUpperCase() as TriggerEvent;
  const candidates = ex.session.catalog().triggers().filter((t) => t.timing === 'INSTEAD OF' && !t.disabled && t.events.includes(event));
  if (candidates.length === 0) return undefined;
  // UPDATE f … FROM dbo.T AS f names its target by alias: compiling finds the table.
  const compiled = statement.kind === 'update' ? compileUpdate(statement, ex.compiler()) : statement.kind === 'delete' ? compileDelete(statement, ex.compiler()) : undefined;
  const table = compiled?.table ?? resolveTable(ex.compiler(), (statement as Statement & { kind: 'insert' }).table);
  if (table.temporary) return undefined;
  const trigger = candidates.find((t) => t.table.toLowerCase() === table.name.toLowerCase());
  if (!trigger) return undefined;
  if (ex.session.triggerFrames.some((frame) => frame.insteadOf?.toLowerCase() === table.name.toLowerCase())) return undefined;
  return { table, trigger, compiled };
}

export interface InsteadOf {
  table: TableDefinition;
  trigger: TriggerDefinition;
  /** UPDATE and DELETE, compiled: the rows they would change. */
  compiled?: CompiledWrite;
}

/** Runs the INSTEAD OF trigger in the statement's place; the number of rows the statement would have changed. */
export async function runInsteadOf(ex: Executor, statement: Statement & { kind: 'insert' | 'update' | 'delete' }, { table, trigger, compiled }: InsteadOf): Promise<number> {
  if (statement.output) throw sqlErrors.notSupported('OUTPUT on a statement an INSTEAD OF trigger replaces');
  const event = statement.kind.toUpperCase() as TriggerEvent;
  const updated = statement.kind === 'update' ? statement.sets.flatMap((set) => (set.column ? [set.column[set.column.length - 1]] : [])) : statement.kind === 'insert' ? 'all' : [];
  const firing = TriggerFiring.instead(ex, table, event, trigger, updated);
  return ex.session.write(ex.signal, { kind: statement.kind, table, also: triggerTargets(ex, table, [event]) }, async () => {
    try {
      firing.fill((inserted, deleted) => (statement.kind === 'insert' ? fillInserted(ex, statement, table, inserted) : fillChanged(ex, compiled!, inserted, deleted)));
      await firing.fire();
      return firing.changed;
    } finally {
      firing.dispose();
    }
  });
}

/** INSERT: the statement itself, aimed at `inserted`, which carries the table's defaults and identity but no constraint. */
function fillInserted(ex: Executor, statement: Statement & { kind: 'insert' }, table: TableDefinition, inserted: TableDefinition): number {
  const shadow: TableDefinition = { ...table, name: inserted.name, temporary: true, primaryKey: undefined, uniques: [], foreignKeys: [], checks: [], indexes: [] };
  const key = shadow.name.toLowerCase();
  ex.session.tempTables.set(key, shadow);
  try {
    const aimed: Statement & { kind: 'insert' } = { ...statement, table: { parts: [shadow.name], line: statement.line } };
    const compiled = compileInsert(aimed, ex.compiler(), () => ex.session.options.identityInsert?.toLowerCase() === table.name.toLowerCase());
    return execute(ex.session, compiled).changes;
  } finally {
    ex.session.tempTables.delete(key);
    ex.session.store.identityCounters.delete(key);
  }
}

/** UPDATE and DELETE: the rows they would change into `deleted`; an UPDATE's new values into `inserted`. */
function fillChanged(ex: Executor, compiled: CompiledWrite, inserted: TableDefinition, deleted: TableDefinition): number {
  const rows = compiled.rows!;
  const A = quoteIdentifier(rows.alias);
  const source = `FROM ${quoteIdentifier(compiled.table.name)} AS ${A}${rows.from ? `, ${rows.from}` : ''}${rows.where ? ` WHERE ${rows.where}` : ''}`;
  const run = (sql: string) => {
    const { statement, values } = ex.session.bind(sql, compiled.params);
    return Number(statement.run(...values).changes);
  };
  const count = run(`INSERT INTO temp.${quoteIdentifier(deleted.name)} SELECT ${compiled.table.columns.map((c) => `${A}.${quoteIdentifier(c.name)}`).join(', ')} ${source}`);
  if (compiled.kind === 'UPDATE') {
    const values = compiled.table.columns.map((c) => rows.values?.get(c.name) ?? `${A}.${quoteIdentifier(c.name)}`);
    run(`INSERT INTO temp.${quoteIdentifier(inserted.name)} SELECT ${values.join(', ')} ${source}`);
  }
  return count;
}
