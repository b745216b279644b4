/**
 * SELECT … INTO new_table: creates the table from the query's columns (names and types), then
 * fills it, in one write.
 */
import type { Statement } from '../ast';
import type { Executor } from './executor';
import { CurrentCommand } from '../../protocol/tokens/done';
import { createTableSql, nowText } from '../translate/emit-ddl';
import { splitObjectName } from '../translate/emit-from';
import { quoteIdentifier } from '../translate/context';
import { positionalName } from '../translate/emit-query';
import type { TableDefinition } from '../../engine/catalog';
import { nextObjectId, saveObject } from '../../engine/catalog';
import { sqlErrors } from '../sql-error';
import { NVARCHAR_4000 } from '../../sql-type';

export async function runSelectInto(ex: Executor, statement: Statement & { kind: 'select' }): Promise<void> {
  const body = statement.query.body;
  if (body.kind !== 'select' || !body.into) return;
  const target = body.into;
  const query = { ...statement.query, body: { ...body, into: undefined } };
  let compiler = ex.compiler();
  let compiled = compiler.compile(query);
  const epoch = ex.session.store.images.epoch;
  const { object: name } = splitObjectName(target, ex.session.database);
  const temporary = name.startsWith('#');
  if ((temporary && ex.session.tempTables.has(name.toLowerCase())) || (!temporary && ex.session.catalog().object(name))) {
    throw sqlErrors.objectExists(name);
  }
  const changes = await ex.session.write(ex.signal, temporary ? { kind: 'temp', created: name } : { kind: 'ddl', tables: [] }, () => {
    if (ex.session.store.images.epoch !== epoch) {
      // A lock wait let before-images come or go: the query's reads are translated again.
      compiler = ex.compiler();
      compiled = compiler.compile(query);
    }
    const table: TableDefinition = {
      kind: 'table', schema: 'dbo', name, objectId: temporary ? 0 : nextObjectId(ex.session.db), createdAt: nowText(),
      columns: compiled.columns.map((c) => ({ name: c.name, type: c.type ?? NVARCHAR_4000, nullable: c.nullable })),
      uniques: [], foreignKeys: [], checks: [], indexes: [], temporary: temporary || undefined,
    };
    ex.session.db.exec(createTableSql(table));
    const names = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
    const select = table.columns.map((_, i) => quoteIdentifier(positionalName(i))).join(', ');
    const sql = `INSERT INTO ${quoteIdentifier(name)} (${names}) SELECT ${select} FROM (${compiled.sql})`;
    const bound = ex.session.bind(sql, compiler.params);
    const info = bound.statement.run(...bound.values);
    if (temporary) ex.session.tempTables.set(name.toLowerCase(), table);
    else saveObject(ex.session.db, table);
    return Number(info.changes);
  });
  ex.session.rowCount = changes;
  ex.sink.done({ inProc: ex.inProc, rowCount: ex.session.options.nocount ? undefined : changes, command: CurrentCommand.Select });
}
