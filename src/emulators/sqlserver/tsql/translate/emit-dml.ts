/**
 * INSERT, UPDATE and DELETE to SQLite. Left-out columns get SQL Server's values (IDENTITY,
 * ROWVERSION, DEFAULT), written values are converted to the column's type, UPDATE refreshes
 * rowversion columns, TOP becomes a rowid subquery, and OUTPUT becomes RETURNING — except
 * UPDATE's DELETED values, read by a SELECT of the same rows just before the update.
 */
import type { Expr, FromItem, ObjectName, OutputClause, SelectItem, Statement } from '../ast';
import { displayName } from '../ast';
import type { CatalogColumn, TableDefinition } from '../../engine/catalog';
import { SqlError, sqlErrors } from '../sql-error';
import { ParameterList, quoteIdentifier } from './context';
import { Scope, Source, SourceColumn } from './scope';
import { emitExpression } from './emit-expression';
import { positionalName, QueryCompiler, OutputColumn } from './emit-query';
import { compileFrom, splitObjectName, tableVariable, triggerTable } from './emit-from';
import { defaultValueSql, storeAs } from './storage';

export interface CompiledOutput {
  columns: OutputColumn[];
  /** Where each output column's value comes from: the RETURNING row or the pre-update row. */
  sources: Array<{ from: 'returning' | 'before'; index: number }>;
  /** UPDATE … OUTPUT DELETED: rows [rowid, values…] read before the update. */
  before?: { sql: string; params: ParameterList };
  /** OUTPUT … INTO: the rows go into this table (or table variable) instead of to the client. */
  into?: { table: ObjectName; columns?: string[] };
}

export interface CompiledWrite {
  kind: 'INSERT' | 'UPDATE' | 'DELETE';
  table: TableDefinition;
  sql: string;
  params: ParameterList;
  output?: CompiledOutput;
  /** The statement writes explicit identity values (IDENTITY_INSERT ON): counters must catch up. */
  explicitIdentity: boolean;
  /**
   * UPDATE and DELETE: the rows they change, as a SELECT reads them — FROM table AS alias[, from]
   * WHERE where — and UPDATE's new values by column (INSTEAD OF triggers read these instead).
   */
  rows?: { alias: string; from: string; where: string; values?: Map<string, string> };
}

export function resolveTable(compiler: QueryCompiler, name: { parts: string[]; line: number }): TableDefinition {
  const { schema, object } = splitObjectName(name, compiler.tc.database);
  if (name.parts.length === 1 && compiler.tc.trigger && triggerTable(compiler.tc.trigger, object)) {
    throw new SqlError(286, 'The logical tables INSERTED and DELETED cannot be updated.');
  }
  if (object.startsWith('@')) {
    const slot = tableVariable(compiler.tc, object);
    if (slot.readOnly) throw sqlErrors.readOnlyTableParameter(object);
    return slot.table;
  }
  const table = object.startsWith('#') ? compiler.tc.tempTables.get(object.toLowerCase()) : schema.toLowerCase() === 'dbo' ? compiler.tc.catalog.object(object) : undefined;
  if (!table || table.kind === 'procedure') throw sqlErrors.invalidObjectName(displayName(name));
  if (table.kind === 'view') throw sqlErrors.notSupported(`changing data through the view '${table.name}'`);
  return table;
}

function column(table: TableDefinition, name: string): CatalogColumn {
  const found = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!found) throw sqlErrors.invalidColumnName(name);
  return found;
}

export function tableSource(table: TableDefinition, alias: string, sqlAlias: string, explicitAlias = true): Source {
  return {
    alias, explicitAlias, objectName: table.name, schema: table.schema, sqlAlias, table: table.name,
    columns: table.columns.map((c): SourceColumn => ({ name: c.name, type: c.type, nullable: c.nullable, identity: !!c.identity })),
  };
}

