/**
 * MERGE, decomposed into SQLite statements run in one write: the rows WHEN NOT MATCHED would
 * insert are chosen first (against the target as it was), then WHEN MATCHED updates/deletes,
 * then WHEN NOT MATCHED BY SOURCE, then the inserts. Earlier WHEN MATCHED clauses take
 * precedence over later ones, as in SQL Server. OUTPUT on MERGE is not supported.
 */
import type { Expr, MergeClause, Statement } from '../ast';
import type { Executor } from './executor';
import { CurrentCommand } from '../../protocol/tokens/done';
import { resolveTable, tableSource } from '../translate/emit-dml';
import { compileFrom } from '../translate/emit-from';
import { emitExpression, ExpressionContext } from '../translate/emit-expression';
import { quoteIdentifier } from '../translate/context';
import { Scope } from '../translate/scope';
import { defaultValueSql, storeAs } from '../translate/storage';
import { prepareIdentity, keepIdentity } from './run-write';
import { TriggerFiring, triggerTargets } from './fire-triggers';
import { SqlError, sqlErrors } from '../sql-error';
import type { CatalogColumn, TableDefinition } from '../../engine/catalog';

function compileMerge(ex: Executor, statement: Statement & { kind: 'merge' }) {
  const compiler = ex.compiler();
  const table = resolveTable(compiler, statement.target);
  if (ex.session.catalog().triggersOn(table.name).some((t) => t.timing === 'INSTEAD OF' && !t.disabled)) throw sqlErrors.notSupported('MERGE into a table with INSTEAD OF triggers');
  const alias = statement.alias ?? table.name;
  const T = quoteIdentifier(table.name);
  const A = quoteIdentifier(alias);
  const source = compileFrom([statement.source], compiler, undefined);
  const scope = new Scope([tableSource(table, alias, alias, alias !== table.name), ...source.sources]);
  const ctx = compiler.expressionContext(scope);
  const sql = (expr: Expr) => emitExpression(expr, ctx).sql;
  const on = sql(statement.on);
  const matchedExists = `EXISTS (SELECT 1 FROM ${source.sql} WHERE ${on})`;
  const statements: Array<{ sql: string; event: 'UPDATE' | 'DELETE'; updated: string[] }> = [];
  let insertColumns: CatalogColumn[] = [];
  let insertSnapshot: string | undefined;
  const handled: string[] = [];
  for (const clause of statement.clauses) {
    const condition = clause.condition ? sql(clause.condition) : '1';
    if (clause.when === 'NOT MATCHED') {
      if (clause.action.kind !== 'insert') throw new SqlError(10711, 'An action of type \'INSERT\' is not allowed in the \'WHEN MATCHED\' clause of a MERGE statement.', 15);
      insertColumns = (clause.action.columns ?? table.columns.filter((c) => !c.identity && !c.computedSource && c.type.name !== 'rowversion').map((c) => c.name)).map((name) => {
        const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
        if (!column) throw sqlErrors.invalidColumnName(name);
        return column;
      });
      const values = clause.action.values.map((value, i) => `${storeAs(emitExpression(value, ctx), insertColumns[i])} AS ${quoteIdentifier(`c${i}`)}`);
      insertSnapshot = `CREATE TEMP TABLE "__hcm_merge_insert" AS SELECT ${values.join(', ')} FROM ${source.sql} WHERE NOT EXISTS (SELECT 1 FROM ${T} AS ${A} WHERE ${on}) AND (${condition})`;
      continue;
    }
    const bySource = clause.when === 'NOT MATCHED BY SOURCE';
    const earlier = handled.length ? ` AND NOT (${handled.join(' OR ')})` : '';
    if (!bySource && clause.condition) handled.push(`(${condition})`);
    statements.push({
      sql: bySource ? bySourceSql(clause, T, A, matchedExists, condition, ctx, table) : matchedSql(clause, T, A, source.sql, on, condition + earlier, ctx, table),
      event: clause.action.kind === 'update' ? 'UPDATE' : 'DELETE',
      updated: clause.action.kind === 'update' ? clause.action.sets.map((set) => set.column[set.column.length - 1]) : [],
    });
  }
  return { compiler, table, ctx, T, statements, insertColumns, insertSnapshot };
}

