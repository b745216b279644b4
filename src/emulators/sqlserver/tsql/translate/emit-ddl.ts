/**
 * CREATE TABLE to a catalog entry and SQLite DDL. Constraint names follow SQL Server's patterns
 * when none is given (PK__Customer__3AF5…, UQ__…, FK__Orders__Custo__…); columns get the
 * SQLite affinity of their type; computed columns become generated columns. Constraint errors
 * are raised by the triggers of engine/triggers.ts, which read the same catalog entry.
 */
import { randomBytes } from 'node:crypto';
import type { ColumnDefinition, Statement, TableConstraint } from '../ast';
import type { CatalogColumn, CheckConstraint, ForeignKeyConstraint, KeyConstraint, TableDefinition } from '../../engine/catalog';
import { sqliteDeclaration, typeFamily } from '../../sql-type';
import { SqlError, sqlErrors } from '../sql-error';
import { quoteIdentifier } from './context';
import { emitExpression } from './emit-expression';
import { QueryCompiler } from './emit-query';
import { Scope } from './scope';
import { splitObjectName } from './emit-from';
import { formatDate, formatTime, nowParts } from '../../temporal';

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

/** SQL Server's system-generated constraint names. */
export function generatedName(kind: 'PK' | 'UQ' | 'FK' | 'CK' | 'DF', table: string, column = ''): string {
  if (kind === 'PK' || kind === 'UQ') return `${kind}__${table.slice(0, 8)}__${hex(8)}`;
  return `${kind}__${table.slice(0, 9)}__${column.slice(0, 5)}__${hex(4)}`;
}

export function nowText(): string {
  const parts = nowParts(false);
  return `${formatDate(parts.days)} ${formatTime(parts.time)}`;
}

export function buildTableDefinition(statement: Statement & { kind: 'createTable' }, compiler: QueryCompiler, objectId: number): TableDefinition {
  const { object: name } = splitObjectName(statement.name, compiler.tc.database);
  const table: TableDefinition = {
    kind: 'table', schema: 'dbo', name, objectId, createdAt: nowText(), columns: [], uniques: [], foreignKeys: [], checks: [], indexes: [],
    temporary: name.startsWith('#') || undefined,
  };
  for (const definition of statement.columns) addColumn(table, definition, compiler);
  for (const constraint of statement.constraints) addConstraint(table, constraint, compiler);
  if (table.columns.filter((c) => c.identity).length > 1) {
    throw new SqlError(2744, `Multiple identity columns specified for table '${name}'. Only one identity column per table is allowed.`);
  }
  return table;
}

export function addColumn(table: TableDefinition, definition: ColumnDefinition, compiler: QueryCompiler): void {
  if (table.columns.some((c) => c.name.toLowerCase() === definition.name.toLowerCase())) {
    throw new SqlError(2705, `Column names in each table must be unique. Column name '${definition.name}' in table '${table.name}' is specified more than once.`);
  }
  let declared = definition.type;
  let nullByDefault = compiler.tc.nullByDefault ?? true;
  if (declared.userType) {
    // An alias type (CREATE TYPE … FROM): its base type, and its NOT NULL unless the column says otherwise.
    const found = compiler.tc.catalog.type(declared.userType.split('.').pop()!);
    if (!found) throw sqlErrors.unknownType(declared.userType);
    if (found.table) throw new SqlError(350, `The column "${definition.name}" does not have a valid data type. A column cannot be of a user-defined table type.`);
    declared = { ...found.base!, userType: found.name };
    nullByDefault = found.nullable;
  }
  const column: CatalogColumn = { name: definition.name, type: declared, nullable: definition.nullable ?? (definition.primaryKey || definition.identity ? false : nullByDefault) };
  if (definition.computed) {
    const scope = new Scope([{ alias: table.name, explicitAlias: false, objectName: table.name, sqlAlias: '', columns: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })) }]);
    const typed = emitExpression(definition.computed.expr, compiler.expressionContext(scope));
    column.type = typed.type ?? { name: 'nvarchar', length: 4000 };
    column.computedSource = definition.computed.source;
    column.computedSql = typed.sql;
    column.nullable = true;
  }
  if (definition.identity) {
    if (typeFamily(column.type) !== 'integer' && !(typeFamily(column.type) === 'exact' && (column.type.scale ?? 0) === 0)) {
      throw new SqlError(2749, `Identity column '${column.name}' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a scale of 0, and constrained to be nonnullable.`);
    }
    column.identity = definition.identity;
    column.nullable = false;
  }
  if (column.type.name === 'rowversion') column.nullable = false;
  if (definition.defaultValue) {
    column.defaultSource = definition.defaultValue.source;
    column.defaultName = definition.defaultValue.name ?? generatedName('DF', table.name, column.name);
  }
  table.columns.push(column);
  if (definition.primaryKey) setPrimaryKey(table, { name: definition.primaryKey.name ?? generatedName('PK', table.name), columns: [column.name] });
  if (definition.unique) table.uniques.push({ name: definition.unique.name ?? generatedName('UQ', table.name), columns: [column.name] });
  if (definition.references) {
    addConstraint(table, { kind: 'foreignKey', name: definition.references.name, columns: [column.name], references: definition.references }, compiler);
  }
  if (definition.check) table.checks.push({ name: definition.check.name ?? generatedName('CK', table.name, column.name), columns: [column.name], source: definition.check.source });
}