export function compileInsert(statement: Statement & { kind: 'insert' }, compiler: QueryCompiler, identityInsert: (table: string) => boolean): CompiledWrite {
  const table = resolveTable(compiler, statement.table);
  const explicitIdentity = identityInsert(table.name);
  const writable = table.columns.filter((c) => !c.computedSource);
  let targets: CatalogColumn[];
  // DEFAULT VALUES names no column: each takes its default, identity or NULL (515 when NOT NULL).
  if (statement.source.kind === 'defaultValues') targets = [];
  else if (statement.columns) {
    targets = statement.columns.map((name) => column(table, name));
    for (const target of targets) {
      if (target.identity && !explicitIdentity) throw sqlErrors.identityInsertOff(table.name);
      if (target.type.name === 'rowversion') throw sqlErrors.rowversionInsert();
      if (target.computedSource) throw new SqlError(271, `The column "${target.name}" cannot be modified because it is either a computed column or is the result of a UNION operator.`);
    }
  } else {
    if (explicitIdentity && table.columns.some((c) => c.identity)) {
      throw new SqlError(8101, `An explicit value for the identity column in table '${table.name}' can only be specified when a column list is used and IDENTITY_INSERT is ON.`);
    }
    targets = writable.filter((c) => !c.identity && c.type.name !== 'rowversion');
  }
  const implicit = writable.filter((c) => !targets.includes(c) && (c.identity || c.type.name === 'rowversion' || c.defaultSource));
  const valueScope = new Scope([]);
  const ctx = compiler.expressionContext(valueScope);
  const names = [...targets, ...implicit].map((c) => quoteIdentifier(c.name)).join(', ');
  const implicitSql = implicit.map((c) => defaultValueSql(table, c, ctx));
  let sql: string;
  const source = statement.source;
  if (source.kind === 'values') {
    const rows = source.rows.map((row) => {
      if (row.length !== targets.length) {
        if (!statement.columns) throw sqlErrors.insertColumnsMismatch();
        throw row.length > targets.length ? sqlErrors.columnCountMismatch() : sqlErrors.valueCountMismatch();
      }
      const values = row.map((expr, i) => (expr.kind === 'keyword' && expr.word === 'DEFAULT'
        ? defaultValueSql(table, targets[i], ctx) : storeAs(emitExpression(expr, ctx), targets[i])));
      return `(${[...values, ...implicitSql].join(', ')})`;
    });
    sql = `INSERT INTO ${quoteIdentifier(table.name)} (${names}) VALUES ${rows.join(', ')}`;
  } else if (source.kind === 'query') {
    const compiled = compiler.compile(source.query, undefined, true);
    if (compiled.columns.length !== targets.length) throw sqlErrors.insertColumnsMismatch();
    const values = targets.map((target, i) => storeAs({ sql: quoteIdentifier(positionalName(i)), type: compiled.columns[i].type }, target));
    sql = `INSERT INTO ${quoteIdentifier(table.name)} (${names}) SELECT ${[...values, ...implicitSql].join(', ')} FROM (${compiled.sql}) WHERE 1`;
  } else if (source.kind === 'defaultValues') {
    sql = implicit.length ? `INSERT INTO ${quoteIdentifier(table.name)} (${names}) VALUES (${implicitSql.join(', ')})` : `INSERT INTO ${quoteIdentifier(table.name)} DEFAULT VALUES`;
  } else {
    throw sqlErrors.notSupported('INSERT … EXEC');
  }
  const output = statement.output ? compileOutput(statement.output, table, compiler, { inserted: true, deleted: false }) : undefined;
  if (output) sql += returningSql(output.returning);
  return { kind: 'INSERT', table, sql, params: compiler.params, output: output?.compiled, explicitIdentity: explicitIdentity && targets.some((c) => c.identity) };
}

/** Finds UPDATE/DELETE's target among its FROM items (UPDATE c … FROM dbo.Customers c JOIN …). */
function targetAndFrom(statement: { target: { parts: string[]; line: number }; from: FromItem[] }, compiler: QueryCompiler): { table: TableDefinition; alias: string; others: FromItem[]; conditions: Expr[] } {
  if (statement.from.length === 0) {
    const table = resolveTable(compiler, statement.target);
    return { table, alias: table.name, others: [], conditions: [] };
  }
  const flat: Array<FromItem & { kind: 'table' | 'derived' | 'values' }> = [];
  const conditions: Expr[] = [];
  const flatten = (item: FromItem) => {
    if (item.kind !== 'join') return void flat.push(item);
    if (item.joinType !== 'INNER' && item.joinType !== 'CROSS') throw sqlErrors.notSupported(`${item.joinType} JOIN in the FROM clause of UPDATE or DELETE`);
    flatten(item.left);
    flatten(item.right);
    if (item.on) conditions.push(item.on);
  };
  statement.from.forEach(flatten);
  const wanted = statement.target.parts[statement.target.parts.length - 1].toLowerCase();
  const index = flat.findIndex((item) => item.kind === 'table' && ((item.alias ?? item.name.parts[item.name.parts.length - 1]).toLowerCase() === wanted));
  if (index < 0) {
    const table = resolveTable(compiler, statement.target);
    return { table, alias: table.name, others: flat, conditions };
  }
  const target = flat[index] as FromItem & { kind: 'table' };
  const table = resolveTable(compiler, target.name);
  return { table, alias: target.alias ?? table.name, others: flat.filter((_, i) => i !== index), conditions };
}

