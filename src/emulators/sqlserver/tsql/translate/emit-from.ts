/**
 * FROM clauses: tables, views, temporary tables, CTEs, catalog views, derived tables, VALUES
 * lists and joins become SQLite table expressions and the scope's sources. Unknown objects give
 * SQL Server's error 208 with the name as the query wrote it.
 */
import type { FromItem, ObjectName } from '../ast';
import { displayName } from '../ast';
import { dominantType } from '../../sql-type';
import { SqlError, sqlErrors } from '../sql-error';
import type { TableDefinition } from '../../engine/catalog';
import { quoteIdentifier } from './context';
import type { TranslationContext, VariableSlot } from './context';
import { Scope, Source, SourceColumn } from './scope';
import { virtualTable } from './virtual-tables';
import { positionalName, QueryCompiler } from './emit-query';
import { emitExpression } from './emit-expression';
import { parseBatch } from '../parser/parser';
import type { ViewDefinition } from '../../engine/catalog';

export interface CompiledFrom {
  sql: string;
  sources: Source[];
}

/** Where an object name points: [database.][schema.]name, checked against the session's database. */
export function splitObjectName(name: ObjectName, database: string): { schema: string; object: string } {
  const parts = name.parts;
  const object = parts[parts.length - 1];
  // sysname holds 128 characters; the stand-in's own tables (before-images) have longer names, so no user object can take one.
  if (object.length > 128) throw new SqlError(103, `The identifier that starts with '${object.slice(0, 128)}' is too long. Maximum length is 128.`, 15, 4);
  const schema = parts.length >= 2 && parts[parts.length - 2] !== '' ? parts[parts.length - 2] : 'dbo';
  if (parts.length >= 3) {
    const db = parts[parts.length - 3];
    const isTemp = object.startsWith('#') && db.toLowerCase() === 'tempdb';
    if (db !== '' && db.toLowerCase() !== database.toLowerCase() && !isTemp) throw sqlErrors.invalidObjectName(displayName(name));
  }
  return { schema, object };
}

/** Inside a trigger, `inserted` and `deleted` name the rows the firing statement added and removed. */
export function triggerTable(trigger: NonNullable<TranslationContext['trigger']>, name: string): TableDefinition | undefined {
  const lower = name.toLowerCase();
  return lower === 'inserted' ? trigger.inserted : lower === 'deleted' ? trigger.deleted : undefined;
}

/** A table variable's slot by name; 1087 when no table variable of that name is declared. */
export function tableVariable(tc: TranslationContext, name: string): VariableSlot & { table: TableDefinition } {
  const slot = tc.variable(name);
  if (!slot?.table) throw sqlErrors.mustDeclareTableVariable(name);
  return slot as VariableSlot & { table: TableDefinition };
}

export function compileFrom(items: FromItem[], compiler: QueryCompiler, outer: Scope | undefined): CompiledFrom {
  const sources: Source[] = [];
  const parts = items.map((item) => compileItem(item, compiler, outer, sources));
  return { sql: parts.join(' CROSS JOIN '), sources };
}

function compileItem(item: FromItem, compiler: QueryCompiler, outer: Scope | undefined, sources: Source[]): string {
  switch (item.kind) {
    case 'table': return compileTable(item.name, item.alias, compiler, sources);
    case 'derived': {
      const compiled = compiler.compile(item.query, undefined, true);
      const columns = compiled.columns.map((c, i) => ({ ...c, name: item.columns?.[i] ?? c.name, sqlName: positionalName(i) }));
      sources.push({ alias: item.alias, explicitAlias: true, sqlAlias: item.alias, columns });
      return `(${compiled.sql}) AS ${quoteIdentifier(item.alias)}`;
    }
    case 'values': {
      const scope = new Scope([], outer);
      const rows = item.rows.map((row) => row.map((expr) => emitExpression(expr, compiler.expressionContext(scope))));
      const columns: SourceColumn[] = item.columns.map((name, i) => ({
        name, nullable: true, type: rows.reduce((t, row) => dominantType(t, row[i]?.type ?? null), null as ReturnType<typeof dominantType>),
      }));
      const names = item.columns.map((name, i) => `column${i + 1} AS ${quoteIdentifier(name)}`).join(', ');
      const values = rows.map((row) => `(${row.map((v) => v.sql).join(', ')})`).join(', ');
      sources.push({ alias: item.alias, explicitAlias: true, sqlAlias: item.alias, columns });
      return `(SELECT ${names} FROM (VALUES ${values})) AS ${quoteIdentifier(item.alias)}`;
    }
    case 'join': return compileJoin(item, compiler, outer, sources);
  }
}

