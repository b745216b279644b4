/**
 * CREATE [OR ALTER] TRIGGER and DROP TRIGGER on tables (sys.triggers). DROP TABLE drops the
 * table's triggers with it; ENABLE and DISABLE TRIGGER switch them. A table has at most one INSTEAD OF
 * trigger per action (2111).
 */
import type { Statement } from '../ast';
import { displayName } from '../ast';
import type { Executor } from './executor';
import { deleteObject, nextObjectId, saveDefinition } from '../../engine/catalog';
import { nowText } from '../translate/emit-ddl';
import { splitObjectName } from '../translate/emit-from';
import { SqlError, sqlErrors } from '../sql-error';

export async function runCreateTrigger(ex: Executor, statement: Statement & { kind: 'createTrigger' }): Promise<void> {
  const { object: name } = splitObjectName(statement.name, ex.session.database);
  const { object: tableName } = splitObjectName(statement.table, ex.session.database);
  const locked = ex.session.catalog().table(tableName);
  await ex.session.write(ex.signal, { kind: 'ddl', tables: locked ? [locked] : [] }, () => {
    const catalog = ex.session.catalog();
    const table = catalog.table(tableName);
    if (!table) {
      if (tableName.startsWith('#')) throw new SqlError(2102, `Cannot create trigger on temporary object '${tableName}'.`);
      throw new SqlError(8197, `The object '${displayName(statement.table)}' does not exist or is invalid for this operation.`);
    }
    const existing = catalog.trigger(name);
    // One INSTEAD OF trigger per action and table.
    const clash = statement.timing === 'INSTEAD OF' && catalog.triggersOn(table.name)
      .find((t) => t.timing === 'INSTEAD OF' && t.name.toLowerCase() !== name.toLowerCase() && t.events.some((e) => statement.events.includes(e)));
    if (clash) {
      const event = clash.events.find((e) => statement.events.includes(e));
      throw new SqlError(2111, `Cannot CREATE trigger '${name}' on table '${displayName(statement.table)}' because an INSTEAD OF ${event} trigger already exists on this object.`);
    }
    if ((existing && !statement.orAlter) || catalog.object(name)) throw sqlErrors.objectExists(name);
    if (!existing && statement.orAlter && /^\s*ALTER\s/i.test(statement.source)) throw new SqlError(8197, `The object '${name}' does not exist or is invalid for this operation.`);
    saveDefinition(ex.session.db, {
      kind: 'trigger', schema: 'dbo', name, objectId: existing?.objectId ?? nextObjectId(ex.session.db), createdAt: nowText(),
      table: table.name, timing: statement.timing, events: statement.events, source: statement.source,
    });
  });
}

export async function runDropTrigger(ex: Executor, statement: Statement & { kind: 'drop' }): Promise<void> {
  const catalog = ex.session.catalog();
  const tables = statement.names.flatMap((written) => {
    const table = catalog.table(catalog.trigger(splitObjectName(written, ex.session.database).object)?.table ?? '');
    return table ? [table] : [];
  });
  await ex.session.write(ex.signal, { kind: 'ddl', tables }, () => {
    for (const written of statement.names) {
      const { object } = splitObjectName(written, ex.session.database);
      const found = ex.session.catalog().trigger(object);
      if (!found) {
        if (statement.ifExists) continue;
        throw sqlErrors.cannotDrop('trigger', displayName(written));
      }
      deleteObject(ex.session.db, found.name);
    }
  });
}

/** { ENABLE | DISABLE } TRIGGER: 3701 for a trigger that is not the table's, 1088 for an unknown table. */
export async function runEnableTrigger(ex: Executor, statement: Statement & { kind: 'enableTrigger' }): Promise<void> {
  const { object: tableName } = splitObjectName(statement.table, ex.session.database);
  const locked = ex.session.catalog().table(tableName);
  await ex.session.write(ex.signal, { kind: 'ddl', tables: locked ? [locked] : [] }, () => {
    const catalog = ex.session.catalog();
    const table = catalog.table(tableName);
    if (!table) throw new SqlError(1088, `Cannot find the object "${displayName(statement.table)}" because it does not exist or you do not have permissions.`);
    const triggers = statement.names === 'ALL' ? catalog.triggersOn(table.name) : statement.names.map((written) => {
      const { object } = splitObjectName(written, ex.session.database);
      const found = catalog.trigger(object);
      if (!found || found.table.toLowerCase() !== table.name.toLowerCase()) {
        throw new SqlError(3701, `Cannot find the trigger '${displayName(written)}', because it does not exist or you do not have permission.`, 11, 5);
      }
      return found;
    });
    for (const trigger of triggers) saveDefinition(ex.session.db, { ...trigger, disabled: !statement.enable || undefined });
  });
}

/** DROP TABLE: its triggers go with it. */
export function dropTriggersOf(ex: Executor, table: string): void {
  for (const trigger of ex.session.catalog().triggersOn(table)) deleteObject(ex.session.db, trigger.name);
}
