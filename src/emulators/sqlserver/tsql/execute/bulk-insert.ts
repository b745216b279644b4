/**
 * Bulk copy (mssql's Table + request.bulk): the client first sends `INSERT BULK table (columns)`,
 * which names the target, then a BULK_LOAD message with the rows (MS-TDS 2.2.6.1). The rows go
 * in through one prepared INSERT inside one write statement (locks as for INSERT), with identity, rowversion and defaults filled
 * in as for any INSERT and the same constraint errors.
 */
import type { Statement } from '../ast';
import type { Executor } from './executor';
import { resolveTable } from '../translate/emit-dml';
import { quoteIdentifier, ParameterList } from '../translate/context';
import { defaultValueSql, storeAs } from '../translate/storage';
import { Scope } from '../translate/scope';
import { keepIdentity, prepareIdentity } from './run-write';
import { triggerTargets, withTriggers } from './fire-triggers';
import { SqlError, sqlErrors } from '../sql-error';
import { typeFamily } from '../../sql-type';
import type { StoredValue, SqlType } from '../../sql-type';
import type { TableDefinition } from '../../engine/catalog';

export interface PendingBulkLoad {
  table: TableDefinition;
  columns: string[];
  order?: Array<{ name: string; descending: boolean }>;
  /** WITH (FIRE_TRIGGERS): the table's INSERT triggers fire once for the whole load, as SQL Server's. */
  fireTriggers?: boolean;
}

const pending = new WeakMap<object, PendingBulkLoad>();

export async function runInsertBulk(ex: Executor, statement: Statement & { kind: 'insertBulk' }): Promise<void> {
  const table = resolveTable(ex.compiler(), statement.table);
  if (statement.columns.some((column) => !table.columns.some((c) => c.name.toLowerCase() === column.name.toLowerCase()))) {
    // SQL Server ends such a request with DONE_ERROR and no ERROR token (clients then say the schema does not match).
    ex.hadError = true;
    return;
  }
  pending.set(ex.session, { table, columns: statement.columns.map((c) => c.name), order: statement.order, fireTriggers: statement.fireTriggers });
}

/** Inserts the rows of a BULK_LOAD message into the table the preceding INSERT BULK named. */
export async function loadBulkRows(ex: Executor, columns: Array<{ name: string; type: SqlType }>, rows: StoredValue[][]): Promise<void> {
  const target = pending.get(ex.session);
  pending.delete(ex.session);
  if (!target) throw new SqlError(4804, 'While reading current row from host, a premature end-of-message was encountered--an incoming data stream was interrupted when the server expected to see more data. The host program may have terminated. Ensure that you are using a supported client application programming interface (API).', 21);
  const table = target.table;
  if (target.fireTriggers && ex.session.catalog().triggersOn(table.name).some((t) => t.timing === 'INSTEAD OF' && !t.disabled && t.events.includes('INSERT'))) {
    throw sqlErrors.notSupported('bulk loads that fire an INSTEAD OF INSERT trigger');
  }
  checkDeclaredOrder(table, target.order, columns, rows);
  const found = columns.map((c) => table.columns.find((t) => t.name.toLowerCase() === c.name.toLowerCase()));
  if (found.some((column) => column === undefined)) {
    // Rows that do not fit the table: DONE_ERROR and no ERROR token, as for INSERT BULK above.
    ex.hadError = true;
    return;
  }
  const targets = columns.map((c, i) => ({ column: found[i]!, type: c.type }));
  const params = new ParameterList();
  const ctx = { tc: ex.session.translation(), params, scope: new Scope([]), subquery: () => { throw sqlErrors.notSupported('subqueries in defaults'); } };
  let current: StoredValue[] = [];
  const values = targets.map((t, i) => storeAs({ sql: params.bind(() => current[i]), type: t.type }, t.column));
  const implicit = table.columns.filter((c) => !c.computedSource && !targets.some((t) => t.column === c) && (c.identity || c.type.name === 'rowversion' || c.defaultSource));
  const names = [...targets.map((t) => t.column), ...implicit].map((c) => quoteIdentifier(c.name)).join(', ');
  const sql = `INSERT INTO ${quoteIdentifier(table.name)} (${names}) VALUES (${[...values, ...implicit.map((c) => defaultValueSql(table, c, ctx))].join(', ')})`;
  const load = () => {
    prepareIdentity(ex.session, table);
    for (const row of rows) {
      current = row;
      const { statement, values: bound } = ex.session.bind(sql, params);
      statement.run(...bound);
    }
    return { changes: rows.length };
  };
  // Without FIRE_TRIGGERS a bulk load fires no trigger (SQL Server's default for bulk imports).
  const { changes: count } = await ex.session.write(ex.signal, { kind: 'insert', table, also: target.fireTriggers ? triggerTargets(ex, table, ['INSERT']) : [] }, () => (target.fireTriggers ? withTriggers(ex, table, 'INSERT', 'all', load) : load()));
  keepIdentity(ex.session);
  // The count goes out in the response's one final DONE (session/requests.ts), as SQL Server answers a bulk load.
  ex.session.rowCount = count;
}

/**
 * INSERT BULK … WITH (ORDER(…)) promises rows sorted by the table's clustered key (its primary key
 * here); when the promise names exactly that key, SQL Server checks it and refuses the load
 * (4819) at the first pair out of order or equal. An order that is not the key is ignored. As
 * observed from SQL Server through tedious's suite, a promise on a character key is not checked
 * (rows out of nvarchar order load); only keys of other types are.
 */
function checkDeclaredOrder(table: TableDefinition, order: PendingBulkLoad['order'], columns: Array<{ name: string }>, rows: StoredValue[][]): void {
  const key = table.primaryKey?.columns;
  if (!order || !key || order.length !== key.length || order.some((o, i) => o.name.toLowerCase() !== key[i].toLowerCase() || o.descending)) return;
  const keyColumns = key.map((name) => table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()));
  if (keyColumns.some((c) => !c || typeFamily(c.type) === 'string')) return;
  const positions = key.map((name) => columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase()));
  if (positions.some((p) => p < 0)) return;
  const keyOf = (row: StoredValue[]) => positions.map((p) => row[p]);
  for (let i = 1; i < rows.length; i++) {
    const previous = keyOf(rows[i - 1]);
    const current = keyOf(rows[i]);
    if (compareKeys(previous, current) >= 0) {
      const show = (values: StoredValue[]) => `(${values.map((v) => (v === null ? 'NULL' : String(v))).join(', ')})`;
      throw new SqlError(4819, `Cannot bulk load. The bulk data stream was incorrectly specified as sorted or the data violates a uniqueness constraint imposed by the target table. Sort order incorrect for the following two rows: primary key of first row: ${show(previous)}, primary key of second row: ${show(current)}.`);
    }
  }
}

function compareKeys(left: StoredValue[], right: StoredValue[]): number {
  for (let i = 0; i < left.length; i++) {
    const a = left[i];
    const b = right[i];
    if (a === b) continue;
    if (a === null) return -1;
    if (b === null) return 1;
    if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
      if (a !== b) return a < b ? -1 : 1;
      continue;
    }
    const order = String(a).toLowerCase().localeCompare(String(b).toLowerCase());
    if (order !== 0) return order;
  }
  return 0;
}