export function compileUpdate(statement: Statement & { kind: 'update' }, compiler: QueryCompiler): CompiledWrite {
  const { table, alias, others, conditions } = targetAndFrom(statement, compiler);
  const from = others.length ? compileFrom(others, compiler, undefined) : { sql: '', sources: [] };
  const scope = new Scope([tableSource(table, alias, alias, alias !== table.name), ...from.sources]);
  const ctx = compiler.expressionContext(scope);
  const values = new Map<string, string>();
  const assignments = statement.sets.map((set) => {
    if (set.variable) throw sqlErrors.notSupported('assigning variables in UPDATE … SET');
    const target = column(table, set.column![set.column!.length - 1]);
    if (target.identity) throw sqlErrors.identityUpdate(target.name);
    if (target.type.name === 'rowversion') throw new SqlError(272, 'Cannot update a timestamp column.');
    if (target.computedSource) throw new SqlError(271, `The column "${target.name}" cannot be modified because it is either a computed column or is the result of a UNION operator.`);
    const expr: Expr = set.op === '=' ? set.expr : { kind: 'binary', op: set.op.slice(0, -1), left: { kind: 'column', parts: [alias, target.name], line: statement.line }, right: set.expr };
    const value = storeAs(emitExpression(expr, ctx), target);
    values.set(target.name, value);
    return `${quoteIdentifier(target.name)} = ${value}`;
  });
  for (const rv of table.columns.filter((c) => c.type.name === 'rowversion')) {
    values.set(rv.name, 'hcm_rowversion()');
    assignments.push(`${quoteIdentifier(rv.name)} = hcm_rowversion()`);
  }
  const filter = whereSql(statement.where, conditions, ctx);
  const topFilter = topSql(statement.top, table, alias, from.sql, filter, compiler);
  let sql = `UPDATE ${quoteIdentifier(table.name)} AS ${quoteIdentifier(alias)} SET ${assignments.join(', ')}`;
  if (from.sql) sql += ` FROM ${from.sql}`;
  const where = [filter, topFilter].filter(Boolean).join(' AND ');
  if (where) sql += ` WHERE ${where}`;
  const output = statement.output ? compileOutput(statement.output, table, compiler, { inserted: true, deleted: true, beforeFrom: { alias, fromSql: from.sql, where } }) : undefined;
  if (output) sql += returningSql(output.returning);
  return { kind: 'UPDATE', table, sql, params: compiler.params, output: output?.compiled, explicitIdentity: false, rows: { alias, from: from.sql, where, values } };
}

export function compileDelete(statement: Statement & { kind: 'delete' }, compiler: QueryCompiler): CompiledWrite {
  const { table, alias, others, conditions } = targetAndFrom(statement, compiler);
  const from = others.length ? compileFrom(others, compiler, undefined) : { sql: '', sources: [] };
  const scope = new Scope([tableSource(table, alias, alias, alias !== table.name), ...from.sources]);
  const ctx = compiler.expressionContext(scope);
  const filter = whereSql(statement.where, conditions, ctx);
  let where: string;
  if (from.sql || statement.top) {
    const limit = statement.top ? ` LIMIT ${emitExpression(statement.top, compiler.expressionContext(new Scope([]))).sql}` : '';
    const inner = `SELECT ${quoteIdentifier(alias)}.rowid FROM ${quoteIdentifier(table.name)} AS ${quoteIdentifier(alias)}${from.sql ? `, ${from.sql}` : ''}${filter ? ` WHERE ${filter}` : ''}${limit}`;
    where = `rowid IN (${inner})`;
  } else where = filter;
  let sql = from.sql || statement.top ? `DELETE FROM ${quoteIdentifier(table.name)}` : `DELETE FROM ${quoteIdentifier(table.name)} AS ${quoteIdentifier(alias)}`;
  if (where) sql += ` WHERE ${where}`;
  const output = statement.output ? compileOutput(statement.output, table, compiler, { inserted: false, deleted: true }) : undefined;
  if (output) sql += returningSql(output.returning);
  const rows = from.sql || statement.top ? { alias: table.name, from: '', where } : { alias, from: '', where };
  return { kind: 'DELETE', table, sql, params: compiler.params, output: output?.compiled, explicitIdentity: false, rows };
}

function whereSql(where: Expr | undefined, conditions: Expr[], ctx: ReturnType<QueryCompiler['expressionContext']>): string {
  const parts = [...conditions, ...(where ? [where] : [])].map((e) => emitExpression(e, ctx).sql);
  return parts.join(' AND ');
}