export async function runMerge(ex: Executor, statement: Statement & { kind: 'merge' }): Promise<void> {
  if (statement.output) throw sqlErrors.notSupported('OUTPUT on MERGE');
  // Translated before the lock wait (errors first) and again if before-images came or went meanwhile.
  let merge = compileMerge(ex, statement);
  const epoch = ex.session.store.images.epoch;
  // Each action fires the table's AFTER triggers for its kind, once the whole MERGE is done (SQL Server's order among them is unspecified).
  const firings: TriggerFiring[] = [];
  const also = triggerTargets(ex, merge.table, ['INSERT', 'UPDATE', 'DELETE']);
  const changes = await ex.session.write(ex.signal, { kind: 'update', table: merge.table, also }, async () => {
    if (ex.session.store.images.epoch !== epoch) merge = compileMerge(ex, statement);
    const { compiler, table, ctx, T, statements, insertColumns, insertSnapshot } = merge;
    let total = 0;
    const run = (text: string, event: 'INSERT' | 'UPDATE' | 'DELETE', updated: string[] | 'all') => {
      const firing = TriggerFiring.start(ex, table, event, updated);
      if (firing) firings.push(firing);
      const change = () => {
        const { statement: prepared, values } = ex.session.bind(text, compiler.params);
        return { changes: Number(prepared.run(...values).changes) };
      };
      total += (firing ? firing.capture(change) : change()).changes;
    };
    if (insertSnapshot) {
      ex.session.db.exec('DROP TABLE IF EXISTS temp."__hcm_merge_insert"');
      const { statement: prepared, values } = ex.session.bind(insertSnapshot, compiler.params);
      prepared.run(...values);
    }
    for (const action of statements) run(action.sql, action.event, action.updated);
    if (insertSnapshot) {
      prepareIdentity(ex.session, table);
      const implicit = table.columns.filter((c) => !c.computedSource && !insertColumns.includes(c) && (c.identity || c.type.name === 'rowversion' || c.defaultSource));
      const names = [...insertColumns, ...implicit].map((c) => quoteIdentifier(c.name)).join(', ');
      const selected = [...insertColumns.map((_, i) => quoteIdentifier(`c${i}`)), ...implicit.map((c) => defaultValueSql(table, c, ctx))].join(', ');
      run(`INSERT INTO ${T} (${names}) SELECT ${selected} FROM temp."__hcm_merge_insert"`, 'INSERT', 'all');
      ex.session.db.exec('DROP TABLE temp."__hcm_merge_insert"');
    }
    try {
      for (const firing of firings) await firing.fire();
    } finally {
      for (const firing of firings) firing.dispose();
    }
    return total;
  });
  keepIdentity(ex.session);
  ex.session.rowCount = changes;
  ex.sink.done({ inProc: ex.inProc, rowCount: ex.session.options.nocount ? undefined : changes, command: CurrentCommand.Update });
}

function setList(clause: MergeClause & { action: { kind: 'update' } }, ctx: ExpressionContext, table: TableDefinition): string {
  const sets = clause.action.sets.map((set) => {
    const column = table.columns.find((c) => c.name.toLowerCase() === set.column[set.column.length - 1].toLowerCase());
    if (!column) throw sqlErrors.invalidColumnName(set.column[set.column.length - 1]);
    if (column.identity) throw sqlErrors.identityUpdate(column.name);
    return `${quoteIdentifier(column.name)} = ${storeAs(emitExpression(set.expr, ctx), column)}`;
  });
  for (const rv of table.columns.filter((c) => c.type.name === 'rowversion')) sets.push(`${quoteIdentifier(rv.name)} = hcm_rowversion()`);
  return sets.join(', ');
}

function matchedSql(clause: MergeClause, T: string, A: string, sourceSql: string, on: string, condition: string, ctx: ExpressionContext, table: TableDefinition): string {
  if (clause.action.kind === 'insert') throw new SqlError(10710, "An action of type 'INSERT' is not allowed in the 'WHEN MATCHED' clause of a MERGE statement.", 15);
  if (clause.action.kind === 'update') return `UPDATE ${T} AS ${A} SET ${setList(clause as MergeClause & { action: { kind: 'update' } }, ctx, table)} FROM ${sourceSql} WHERE ${on} AND (${condition})`;
  return `DELETE FROM ${T} WHERE rowid IN (SELECT ${A}.rowid FROM ${T} AS ${A}, ${sourceSql} WHERE ${on} AND (${condition}))`;
}

function bySourceSql(clause: MergeClause, T: string, A: string, matchedExists: string, condition: string, ctx: ExpressionContext, table: TableDefinition): string {
  if (clause.action.kind === 'insert') throw new SqlError(10711, "An action of type 'INSERT' is not allowed in the 'WHEN NOT MATCHED BY SOURCE' clause of a MERGE statement.", 15);
  if (clause.action.kind === 'update') return `UPDATE ${T} AS ${A} SET ${setList(clause as MergeClause & { action: { kind: 'update' } }, ctx, table)} WHERE NOT ${matchedExists} AND (${condition})`;
  return `DELETE FROM ${T} WHERE rowid IN (SELECT ${A}.rowid FROM ${T} AS ${A} WHERE NOT ${matchedExists} AND (${condition}))`;
}
