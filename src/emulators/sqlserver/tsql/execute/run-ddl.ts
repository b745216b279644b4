/**
 * CREATE / ALTER / DROP of tables, indexes, views and procedures, and TRUNCATE TABLE. Each runs
 * as one write: SQLite DDL, the catalog entry, and the constraint triggers of every table the
 * change touches (a new foreign key adds triggers to the referenced table too).
 */
import type { ProcedureParameter, Statement } from '../ast';
import { displayName } from '../ast';
import type { Executor } from './executor';
import { deleteObject, nextObjectId, saveObject, TableDefinition, Catalog, ProcedureDefinition } from '../../engine/catalog';
import { addColumn, addConstraint, buildTableDefinition, createTableSql, nowText } from '../translate/emit-ddl';
import { splitObjectName } from '../translate/emit-from';
import { quoteIdentifier } from '../translate/context';
import { triggerNames, triggerStatements } from '../translate/constraint-triggers';
import { SqlError, sqlErrors } from '../sql-error';
import type { SqlSession } from '../../engine/sql-session';
import { parseBatch } from '../parser/parser';
import { emitExpression } from '../translate/emit-expression';
import { Scope } from '../translate/scope';
import { defaultValueSql } from '../translate/storage';
import { resolveTable } from '../translate/emit-dml';
import { checkProcedureParameters, runDropType } from './run-type-ddl';
import { dropTriggersOf, runDropTrigger } from './run-trigger-ddl';
import type { WritePlan } from '../../engine/write-plan';

/** Drops and recreates the stand-in's triggers on each named table (those that still exist). */
export function rebuildTriggers(ex: Executor, tables: Iterable<string>): void {
  const db = ex.session.db;
  const catalog = ex.session.catalog();
  for (const name of new Set([...tables].map((t) => t.toLowerCase()))) {
    for (const trigger of triggerNames(name)) db.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(trigger)}`);
    const table = catalog.table(name);
    if (!table) continue;
    for (const trigger of triggerNames(table.name)) db.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(trigger)}`);
    for (const sql of triggerStatements({ table, catalog, checkSql: (t, source) => checkSql(ex, t, source) })) db.exec(sql);
  }
}

export function checkSql(ex: Executor, table: TableDefinition, source: string): string {
  const [statement] = parseBatch(`SELECT 1 WHERE ${source}`);
  if (statement.kind !== 'select' || statement.query.body.kind !== 'select' || !statement.query.body.where) throw sqlErrors.incorrectSyntax(source);
  const scope = new Scope([{ alias: table.name, explicitAlias: false, objectName: table.name, sqlAlias: 'NEW', columns: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })) }]);
  const compiler = ex.compiler();
  const typed = emitExpression(statement.query.body.where, compiler.expressionContext(scope));
  if (compiler.params.getters.length > 0) throw new SqlError(128, 'The name is not permitted in this context. Valid expressions are constants, constant expressions, and (in some contexts) variables. Column names are not permitted.', 15);
  return typed.sql;
}

function related(catalog: Catalog, table: TableDefinition): string[] {
  return [table.name, ...table.foreignKeys.map((f) => f.refTable), ...catalog.referencesTo(table.name).map((r) => r.table.name)];
}

/** Tables by name that exist (what a DDL statement locks: it changes their definition or triggers). */
function tablesNamed(catalog: Catalog, names: Iterable<string>): TableDefinition[] {
  return [...names].map((name) => catalog.table(name)).filter((t): t is TableDefinition => t !== undefined);
}

