/**
 * Bulk copy (mssql's Table + request.bulk): the client first sends `INSERT BULK table (columns)`,
 * which names the target, then a BULK_LOAD message with the rows (MS-TDS 2.2.6.1). The rows go
 * in through one prepared INSERT inside one write, with identity, rowversion and defaults filled
 * in as for any INSERT and the same constraint errors.
 */
import type { Statement } from '../ast';
import type { Executor } from './executor';
import { resolveTable } from '../translate/emit-dml';
import { quoteIdentifier, ParameterList } from '../translate/context';
import { defaultValueSql, storeAs } from '../translate/storage';
import { Scope } from '../translate/scope';
import { keepIdentity, prepareIdentity } from './run-write';
import { SqlError, sqlErrors } from '../sql-error';
import type { StoredValue, SqlType } from '../../sql-type';
import type { TableDefinition } from '../../engine/catalog';

export interface PendingBulkLoad {
  table: TableDefinition;
  columns: string[];
}

const pending = new WeakMap<object, PendingBulkLoad>();

/**
 * Rows that do not fit the table: SQL Server ends such a bulk load with DONE_ERROR and no ERROR
 * token (clients then say the schema does not match), so this is not a SqlError.
 */
export class BulkSchemaMismatch extends Error {}

const refused = new WeakSet<object>();

/** True (once) when the session's last INSERT BULK named columns its table lacks. */
export function insertBulkRefused(session: object): boolean {
  return refused.delete(session);
}

export async function runInsertBulk(ex: Executor, statement: Statement & { kind: 'insertBulk' }): Promise<void> {
  const table = resolveTable(ex.compiler(), statement.table);
  if (statement.columns.some((column) => !table.columns.some((c) => c.name.toLowerCase() === column.name.toLowerCase()))) {
    // SQL Server ends such a request with DONE_ERROR and no ERROR token (see insertBulkRefused).
    refused.add(ex.session);
    return;
  }
  pending.set(ex.session, { table, columns: statement.columns.map((c) => c.name) });
}

/** Inserts the rows of a BULK_LOAD message into the table the preceding INSERT BULK named. */
export async function loadBulkRows(ex: Executor, columns: Array<{ name: string; type: SqlType }>, rows: StoredValue[][]): Promise<void> {
  const target = pending.get(ex.session);
  pending.delete(ex.session);
  if (!target) throw new SqlError(4804, 'While reading current row from host, a premature end-of-message was encountered--an incoming data stream was interrupted when the server expected to see more data. The host program may have terminated. Ensure that you are using a supported client application programming interface (API).', 21);
  const table = target.table;
  const targets = columns.map((c) => {
    const column = table.columns.find((t) => t.name.toLowerCase() === c.name.toLowerCase());
    if (!column) throw new BulkSchemaMismatch(`The bulk load names column '${c.name}', which ${table.name} does not have.`);
    return { column, type: c.type };
  });
  const params = new ParameterList();
  const ctx = { tc: ex.session.translation(), params, scope: new Scope([]), subquery: () => { throw sqlErrors.notSupported('subqueries in defaults'); } };
  let current: StoredValue[] = [];
  const values = targets.map((t, i) => storeAs({ sql: params.bind(() => current[i]), type: t.type }, t.column));
  const implicit = table.columns.filter((c) => !c.computedSource && !targets.some((t) => t.column === c) && (c.identity || c.type.name === 'rowversion' || c.defaultSource));
  const names = [...targets.map((t) => t.column), ...implicit].map((c) => quoteIdentifier(c.name)).join(', ');
  const sql = `INSERT INTO ${quoteIdentifier(table.name)} (${names}) VALUES (${[...values, ...implicit.map((c) => defaultValueSql(table, c, ctx))].join(', ')})`;
  const count = await ex.session.write(ex.signal, () => {
    prepareIdentity(ex.session, table);
    for (const row of rows) {
      current = row;
      const { statement, values: bound } = ex.session.bind(sql, params);
      statement.run(...bound);
    }
    return rows.length;
  });
  keepIdentity(ex.session);
  // The count goes out in the response's one final DONE (session/requests.ts), as SQL Server answers a bulk load.
  ex.session.rowCount = count;
}
