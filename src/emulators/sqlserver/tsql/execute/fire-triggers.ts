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
import { parsedDefinition } from './parsed-definitions';
import { markRaisedInTrigger } from './trigger-errors';
import { changedTables } from './run-type-ddl';
import { SqlError } from '../sql-error';

export interface TriggerFrame {
  trigger: string;
  inserted?: TableDefinition;
  deleted?: TableDefinition;
  /** UPDATE(column): the columns the statement set (lower case); every column for an INSERT. */
  updated: Set<string> | 'all';
  /** The trigger ran ROLLBACK: the transaction ends with the statement, and so does the batch (3609). */
  rolledBack?: boolean;
  /** An INSTEAD OF trigger of this table: its own statements on the table run as if it had none. */
  insteadOf?: string;
}

function triggerBody(trigger: TriggerDefinition): Statement[] {
  return parsedDefinition(trigger.source, 'createTrigger', `the trigger ${trigger.name}`).body;
}

let captureCounter = 0;

/**
 * The permanent tables the triggers a change of `table` fires may write, nested triggers
 * included: the statement locks them before it starts, as SQLite's write lock is held while
 * a trigger runs and a wait then could never end.
 */
export function triggerTargets(ex: Executor, table: TableDefinition, events: TriggerEvent[]): TableDefinition[] {
  const catalog = ex.session.catalog();
  const found = new Map<string, TableDefinition>();
  const visit = (current: TableDefinition, kinds: TriggerEvent[]) => {
    for (const trigger of catalog.triggersOn(current.name)) {
      if (trigger.disabled || !trigger.events.some((e) => kinds.includes(e))) continue;
      for (const name of changedTables(triggerBody(trigger))) {
        const target = catalog.table(name);
        if (!target || target.temporary || found.has(target.name.toLowerCase()) || target.name.toLowerCase() === table.name.toLowerCase()) continue;
        found.set(target.name.toLowerCase(), target);
        visit(target, ['INSERT', 'UPDATE', 'DELETE']);
      }
    }
  };
  if (!table.temporary) visit(table, events);
  return [...found.values()];
}

/** The triggers a change of `table` by `event` fires now (none on #temp tables and table variables). */
export function triggersFor(ex: Executor, table: TableDefinition, event: TriggerEvent): TriggerDefinition[] {
  if (table.temporary) return [];
  const active = ex.session.triggerFrames;
  const current = active[active.length - 1]?.trigger.toLowerCase();
  return ex.session.catalog().triggersOn(table.name).filter((t) => t.timing === 'AFTER' && !t.disabled && t.events.includes(event) && t.name.toLowerCase() !== current);
}

/**
 * One firing of a table's AFTER triggers for one action: `capture` runs the change (synchronous,
 * inside the caller's write) while SQLite copies its rows; `fire` then runs the triggers, and
 * `dispose` drops the copies. MERGE captures each of its actions, then fires them in turn.
 */
export class TriggerFiring {
  private readonly inserted: TableDefinition;
  private readonly deleted: TableDefinition;
  private changes = 0;

  private constructor(private readonly ex: Executor, private readonly table: TableDefinition, private readonly event: TriggerEvent,
    private readonly triggers: TriggerDefinition[], private readonly updated: string[] | 'all') {
    const n = ++captureCounter;
    const pseudo = (kind: 'inserted' | 'deleted'): TableDefinition => ({
      ...table, name: `#~${kind}~${n}`, temporary: true, primaryKey: undefined, uniques: [], foreignKeys: [], checks: [], indexes: [],
      columns: table.columns.map((c) => ({ ...c, identity: undefined, defaultSource: undefined, computedSource: undefined, computedSql: undefined })),
    });
    this.inserted = pseudo('inserted');
    this.deleted = pseudo('deleted');
  }

