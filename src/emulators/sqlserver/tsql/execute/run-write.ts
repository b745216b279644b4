/**
 * INSERT, UPDATE, DELETE: translated, then run under the statement's locks (see SqlSession.write). An
 * INSERT into a table with IDENTITY first brings the table's identity counter level with the
 * table; OUTPUT rows come back as a result set after the change is done.
 */
import type { Statement } from '../ast';
import type { Executor } from './executor';
import { CurrentCommand } from '../../protocol/tokens/done';
import { compileDelete, compileInsert, compileUpdate, CompiledWrite } from '../translate/emit-dml';
import type { StoredValue } from '../../sql-type';
import type { TableDefinition } from '../../engine/catalog';
import type { SqlSession } from '../../engine/sql-session';
import { quoteIdentifier } from '../translate/context';
import { resultColumns } from './run-select';
import { triggerTargets, withTriggers } from './fire-triggers';
import { insertOutputRows, intoTarget } from './output-into';
import { insertFromExec } from './insert-exec';
import { insteadOfTrigger, runInsteadOf } from './fire-instead';
import { sqlErrors } from '../sql-error';

const COMMANDS = { INSERT: CurrentCommand.Insert, UPDATE: CurrentCommand.Update, DELETE: CurrentCommand.Delete } as const;

function compileWrite(ex: Executor, statement: Statement & { kind: 'insert' | 'update' | 'delete' }): CompiledWrite {
  const compiler = ex.compiler();
  if (statement.kind === 'insert') {
    return compileInsert(statement, compiler, (table) => ex.session.options.identityInsert?.toLowerCase() === table.toLowerCase());
  }
  if (statement.kind === 'update') return compileUpdate(statement, compiler);
  return compileDelete(statement, compiler);
}

export async function runWrite(ex: Executor, statement: Statement & { kind: 'insert' | 'update' | 'delete' }): Promise<void> {
  if (statement.kind === 'insert' && statement.source.kind === 'exec') {
    if (statement.output) throw sqlErrors.notSupported('OUTPUT on INSERT … EXEC');
    const count = await insertFromExec(ex, statement);
    ex.session.rowCount = count;
    return ex.sink.done({ inProc: ex.inProc, rowCount: ex.session.options.nocount ? undefined : count, command: CurrentCommand.Insert });
  }
  const insteadOf = insteadOfTrigger(ex, statement);
  if (insteadOf) {
    const count = await runInsteadOf(ex, statement, insteadOf);
    ex.session.rowCount = count;
    return ex.sink.done({ inProc: ex.inProc, rowCount: ex.session.options.nocount ? undefined : count, command: COMMANDS[statement.kind === 'insert' ? 'INSERT' : statement.kind === 'update' ? 'UPDATE' : 'DELETE'] });
  }
  // Translated first, so a bad statement fails before it waits for a lock; translated again if
  // a wait let another transaction's before-images come or go (its reads name them).
  let compiled = compileWrite(ex, statement);
  const epoch = ex.session.store.images.epoch;
  ex.session.pendingIdentity = null;
  // UPDATE(column) in a trigger: true for the columns SET names; for an INSERT, for every column; for a DELETE, none.
  const updated = statement.kind === 'update' ? statement.sets.flatMap((set) => (set.column ? [set.column[set.column.length - 1]] : []))
    : statement.kind === 'insert' ? 'all' : [];
  const into = compiled.output?.into && intoTarget(ex, compiled.output.into.table);
  const also = triggerTargets(ex, compiled.table, [compiled.kind]);
  const result = await ex.session.write(ex.signal, { kind: statement.kind, table: compiled.table, also }, async () => {
    if (ex.session.store.images.epoch !== epoch) compiled = compileWrite(ex, statement);
    const done = await withTriggers(ex, compiled.table, compiled.kind, updated, () => execute(ex.session, compiled));
    // OUTPUT … INTO: a write of its own inside this one (its target takes its own locks).
    if (into && done.rows) await insertOutputRows(ex, compiled.output!, done.rows);
    return done;
  });
  keepIdentity(ex.session);
  ex.session.rowCount = result.changes;
  const count = ex.session.options.nocount ? undefined : result.changes;
  if (compiled.output && result.rows && !into) {
    ex.sink.columns(resultColumns(compiled.output.columns, result.rows[0]));
    for (const row of result.rows) {
      const wait = ex.sink.row(row);
      if (wait) await wait;
    }
  }
  ex.sink.done({ inProc: ex.inProc, rowCount: count, command: COMMANDS[compiled.kind] });
}

/** A statement that generated identity values succeeded: they become SCOPE_IDENTITY() and @@IDENTITY. */
export function keepIdentity(session: SqlSession): void {
  if (session.pendingIdentity === null) return;
  session.identity = session.pendingIdentity;
  session.scopeIdentity = session.pendingIdentity;
  session.pendingIdentity = null;
}

/** Runs a translated change inside the write transaction; synchronous, so nothing interleaves. */
export function execute(session: SqlSession, compiled: CompiledWrite): { changes: number; rows?: StoredValue[][] } {
  if (compiled.kind === 'INSERT') prepareIdentity(session, compiled.table);
  const { statement, values } = session.bind(compiled.sql, compiled.params);
  let result: { changes: number; rows?: StoredValue[][] };
  if (!compiled.output) {
    result = { changes: Number(statement.run(...values).changes) };
  } else {
    const before = new Map<string, StoredValue[]>();
    if (compiled.output.before) {
      const bound = session.bind(compiled.output.before.sql, compiled.params);
      const rows = bound.statement.all(...bound.values) as StoredValue[][];
      for (const row of rows) before.set(String(row[0]), row);
    }
    const returned = statement.all(...values) as StoredValue[][];
    const rows = returned.map((row) => compiled.output!.sources.map((source) => (source.from === 'returning' ? row[source.index] : before.get(String(row[0]))?.[source.index] ?? null)));
    result = { changes: returned.length, rows };
  }
  if (compiled.explicitIdentity) prepareIdentity(session, compiled.table);
  return result;
}

/** Sets the identity counter to the larger of its value and the table's highest identity. */
export function prepareIdentity(session: SqlSession, table: TableDefinition): void {
  const column = table.columns.find((c) => c.identity);
  if (!column) return;
  const key = table.name.toLowerCase();
  const base = BigInt(column.identity!.seed) - BigInt(column.identity!.increment);
  const row = session.prepare(`SELECT max(${quoteIdentifier(column.name)}) FROM ${quoteIdentifier(table.name)}`).get() as StoredValue[];
  const highest = row[0] === null ? base : BigInt(row[0] as bigint);
  const current = session.store.identityCounters.get(key) ?? base;
  session.store.identityCounters.set(key, current > highest ? current : highest);
}