function setPrimaryKey(table: TableDefinition, key: KeyConstraint): void {
  if (table.primaryKey) throw new SqlError(8110, `Cannot add multiple PRIMARY KEY constraints to table '${table.name}'.`);
  table.primaryKey = key;
  for (const name of key.columns) {
    const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (column) column.nullable = false;
  }
}

export function addConstraint(table: TableDefinition, constraint: TableConstraint, compiler: QueryCompiler): void {
  const known = (name: string) => {
    const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!column) {
      throw new SqlError(1911, `Column name '${name}' does not exist in the target table or view.`)
        .followWith(new SqlError(1750, 'Could not create constraint or index. See previous errors.'));
    }
    return column.name;
  };
  switch (constraint.kind) {
    case 'primaryKey':
      return setPrimaryKey(table, { name: constraint.name ?? generatedName('PK', table.name), columns: constraint.columns.map(known) });
    case 'unique':
      return void table.uniques.push({ name: constraint.name ?? generatedName('UQ', table.name), columns: constraint.columns.map(known) });
    case 'check': {
      const columns = table.columns.filter((c) => new RegExp(`(^|[^\\w])\\[?${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]?([^\\w]|$)`, 'i').test(constraint.source)).map((c) => c.name);
      const check: CheckConstraint = { name: constraint.name ?? generatedName('CK', table.name, columns[0] ?? ''), columns, source: constraint.source };
      return void table.checks.push(check);
    }
    case 'default': {
      const column = table.columns.find((c) => c.name.toLowerCase() === constraint.column.toLowerCase());
      if (!column) throw sqlErrors.invalidColumnName(constraint.column);
      column.defaultSource = constraint.source;
      column.defaultName = constraint.name ?? generatedName('DF', table.name, column.name);
      return;
    }
    case 'foreignKey': {
      const { object: refTable } = splitObjectName(constraint.references.table, compiler.tc.database);
      const referenced = refTable.toLowerCase() === table.name.toLowerCase() ? table : compiler.tc.catalog.table(refTable);
      const name = constraint.name ?? generatedName('FK', table.name, constraint.columns[0]);
      if (!referenced) throw new SqlError(1767, `Foreign key '${name}' references invalid table '${refTable}'.`);
      const refColumns = constraint.references.columns.length === constraint.columns.length && constraint.references.columns.some((c) => c !== constraint.columns[0])
        ? constraint.references.columns : referenced.primaryKey?.columns ?? constraint.references.columns;
      const foreignKey: ForeignKeyConstraint = {
        name, columns: constraint.columns.map(known), refTable: referenced.name, refColumns,
        onDelete: constraint.references.onDelete, onUpdate: constraint.references.onUpdate,
      };
      return void table.foreignKeys.push(foreignKey);
    }
  }
}

/** The SQLite CREATE TABLE for a catalog entry (constraint enforcement is left to the triggers, except keys' indexes). */
export function createTableSql(table: TableDefinition): string {
  const columns = table.columns.map((column) => {
    if (column.computedSource) return `${quoteIdentifier(column.name)} ${sqliteDeclaration(column.type)} GENERATED ALWAYS AS (${column.computedSql}) VIRTUAL`;
    // INT, not INTEGER: a rowid alias would turn an inserted NULL into a new key instead of error 515.
    const declaration = sqliteDeclaration(column.type).replace(/^INTEGER/, 'INT');
    return `${quoteIdentifier(column.name)} ${declaration}${column.nullable ? '' : ' NOT NULL'}`;
  });
  const keys = [
    ...(table.primaryKey ? [`PRIMARY KEY (${table.primaryKey.columns.map(quoteIdentifier).join(', ')})`] : []),
    ...table.uniques.map((u) => `UNIQUE (${u.columns.map(quoteIdentifier).join(', ')})`),
  ];
  const temporary = table.temporary ? 'TEMP ' : '';
  return `CREATE ${temporary}TABLE ${quoteIdentifier(table.name)} (${[...columns, ...keys].join(', ')})`;
}