function topSql(top: Expr | undefined, table: TableDefinition, alias: string, fromSql: string, filter: string, compiler: QueryCompiler): string {
  if (!top) return '';
  const limit = emitExpression(top, compiler.expressionContext(new Scope([]))).sql;
  return `${quoteIdentifier(alias)}.rowid IN (SELECT ${quoteIdentifier(alias)}.rowid FROM ${quoteIdentifier(table.name)} AS ${quoteIdentifier(alias)}${fromSql ? `, ${fromSql}` : ''}${filter ? ` WHERE ${filter}` : ''} LIMIT ${limit})`;
}

function returningSql(items: string[]): string {
  return items.length ? ` RETURNING ${items.join(', ')}` : '';
}

interface OutputOptions {
  inserted: boolean;
  deleted: boolean;
  beforeFrom?: { alias: string; fromSql: string; where: string };
}

/** Which pseudo-table (INSERTED or DELETED) an OUTPUT expression reads. */
function pseudoTables(expr: Expr): Set<string> {
  const found = new Set<string>();
  JSON.stringify(expr, (_key, value) => {
    if (value && value.kind === 'column' && value.parts.length > 1) found.add(String(value.parts[value.parts.length - 2]).toUpperCase());
    return value;
  });
  return found;
}

function compileOutput(clause: OutputClause, table: TableDefinition, compiler: QueryCompiler, options: OutputOptions): { compiled: CompiledOutput; returning: string[] } {
  const returning: string[] = [];
  const beforeItems: string[] = [];
  const compiled: CompiledOutput = { columns: [], sources: [], into: clause.into && { table: clause.into, columns: clause.intoColumns } };
  const returningScope = new Scope([tableSource(table, options.inserted ? 'INSERTED' : 'DELETED', '')]);
  const beforeScope = options.beforeFrom ? new Scope([tableSource(table, 'DELETED', options.beforeFrom.alias)]) : undefined;
  const expand = (item: SelectItem): Array<{ expr: Expr; name: string }> => {
    if (item.kind === 'star') {
      const which = item.qualifier?.[item.qualifier.length - 1].toUpperCase();
      if (which !== 'INSERTED' && which !== 'DELETED') throw sqlErrors.multiPartNotBound(item.qualifier?.join('.') ?? '*');
      return table.columns.map((c) => ({ expr: { kind: 'column', parts: [which, c.name], line: 0 }, name: c.name }));
    }
    if (item.kind === 'assign') throw sqlErrors.notSupported('variable assignment in OUTPUT');
    return [{ expr: item.expr, name: item.alias ?? (item.expr.kind === 'column' ? item.expr.parts[item.expr.parts.length - 1] : '') }];
  };
  for (const { expr, name } of clause.items.flatMap(expand)) {
    const tables = pseudoTables(expr);
    const wantsDeleted = tables.has('DELETED');
    if (wantsDeleted && tables.has('INSERTED')) throw sqlErrors.notSupported('OUTPUT expressions that combine INSERTED and DELETED');
    if ((wantsDeleted && !options.deleted) || (tables.has('INSERTED') && !options.inserted)) {
      throw sqlErrors.multiPartNotBound(`${wantsDeleted ? 'DELETED' : 'INSERTED'}.${name}`);
    }
    if (wantsDeleted && beforeScope) {
      const typed = emitExpression(expr, compiler.expressionContext(beforeScope));
      beforeItems.push(typed.sql);
      compiled.sources.push({ from: 'before', index: beforeItems.length });
      compiled.columns.push({ name, type: typed.type, nullable: typed.nullable ?? true });
      continue;
    }
    const scope = wantsDeleted ? new Scope([tableSource(table, 'DELETED', '')]) : returningScope;
    const typed = emitExpression(expr, compiler.expressionContext(scope));
    returning.push(typed.sql);
    compiled.sources.push({ from: 'returning', index: returning.length - 1 });
    compiled.columns.push({ name, type: typed.type, nullable: typed.nullable ?? true });
  }
  if (beforeItems.length && options.beforeFrom) {
    const { alias, fromSql, where } = options.beforeFrom;
    // The pre-update read reuses the UPDATE's WHERE text; numbered parameters keep their meaning.
    compiled.before = {
      sql: `SELECT ${quoteIdentifier(alias)}.rowid, ${beforeItems.join(', ')} FROM ${quoteIdentifier(table.name)} AS ${quoteIdentifier(alias)}${fromSql ? `, ${fromSql}` : ''}${where ? ` WHERE ${where}` : ''}`,
      params: compiler.params,
    };
    returning.unshift('rowid');
    compiled.sources = compiled.sources.map((s) => (s.from === 'returning' ? { ...s, index: s.index + 1 } : s));
  }
  return { compiled, returning };
}