export async function runCreateTable(ex: Executor, statement: Statement & { kind: 'createTable' }): Promise<void> {
  const { object } = splitObjectName(statement.name, ex.session.database);
  const temporary = object.startsWith('#');
  // The new table's foreign keys add triggers to the tables they reference: those are locked.
  const parents = temporary ? [] : buildTableDefinition(statement, ex.compiler(), 0).foreignKeys.map((f) => f.refTable);
  const plan: WritePlan = temporary ? { kind: 'temp', created: object } : { kind: 'ddl', tables: tablesNamed(ex.session.catalog(), parents) };
  await ex.session.write(ex.signal, plan, () => {
    if (temporary ? ex.session.tempTables.has(object.toLowerCase()) : ex.session.catalog().object(object)) throw sqlErrors.objectExists(object);
    const table = buildTableDefinition(statement, ex.compiler(), temporary ? 0 : nextObjectId(ex.session.db));
    ex.session.db.exec(createTableSql(table));
    if (temporary) {
      // Lengths (2628/8152) and CHECK constraints hold for #temporary tables as for others; SQL
      // Server skips FOREIGN KEYs on them (warning 1750), so do the triggers.
      ex.session.tempTables.set(object.toLowerCase(), table);
      const checked = { ...table, foreignKeys: [] };
      for (const sql of triggerStatements({ table: checked, catalog: ex.session.catalog(), checkSql: (t, source) => checkSql(ex, t, source) })) ex.session.db.exec(sql);
      return;
    }
    saveObject(ex.session.db, table);
    ex.session.store.identityCounters.delete(table.name.toLowerCase());
    rebuildTriggers(ex, related(ex.session.catalog(), table));
  });
}

export async function runDrop(ex: Executor, statement: Statement & { kind: 'drop' }): Promise<void> {
  if (statement.objectType === 'TYPE') return runDropType(ex, statement);
  if (statement.objectType === 'TRIGGER') return runDropTrigger(ex, statement);
  const temporaryOnly = statement.objectType !== 'INDEX' && statement.names.every((name) => name.parts[name.parts.length - 1].startsWith('#'));
  const plan: WritePlan = temporaryOnly ? { kind: 'temp' } : { kind: 'ddl', tables: droppedTables(ex, statement) };
  await ex.session.write(ex.signal, plan, () => {
    for (const name of statement.names) dropOne(ex, statement, name);
  });
}

/** The tables a DROP changes: dropped tables and the parents whose triggers they leave, an index's table. */
function droppedTables(ex: Executor, statement: Statement & { kind: 'drop' }): TableDefinition[] {
  const catalog = ex.session.catalog();
  const names: string[] = [];
  for (const name of statement.names) {
    const parts = statement.objectType === 'INDEX' ? (statement.onTable?.parts ?? name.parts.slice(0, -1)) : name.parts;
    const table = parts.length > 0 ? catalog.table(parts[parts.length - 1]) : undefined;
    if (table && !table.temporary) names.push(table.name, ...(statement.objectType === 'TABLE' ? table.foreignKeys.map((f) => f.refTable) : []));
  }
  return tablesNamed(catalog, names);
}

function dropOne(ex: Executor, statement: Statement & { kind: 'drop' }, name: { parts: string[]; line: number }): void {
  const session = ex.session;
  const kind = statement.objectType.toLowerCase();
  if (statement.objectType === 'INDEX') return dropIndex(ex, statement, name);
  const { object } = splitObjectName(name, session.database);
  if (object.startsWith('#') && statement.objectType === 'PROCEDURE') {
    const key = object.toLowerCase();
    const found = key.startsWith('##') ? session.store.globalProcedures.delete(key) : session.tempProcedures.delete(key);
    if (!found && !statement.ifExists) throw sqlErrors.cannotDrop(kind, displayName(name));
    return;
  }
  if (object.startsWith('#') && statement.objectType === 'TABLE') {
    if (!session.tempTables.delete(object.toLowerCase())) {
      if (!statement.ifExists) throw sqlErrors.cannotDrop(kind, displayName(name));
      return;
    }
    session.db.exec(`DROP TABLE IF EXISTS temp.${quoteIdentifier(object)}`);
    session.transaction.forgetTemp(object);
    return;
  }
  const catalog = session.catalog();
  const existing = catalog.object(object);
  const expected = { TABLE: 'table', PROCEDURE: 'procedure', VIEW: 'view' }[statement.objectType as 'TABLE'];
  if (!existing || existing.kind !== expected) {
    if (statement.ifExists) return;
    if (!expected) throw sqlErrors.notSupported(`DROP ${statement.objectType}`);
    throw sqlErrors.cannotDrop(kind, displayName(name));
  }
  if (existing.kind === 'table') {
    const reference = catalog.referencesTo(existing.name).find((r) => r.table.name.toLowerCase() !== existing.name.toLowerCase());
    if (reference) throw sqlErrors.dropReferenced(displayName(name), reference.foreignKey.name);
    session.db.exec(`DROP TABLE ${quoteIdentifier(existing.name)}`);
    dropTriggersOf(ex, existing.name);
    deleteObject(session.db, existing.name);
    session.store.identityCounters.delete(existing.name.toLowerCase());
    rebuildTriggers(ex, existing.foreignKeys.map((f) => f.refTable));
  } else {
    if (existing.kind === 'view') session.db.exec(`DROP VIEW IF EXISTS ${quoteIdentifier(existing.name)}`);
    deleteObject(session.db, existing.name);
  }
}

