/**
 * Declaring table variables and binding table-valued parameters: user-defined type names are
 * looked up when the declaration runs (2715 when unknown); a table variable gets a SQLite
 * temporary table with its constraints (see engine/table-variables.ts); a TVP's rows — from the
 * wire (TVP_ROW tokens) or from another table variable (EXEC p @t) — are inserted as INSERT …
 * VALUES would insert them, so defaults, identity and conversions follow the table type.
 */
import type { Statement } from '../ast';
import { insertLiteralRows, literalRows } from './insert-literal-rows';
import type { Executor } from './executor';
import type { TableDefinition, TypeDefinition } from '../../engine/catalog';
import type { VariableSlot } from '../translate/context';
import { quoteIdentifier } from '../translate/context';
import type { SqlType } from '../../sql-type';
import type { TvpValue } from '../../protocol/types/tvp-read';
import { createTableSql, buildTableDefinition } from '../translate/emit-ddl';
import { triggerStatements } from '../translate/constraint-triggers';
import { compileInsert } from '../translate/emit-dml';
import { execute } from './run-write';
import { checkSql } from './run-ddl';
import { sqlErrors } from '../sql-error';
import { toSqlError } from '../../engine/error-map';

/** The last part of a user type's name ('dbo.MyType' → 'MyType'): the stand-in has one schema. */
function typeKey(userType: string): string {
  const parts = userType.split('.');
  return parts[parts.length - 1];
}

/** A declared type: a system type as is, an alias type's base, or a table type. */
export function resolveDeclaredType(ex: Executor, type: SqlType): { type: SqlType; tableType?: TypeDefinition } {
  if (!type.userType) return { type };
  const found = ex.session.catalog().type(typeKey(type.userType));
  if (!found) throw sqlErrors.unknownType(type.userType);
  if (found.table) return { type, tableType: found };
  return { type: { ...found.base!, userType: found.name } };
}

/** DECLARE @t TABLE (…) or DECLARE @t SomeTableType: the variable and its (empty) table. */
export async function declareTableVariable(ex: Executor, name: string, source: { statement?: Statement & { kind: 'createTable' }; tableType?: TypeDefinition }, declaredBy?: object): Promise<VariableSlot> {
  const session = ex.session;
  const { slot, again } = session.variables.declare(name, { name: 'int' }, null, declaredBy);
  // A DECLARE run again (in a loop) keeps its table and rows, as SQL Server's compile-time DECLARE does.
  if (again && slot.table) return slot;
  const template: TableDefinition = source.statement
    ? buildTableDefinition(source.statement, ex.compiler(), 0)
    : JSON.parse(JSON.stringify(source.tableType!.table)) as TableDefinition;
  const table: TableDefinition = { ...template, name: session.tableVariables.uniqueName(name), temporary: true, foreignKeys: [] };
  await session.write(ex.signal, { kind: 'temp' }, () => {
    const ddl = [createTableSql(table), ...triggerStatements({ table, catalog: session.catalog(), checkSql: (t, s) => checkSql(ex, t, s) })];
    session.tableVariables.create(table, ddl);
  });
  slot.table = table;
  slot.tableType = source.tableType?.name;
  return slot;
}

/**
 * Fills a table-valued parameter from the rows a client sent (TDS TVP), by position: 500 when the
 * column counts differ; columns flagged fDefault (and computed ones) take their defaults; an
 * identity column is generated, and a value sent for it is 1077.
 */
export async function fillFromTvp(ex: Executor, name: string, table: TableDefinition, tvp: TvpValue): Promise<void> {
  if (tvp.columns.length !== table.columns.length) throw sqlErrors.tvpColumnCount(tvp.columns.length, table.columns.length);
  const sent = tvp.columns.map((c, i) => ({ column: table.columns[i], index: i, typeInfo: c.typeInfo }))
    .filter(({ column, index }) => !tvp.columns[index].useDefault && !column.computedSource);
  const identity = sent.find(({ column }) => column.identity);
  if (identity && tvp.rows.some((row) => row[identity.index] !== null)) throw sqlErrors.identityIntoTableVariable();
  const values = sent.filter(({ column }) => !column.identity);
  const target = { parts: [name], line: 1 };
  try {
    if (values.length > 0) {
      const rows = literalRows(tvp.rows.map((row) => values.map(({ index }) => row[index])), values.map(({ typeInfo }) => typeInfo.sqlType));
      await insertLiteralRows(ex, { kind: 'insert', line: 1, table: target, columns: values.map((s) => s.column.name) }, rows);
      return;
    }
    // With every column defaulted, each row is an INSERT … DEFAULT VALUES.
    for (let row = 0; row < tvp.rows.length; row += 1) {
      const compiled = compileInsert({ kind: 'insert', line: 1, table: target, source: { kind: 'defaultValues' } }, ex.compiler(), () => false);
      await ex.session.write(ex.signal, { kind: 'insert', table }, () => execute(ex.session, compiled));
    }
  } catch (error) {
    throw toSqlError(error, 'INSERT', ex.session.database);
  }
}

/** EXEC p @t: the parameter's table gets the rows of the table variable passed, which must be of its type (206). */
export async function copyTableVariable(ex: Executor, from: VariableSlot, to: TableDefinition, tableType: TypeDefinition): Promise<void> {
  if (from.tableType?.toLowerCase() !== tableType.name.toLowerCase()) throw sqlErrors.operandTypeClash('table', tableType.name);
  const list = to.columns.filter((c) => !c.computedSource).map((c) => quoteIdentifier(c.name)).join(', ');
  await ex.session.write(ex.signal, { kind: 'temp' }, () => {
    ex.session.db.exec(`INSERT INTO temp.${quoteIdentifier(to.name)} (${list}) SELECT ${list} FROM temp.${quoteIdentifier(from.table!.name)}`);
  });
}
