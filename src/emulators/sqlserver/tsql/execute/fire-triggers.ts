/**
 * AFTER triggers (CREATE TRIGGER … AFTER|FOR INSERT, UPDATE, DELETE) fire inside the statement
 * that changed their table, in its SQLite transaction, after the change and its constraint checks:
 * - while the statement runs, SQLite TEMP triggers copy each new and old row into two temporary
 *   tables, which the trigger's body reads as `inserted` and `deleted`;
 * - the body then runs as a procedure (its own variables, nesting level, @@ROWCOUNT = the rows the
 *   statement changed); an error in it fails the statement, whose savepoint undoes it all;
 * - as with SQL Server's defaults (server option 'nested triggers' 1, database option
 *   RECURSIVE_TRIGGERS OFF) a trigger's changes fire other triggers, up to 32 levels, but never
 *   the same trigger again directly.
 */
import type { Statement, TriggerEvent } from '../ast';
import type { Executor } from './executor';
import { ReturnSignal } from './executor';
import type { TableDefinition, TriggerDefinition } from '../../engine/catalog';
import { quoteIdentifier } from '../translate/context';
import { parseBatch } from '../parser/parser';
import { SqlError, sqlErrors } from '../sql-error';

export interface TriggerFrame {
  trigger: string;
  inserted?: TableDefinition;
  deleted?: TableDefinition;
  /** UPDATE(column): the columns the statement set (lower case); every column for an INSERT. */
  updated: Set<string> | 'all';
}

const parsed = new Map<string, Statement[]>();

function triggerBody(trigger: TriggerDefinition): Statement[] {
  let body = parsed.get(trigger.source);
  if (!body) {
    const [statement] = parseBatch(trigger.source);
    if (statement?.kind !== 'createTrigger') throw sqlErrors.internal(`the trigger ${trigger.name} no longer parses`);
    body = statement.body;
    if (parsed.size > 200) parsed.clear();
    parsed.set(trigger.source, body);
  }
  return body;
}

let captureCounter = 0;

/** The triggers a change of `table` by `event` fires now (none on #temp tables and table variables). */
export function triggersFor(ex: Executor, table: TableDefinition, event: TriggerEvent): TriggerDefinition[] {
  if (table.temporary) return [];
  const active = ex.session.triggerFrames;
  const current = active[active.length - 1]?.trigger.toLowerCase();
  return ex.session.catalog().triggersOn(table.name).filter((t) => t.timing === 'AFTER' && t.events.includes(event) && t.name.toLowerCase() !== current);
}

/**
 * Runs `change` (synchronous, inside the caller's write) and then the AFTER triggers it fires.
 * `change` returns the number of rows it changed.
 */
export async function withTriggers<T extends { changes: number }>(ex: Executor, table: TableDefinition, event: TriggerEvent, updated: string[] | 'all', change: () => T): Promise<T> {
  const triggers = triggersFor(ex, table, event);
  if (triggers.length === 0) return change();
  const db = ex.session.db;
  const n = ++captureCounter;
  const columns = table.columns.map((c) => c.name);
  const list = columns.map(quoteIdentifier).join(', ');
  const pseudo = (kind: 'inserted' | 'deleted'): TableDefinition => ({
    ...table, name: `~${kind}~${n}`, temporary: true, primaryKey: undefined, uniques: [], foreignKeys: [], checks: [], indexes: [],
    columns: table.columns.map((c) => ({ ...c, identity: undefined, defaultSource: undefined, computedSource: undefined, computedSql: undefined })),
  });
  // Both tables exist in every trigger; an INSERT leaves `deleted` empty, a DELETE `inserted`.
  const inserted = pseudo('inserted');
  const deleted = pseudo('deleted');
  const captures: string[] = [];
  for (const [target, row, captured] of [[inserted, 'NEW', event !== 'DELETE'], [deleted, 'OLD', event !== 'INSERT']] as const) {
    db.exec(`CREATE TEMP TABLE ${quoteIdentifier(target.name)} AS SELECT ${list} FROM main.${quoteIdentifier(table.name)} WHERE 0`);
    if (!captured) continue;
    const sqliteEvent = event;
    const capture = `~capture~${target.name}`;
    db.exec(`CREATE TEMP TRIGGER ${quoteIdentifier(capture)} AFTER ${sqliteEvent} ON ${quoteIdentifier(table.name)} BEGIN `
      + `INSERT INTO ${quoteIdentifier(target.name)} (${list}) VALUES (${columns.map((c) => `${row}.${quoteIdentifier(c)}`).join(', ')}); END`);
    captures.push(capture);
  }
  let result: T;
  try {
    result = change();
  } finally {
    for (const capture of captures) db.exec(`DROP TRIGGER IF EXISTS temp.${quoteIdentifier(capture)}`);
  }
  try {
    const frame: TriggerFrame = { trigger: '', inserted, deleted, updated: updated === 'all' ? 'all' : new Set(updated.map((c) => c.toLowerCase())) };
    for (const trigger of triggers) await runTrigger(ex, trigger, { ...frame, trigger: trigger.name }, result.changes);
  } finally {
    for (const target of [inserted, deleted]) db.exec(`DROP TABLE IF EXISTS temp.${quoteIdentifier(target.name)}`);
  }
  return result;
}

async function runTrigger(ex: Executor, trigger: TriggerDefinition, frame: TriggerFrame, changes: number): Promise<void> {
  const session = ex.session;
  if (session.nestLevel >= 32) throw new SqlError(217, 'Maximum stored procedure, function, trigger, or view nesting level exceeded (limit 32).');
  const body = triggerBody(trigger);
  const saved = { inProc: ex.inProc, procName: ex.procName, options: { ...session.options } };
  session.variables.push();
  session.triggerFrames.push(frame);
  session.nestLevel++;
  session.rowCount = changes;
  ex.inProc = true;
  ex.procName = trigger.name;
  // An error in a trigger ends the statement that fired it (which undoes its change), not just one line of the body.
  ex.tryDepth++;
  try {
    await ex.runStatements(body);
  } catch (error) {
    if (!(error instanceof ReturnSignal)) throw error;
  } finally {
    ex.tryDepth--;
    session.nestLevel--;
    session.triggerFrames.pop();
    session.variables.pop();
    ex.inProc = saved.inProc;
    ex.procName = saved.procName;
    session.options = saved.options;
  }
}