function compileJoin(item: FromItem & { kind: 'join' }, compiler: QueryCompiler, outer: Scope | undefined, sources: Source[]): string {
  if (item.joinType === 'CROSS APPLY' || item.joinType === 'OUTER APPLY') throw sqlErrors.notSupported(item.joinType);
  const before = sources.length;
  const left = compileItem(item.left, compiler, outer, sources);
  const middle = sources.length;
  const right = compileItem(item.right, compiler, outer, sources);
  if (item.joinType === 'LEFT' || item.joinType === 'FULL') markNullable(sources.slice(middle));
  if (item.joinType === 'RIGHT' || item.joinType === 'FULL') markNullable(sources.slice(before, middle));
  if (item.joinType === 'CROSS') return `${left} CROSS JOIN ${right}`;
  const scope = new Scope(sources.slice(before), outer);
  const on = emitExpression(item.on!, compiler.expressionContext(scope));
  const keyword = item.joinType === 'INNER' ? 'JOIN' : `${item.joinType} JOIN`;
  return `${left} ${keyword} ${right} ON ${on.sql}`;
}

function markNullable(sources: Source[]): void {
  for (const source of sources) source.columns = source.columns.map((c) => ({ ...c, nullable: true }));
}

function compileTable(name: ObjectName, alias: string | undefined, compiler: QueryCompiler, sources: Source[]): string {
  const tc = compiler.tc;
  const { schema, object } = splitObjectName(name, tc.database);
  const exposed = alias ?? object;
  const source = (columns: SourceColumn[], table?: string): Source => ({
    alias: exposed, explicitAlias: alias !== undefined, objectName: object, schema, sqlAlias: exposed, columns, table,
  });
  if (name.parts.length === 1) {
    const cte = compiler.cte(object);
    if (cte) {
      sources.push(source(cte.map((c) => ({ ...c }))));
      return `${quoteIdentifier(cte.sqlName)} AS ${quoteIdentifier(exposed)}`;
    }
  }
  if (schema.toLowerCase() === 'information_schema' || schema.toLowerCase() === 'sys') {
    const view = virtualTable(schema, object, tc.catalog, tc.database, () => tc.sessionRows?.() ?? [], () => tc.connectionRows?.() ?? [], () => tc.lockRows?.() ?? []);
    if (!view) throw sqlErrors.invalidObjectName(displayName(name));
    sources.push(source(view.columns));
    return `${view.sql} AS ${quoteIdentifier(exposed)}`;
  }
  const definition = object.startsWith('@') ? tableVariable(tc, object).table
    : name.parts.length === 1 && tc.trigger && triggerTable(tc.trigger, object) ? triggerTable(tc.trigger, object)
    : object.startsWith('#') ? tc.tempTables.get(object.toLowerCase()) : schema.toLowerCase() === 'dbo' ? tc.catalog.object(object) : undefined;
  if (!definition || definition.kind === 'procedure') throw sqlErrors.invalidObjectName(displayName(name));
  const columns = definition.columns.map((c) => ({
    name: c.name, type: c.type, nullable: c.nullable, identity: !!c.identity, readOnly: !!c.computedSource || c.type.name === 'rowversion',
  }));
  if (definition.kind === 'view' && tc.readsImages) {
    // The SQLite view would read the tables themselves, which may hold another session's
    // uncommitted rows; translated here, its tables resolve to their before-images.
    const compiled = viewQuery(definition, compiler);
    sources.push(source(columns.map((c, i) => ({ ...c, sqlName: positionalName(i) })), definition.name));
    return `(${compiled}) AS ${quoteIdentifier(exposed)}`;
  }
  sources.push(source(columns, definition.name));
  const image = definition.kind === 'table' && !definition.temporary ? tc.beforeImage?.(definition.name) : undefined;
  return `${quoteIdentifier(image ?? definition.name)} AS ${quoteIdentifier(exposed)}`;
}

function viewQuery(view: ViewDefinition, compiler: QueryCompiler): string {
  const [statement] = parseBatch(view.source);
  if (statement?.kind !== 'createView') throw sqlErrors.invalidObjectName(view.name);
  return compiler.compile(statement.query, undefined, true).sql;
}