  /** A firing when `event` on `table` fires any trigger now; otherwise undefined. */
  static start(ex: Executor, table: TableDefinition, event: TriggerEvent, updated: string[] | 'all'): TriggerFiring | undefined {
    const triggers = triggersFor(ex, table, event);
    return triggers.length === 0 ? undefined : new TriggerFiring(ex, table, event, triggers, updated);
  }

  /** An INSTEAD OF trigger's firing: `fill` writes the rows the statement would change. */
  static instead(ex: Executor, table: TableDefinition, event: TriggerEvent, trigger: TriggerDefinition, updated: string[] | 'all'): TriggerFiring {
    return new TriggerFiring(ex, table, event, [trigger], updated);
  }

  /** Creates the empty `inserted` and `deleted` tables; `fill` writes rows into them and says how many the statement changes. */
  fill(fill: (inserted: TableDefinition, deleted: TableDefinition) => number): void {
    this.createTables();
    this.changes = fill(this.inserted, this.deleted);
  }

  get changed(): number {
    return this.changes;
  }

  private createTables(): void {
    const list = this.table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
    for (const target of [this.inserted, this.deleted]) {
      this.ex.session.db.exec(`CREATE TEMP TABLE ${quoteIdentifier(target.name)} AS SELECT ${list} FROM main.${quoteIdentifier(this.table.name)} WHERE 0`);
    }
  }

  capture<T extends { changes: number }>(change: () => T): T {
    const db = this.ex.session.db;
    const columns = this.table.columns.map((c) => c.name);
    const list = columns.map(quoteIdentifier).join(', ');
    const captures: string[] = [];
    // Both tables exist in every trigger; an INSERT leaves `deleted` empty, a DELETE `inserted`.
    this.createTables();
    for (const [target, row, captured] of [[this.inserted, 'NEW', this.event !== 'DELETE'], [this.deleted, 'OLD', this.event !== 'INSERT']] as const) {
      if (!captured) continue;
      const capture = `~capture~${target.name}`;
      db.exec(`CREATE TEMP TRIGGER ${quoteIdentifier(capture)} AFTER ${this.event} ON ${quoteIdentifier(this.table.name)} BEGIN `
        + `INSERT INTO ${quoteIdentifier(target.name)} (${list}) VALUES (${columns.map((c) => `${row}.${quoteIdentifier(c)}`).join(', ')}); END`);
      captures.push(capture);
    }
    try {
      const result = change();
      this.changes = result.changes;
      return result;
    } finally {
      for (const capture of captures) db.exec(`DROP TRIGGER IF EXISTS temp.${quoteIdentifier(capture)}`);
    }
  }

  async fire(): Promise<void> {
    const updated = this.updated === 'all' ? 'all' : new Set(this.updated.map((c) => c.toLowerCase()));
    for (const trigger of this.triggers) {
      const insteadOf = trigger.timing === 'INSTEAD OF' ? this.table.name : undefined;
      await runTrigger(this.ex, trigger, { trigger: trigger.name, inserted: this.inserted, deleted: this.deleted, updated, insteadOf }, this.changes);
    }
  }

  dispose(): void {
    for (const target of [this.inserted, this.deleted]) this.ex.session.db.exec(`DROP TABLE IF EXISTS temp.${quoteIdentifier(target.name)}`);
  }
}

/** Runs `change` (synchronous, inside the caller's write) and then the AFTER triggers it fires. */
export async function withTriggers<T extends { changes: number }>(ex: Executor, table: TableDefinition, event: TriggerEvent, updated: string[] | 'all', change: () => T): Promise<T> {
  const firing = TriggerFiring.start(ex, table, event, updated);
  if (!firing) return change();
  try {
    const result = firing.capture(change);
    await firing.fire();
    return result;
  } finally {
    firing.dispose();
  }
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
    try {
      await ex.runStatements(body);
    } catch (error) {
      if (!(error instanceof ReturnSignal)) throw error;
    }
    if (frame.rolledBack) throw new SqlError(3609, 'The transaction ended in the trigger. The batch has been aborted.', 16, 1);
  } catch (error) {
    markRaisedInTrigger(error);
    throw error;
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