function dropIndex(ex: Executor, statement: Statement & { kind: 'drop' }, name: { parts: string[]; line: number }): void {
  const tableName = statement.onTable ?? (name.parts.length > 1 ? { parts: name.parts.slice(0, -1), line: name.line } : undefined);
  if (!tableName) throw sqlErrors.incorrectSyntax(name.parts[0]);
  const table = resolveTable(ex.compiler(), tableName);
  const indexName = name.parts[name.parts.length - 1];
  const index = table.indexes.find((i) => i.name.toLowerCase() === indexName.toLowerCase());
  if (!index) {
    if (statement.ifExists) return;
    throw new SqlError(3701, `Cannot drop the index '${displayName(tableName)}.${indexName}', because it does not exist or you do not have permission.`, 11, 7);
  }
  ex.session.db.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(`__hcm_ix_${table.name}_${index.name}`)}`);
  saveObject(ex.session.db, { ...table, indexes: table.indexes.filter((i) => i !== index) });
  rebuildTriggers(ex, [table.name]);
}

export async function runCreateIndex(ex: Executor, statement: Statement & { kind: 'createIndex' }): Promise<void> {
  const target = resolveTable(ex.compiler(), statement.table);
  await ex.session.write(ex.signal, target.temporary ? { kind: 'temp' } : { kind: 'ddl', tables: [target] }, () => {
    const table = resolveTable(ex.compiler(), statement.table);
    if (table.indexes.some((i) => i.name.toLowerCase() === statement.name.toLowerCase())) {
      throw new SqlError(1913, `The operation failed because an index or statistics with name '${statement.name}' already exists on table '${displayName(statement.table)}'.`);
    }
    const columns = statement.columns.map((item) => {
      if (item.expr.kind !== 'column') throw sqlErrors.incorrectSyntax('(');
      const name = item.expr.parts[item.expr.parts.length - 1];
      const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!column) throw new SqlError(1911, `Column name '${name}' does not exist in the target table or view.`);
      return { name: column.name, descending: item.descending };
    });
    const sqlName = quoteIdentifier(`__hcm_ix_${table.name}_${statement.name}`);
    const list = columns.map((c) => `${quoteIdentifier(c.name)}${c.descending ? ' DESC' : ''}`).join(', ');
    try {
      ex.session.db.exec(`CREATE ${statement.unique ? 'UNIQUE ' : ''}INDEX ${sqlName} ON ${quoteIdentifier(table.name)} (${list})`);
    } catch {
      throw new SqlError(1505, `The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name 'dbo.${table.name}' and the index name '${statement.name}'.`);
    }
    const updated = { ...table, indexes: [...table.indexes, { name: statement.name, columns: columns.map((c) => c.name), unique: statement.unique }] };
    if (table.temporary) ex.session.tempTables.set(table.name.toLowerCase(), updated);
    else {
      saveObject(ex.session.db, updated);
      rebuildTriggers(ex, [table.name]);
    }
  });
}

export async function runCreateView(ex: Executor, statement: Statement & { kind: 'createView' }): Promise<void> {
  await ex.session.write(ex.signal, { kind: 'ddl', tables: [] }, () => {
    const { object } = splitObjectName(statement.name, ex.session.database);
    const existing = ex.session.catalog().object(object);
    if (existing && !(statement.orAlter && existing.kind === 'view')) throw sqlErrors.objectExists(object);
    const compiler = ex.compiler();
    const compiled = compiler.compile(statement.query);
    if (compiler.params.getters.length > 0) throw new SqlError(4408, 'Views or functions cannot reference variables or parameters.', 16);
    const columns = compiled.columns.map((c, i) => ({ name: statement.columns?.[i] ?? c.name, type: c.type ?? { name: 'nvarchar' as const, length: 4000 }, nullable: c.nullable }));
    if (columns.some((c) => !c.name)) throw new SqlError(4511, `Create View or Function failed because no column name was specified for column ${columns.findIndex((c) => !c.name) + 1}.`);
    ex.session.db.exec(`DROP VIEW IF EXISTS ${quoteIdentifier(object)}`);
    ex.session.db.exec(`CREATE VIEW ${quoteIdentifier(object)} (${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) AS ${compiled.sql}`);
    saveObject(ex.session.db, { kind: 'view', schema: 'dbo', name: object, objectId: existing?.objectId ?? nextObjectId(ex.session.db), createdAt: nowText(), source: statement.source, columns });
  });
}

export async function runCreateProcedure(ex: Executor, statement: Statement & { kind: 'createProcedure' }): Promise<void> {
  const { object: name } = splitObjectName(statement.name, ex.session.database);
  const declared = checkProcedureParameters(ex, statement.parameters, statement.body);
  if (name.startsWith('#')) return createTemporaryProcedure(ex, statement, name, declared);
  await ex.session.write(ex.signal, { kind: 'ddl', tables: [] }, () => {
    const { object } = splitObjectName(statement.name, ex.session.database);
    const existing = ex.session.catalog().object(object);
    if (existing && !(statement.orAlter && existing.kind === 'procedure')) throw sqlErrors.objectExists(object);
    if (!existing && statement.orAlter && /^\s*ALTER\s/i.test(statement.source)) throw sqlErrors.procedureNotFound(object);
    const parameters = declared.map((p) => ({ name: p.name, type: p.type, output: p.output, hasDefault: p.defaultValue !== undefined }));
    saveObject(ex.session.db, { kind: 'procedure', schema: 'dbo', name: object, objectId: existing?.objectId ?? nextObjectId(ex.session.db), createdAt: nowText(), parameters, source: statement.source });
  });
}

/** #p lives in the session, ##p in the database's tempdb map; neither touches the database file. */
function createTemporaryProcedure(ex: Executor, statement: Statement & { kind: 'createProcedure' }, name: string, declared: ProcedureParameter[]): void {
  const session = ex.session;
  const existing = session.procedure(name);
  if (existing && !statement.orAlter) throw sqlErrors.objectExists(name);
  if (!existing && statement.orAlter && /^\s*ALTER\s/i.test(statement.source)) throw sqlErrors.procedureNotFound(name);
  const parameters = declared.map((p) => ({ name: p.name, type: p.type, output: p.output, hasDefault: p.defaultValue !== undefined }));
  const definition: ProcedureDefinition = { kind: 'procedure', schema: 'dbo', name, objectId: existing?.objectId ?? session.store.nextTempObjectId--, createdAt: nowText(), parameters, source: statement.source };
  if (name.startsWith('##')) session.store.globalProcedures.set(name.toLowerCase(), { definition, owner: session.store.globalProcedures.get(name.toLowerCase())?.owner ?? session });
  else session.tempProcedures.set(name.toLowerCase(), definition);
}

export async function runAlterTable(ex: Executor, statement: Statement & { kind: 'alterTable' }): Promise<void> {
  const target = resolveTable(ex.compiler(), statement.name);
  const catalog = ex.session.catalog();
  const newParents = statement.addConstraints.flatMap((c) => (c.kind === 'foreignKey' ? [c.references.table.parts[c.references.table.parts.length - 1]] : []));
  const plan: WritePlan = target.temporary ? { kind: 'temp' } : { kind: 'ddl', tables: tablesNamed(catalog, [...related(catalog, target), ...newParents]) };
  await ex.session.write(ex.signal, plan, () => {
    const old = resolveTable(ex.compiler(), statement.name);
    const table: TableDefinition = JSON.parse(JSON.stringify(old));
    const compiler = ex.compiler();
    for (const column of statement.addColumns) addColumn(table, column, compiler);
    for (const constraint of statement.addConstraints) addConstraint(table, constraint, compiler);
    for (const name of statement.dropConstraints) dropConstraint(table, name);
    for (const name of statement.dropColumns) {
      const index = table.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
      if (index < 0) throw new SqlError(4924, `ALTER TABLE DROP COLUMN failed because column '${name}' does not exist in table '${old.name}'.`);
      table.columns.splice(index, 1);
    }
    rebuildTable(ex, old, table);
  });
}

function dropConstraint(table: TableDefinition, name: string): void {
  const lower = name.toLowerCase();
  const before = JSON.stringify(table);
  if (table.primaryKey?.name.toLowerCase() === lower) table.primaryKey = undefined;
  table.uniques = table.uniques.filter((u) => u.name.toLowerCase() !== lower);
  table.foreignKeys = table.foreignKeys.filter((f) => f.name.toLowerCase() !== lower);
  table.checks = table.checks.filter((c) => c.name.toLowerCase() !== lower);
  for (const column of table.columns) {
    if (column.defaultName?.toLowerCase() === lower) {
      column.defaultName = undefined;
      column.defaultSource = undefined;
    }
  }
  if (JSON.stringify(table) === before) throw new SqlError(3728, `'${name}' is not a constraint.`);
}

/** SQLite's way to change a table: a new table with the new shape, the rows copied, the old one dropped. */
function rebuildTable(ex: Executor, old: TableDefinition, table: TableDefinition): void {
  const db = ex.session.db;
  const countRow = db.prepare(`SELECT count(*) FROM ${quoteIdentifier(old.name)}`).raw(true).get() as [bigint];
  const hasRows = Number(countRow[0]) > 0;
  const keep = table.columns.filter((c) => !c.computedSource && old.columns.some((o) => o.name.toLowerCase() === c.name.toLowerCase()));
  const added = table.columns.filter((c) => !c.computedSource && !keep.includes(c));
  for (const column of added) {
    if (hasRows && !column.nullable && !column.defaultSource && !column.identity && column.type.name !== 'rowversion') {
      throw new SqlError(4901, `ALTER TABLE only allows columns to be added that can contain nulls, or have a DEFAULT definition specified, or the column being added is an identity or timestamp column, or alternatively if none of the previous conditions are satisfied the table must be empty to allow addition of this column. Column '${column.name}' cannot be added to non-empty table '${old.name}' because it does not satisfy these conditions.`);
    }
  }
  const staging = `__hcm_rebuild_${old.name}`;
  db.exec(createTableSql({ ...table, name: staging }));
  const compiler = ex.compiler();
  const ctx = compiler.expressionContext(new Scope([]));
  const names = [...keep, ...added].map((c) => quoteIdentifier(c.name)).join(', ');
  const values = [...keep.map((c) => quoteIdentifier(c.name)), ...added.map((c) => defaultValueSql(table, c, ctx))].join(', ');
  if (added.some((c) => c.identity)) prepareCounter(ex.session, table);
  const copy = `INSERT INTO ${quoteIdentifier(staging)} (${names}) SELECT ${values} FROM ${quoteIdentifier(old.name)}`;
  const bound = ex.session.bind(copy, compiler.params);
  bound.statement.run(...bound.values);
  for (const trigger of triggerNames(old.name)) db.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(trigger)}`);
  db.exec(`DROP TABLE ${quoteIdentifier(old.name)}`);
  db.exec(`ALTER TABLE ${quoteIdentifier(staging)} RENAME TO ${quoteIdentifier(old.name)}`);
  for (const index of table.indexes) {
    db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(`__hcm_ix_${table.name}_${index.name}`)} ON ${quoteIdentifier(table.name)} (${index.columns.map(quoteIdentifier).join(', ')})`);
  }
  saveObject(db, table);
  rebuildTriggers(ex, [...related(ex.session.catalog(), table), ...old.foreignKeys.map((f) => f.refTable)]);
}

function prepareCounter(session: SqlSession, table: TableDefinition): void {
  const column = table.columns.find((c) => c.identity)!;
  session.store.identityCounters.set(table.name.toLowerCase(), BigInt(column.identity!.seed) - BigInt(column.identity!.increment));
}

export async function runTruncate(ex: Executor, statement: Statement & { kind: 'truncate' }): Promise<void> {
  // Like a DELETE of every row (locks, before-image in a transaction), not DDL here.
  await ex.session.write(ex.signal, { kind: 'delete', table: resolveTable(ex.compiler(), statement.table) }, () => {
    const table = resolveTable(ex.compiler(), statement.table);
    const reference = ex.session.catalog().referencesTo(table.name).find((r) => r.table.name !== table.name);
    if (reference) throw new SqlError(4712, `Cannot truncate table '${displayName(statement.table)}' because it is being referenced by a FOREIGN KEY constraint.`);
    ex.session.db.exec(`DELETE FROM ${quoteIdentifier(table.name)}`);
    if (table.columns.some((c) => c.identity)) prepareCounter(ex.session, table);
  });
}
