/**
 * SQL Server's constraint errors come from triggers: for every table, BEFORE INSERT/UPDATE/DELETE
 * triggers check lengths (2628), CHECK constraints and foreign keys (547), primary keys and unique
 * constraints (2627, 2601) and raise a message the error mapper turns into SQL Server's text with
 * the constraint's name and the offending value — which SQLite's own constraint errors do not
 * carry. AFTER triggers carry out ON DELETE/UPDATE CASCADE and SET NULL.
 */
import type { Catalog, TableDefinition } from '../../engine/catalog';
import { isUnicode, MAX_LENGTH, typeFamily } from '../../sql-type';
import { collationInfo, isDoubleByte } from '../../protocol/types/code-page';
import { quoteIdentifier, quoteString } from './context';

/** Separates the fields of a trigger's error payload: HCM␟number␟field␟… */
export const PAYLOAD_SEPARATOR = '\u001f';
export const PAYLOAD_PREFIX = `HCM${PAYLOAD_SEPARATOR}`;

type Row = 'NEW' | 'OLD';

function payload(fields: string[], valueSql?: string): string {
  const head = quoteString(PAYLOAD_PREFIX + fields.join(PAYLOAD_SEPARATOR) + PAYLOAD_SEPARATOR);
  return valueSql ? `${head} || ${valueSql}` : head;
}

function raise(condition: string, message: string): string {
  return `SELECT RAISE(ABORT, ${message}) WHERE ${condition};`;
}

function ref(row: Row, column: string): string {
  return `${row}.${quoteIdentifier(column)}`;
}

/** SQL Server shows key values as (1, abc) with <NULL> for nulls. */
function valueList(row: Row, columns: string[]): string {
  return columns.map((c) => `coalesce(CAST(${ref(row, c)} AS TEXT), '<NULL>')`).join(` || ', ' || `);
}

export interface TriggerInput {
  table: TableDefinition;
  catalog: Catalog;
  /** Translates a CHECK constraint's T-SQL with columns read from NEW. */
  checkSql(table: TableDefinition, source: string): string;
}

interface TriggerBodies {
  beforeInsert: string[];
  beforeUpdate: string[];
  beforeDelete: string[];
  afterDelete: string[];
  afterUpdate: string[];
}

export function triggerStatements(input: TriggerInput): string[] {
  const { table } = input;
  const bodies: TriggerBodies = { beforeInsert: [], beforeUpdate: [], beforeDelete: [], afterDelete: [], afterUpdate: [] };
  lengthChecks(table, bodies);
  checkConstraints(input, bodies);
  keyChecks(table, bodies);
  foreignKeyChecks(table, bodies);
  referenceActions(input, bodies);
  const T = quoteIdentifier(table.name);
  const temp = table.temporary ? 'TEMP ' : '';
  const make = (suffix: string, timing: string, body: string[]) => (body.length === 0 ? [] : [
    `CREATE ${temp}TRIGGER ${quoteIdentifier(`__hcm_${table.name}_${suffix}`)} ${timing} ON ${T} FOR EACH ROW BEGIN ${body.join(' ')} END`,
  ]);
  return [
    ...make('bi', 'BEFORE INSERT', bodies.beforeInsert),
    ...make('bu', 'BEFORE UPDATE', bodies.beforeUpdate),
    ...make('bd', 'BEFORE DELETE', bodies.beforeDelete),
    ...make('ad', 'AFTER DELETE', bodies.afterDelete),
    ...make('au', 'AFTER UPDATE', bodies.afterUpdate),
  ];
}

/** 2628: a string or binary value longer than its column. */
function lengthChecks(table: TableDefinition, bodies: TriggerBodies): void {
  for (const column of table.columns) {
    const family = typeFamily(column.type);
    if ((family !== 'string' && family !== 'binary') || column.type.length === undefined || column.type.length === MAX_LENGTH || column.type.name === 'rowversion') continue;
    const length = column.type.length;
    // varchar under a double-byte code page counts bytes (DATALENGTH), not characters.
    const codePage = family === 'string' && !isUnicode(column.type) ? collationInfo(column.type.collation).codePage : 0;
    const measure = (sql: string) => (isDoubleByte(codePage) ? `hcm_datalength(${sql}, ${codePage})` : `length(${sql})`);
    const check = (row: Row) => raise(`${measure(ref(row, column.name))} > ${length}`, payload(['2628', `dbo.${table.name}`, column.name], `substr(${ref(row, column.name)}, 1, ${length})`));
    bodies.beforeInsert.push(check('NEW'));
    bodies.beforeUpdate.push(check('NEW'));
  }
}

/** 547: a CHECK constraint that does not hold (NULL passes, as in SQL Server). */
function checkConstraints({ table, checkSql }: TriggerInput, bodies: TriggerBodies): void {
  for (const check of table.checks) {
    const condition = `NOT (${checkSql(table, check.source)})`;
    const column = check.columns.length === 1 ? check.columns[0] : '';
    bodies.beforeInsert.push(raise(condition, payload(['547', 'INSERT', 'CHECK', check.name, `dbo.${table.name}`, column])));
    bodies.beforeUpdate.push(raise(condition, payload(['547', 'UPDATE', 'CHECK', check.name, `dbo.${table.name}`, column])));
  }
}

/** 2627 and 2601: a duplicate primary key, unique constraint or unique index (one NULL allowed, as in SQL Server). */
function keyChecks(table: TableDefinition, bodies: TriggerBodies): void {
  const T = quoteIdentifier(table.name);
  const qualified = `dbo.${table.name}`;
  const keys = [
    ...(table.primaryKey ? [{ ...table.primaryKey, fields: ['2627', 'PRIMARY KEY', table.primaryKey.name, qualified] }] : []),
    ...table.uniques.map((u) => ({ ...u, fields: ['2627', 'UNIQUE KEY', u.name, qualified] })),
    ...table.indexes.filter((i) => i.unique).map((i) => ({ ...i, fields: ['2601', i.name, qualified] })),
  ];
  for (const key of keys) {
    const match = key.columns.map((c) => {
      const nullable = table.columns.find((col) => col.name === c)?.nullable;
      return `${T}.${quoteIdentifier(c)} ${nullable ? 'IS' : '='} ${ref('NEW', c)}`;
    }).join(' AND ');
    bodies.beforeInsert.push(raise(`EXISTS (SELECT 1 FROM ${T} WHERE ${match})`, payload(key.fields, valueList('NEW', key.columns))));
    bodies.beforeUpdate.push(raise(`EXISTS (SELECT 1 FROM ${T} WHERE ${match} AND ${T}.rowid <> NEW.rowid)`, payload(key.fields, valueList('NEW', key.columns))));
  }
}

/** 547 FOREIGN KEY: a child row whose parent does not exist. */
function foreignKeyChecks(table: TableDefinition, bodies: TriggerBodies): void {
  for (const fk of table.foreignKeys) {
    const parent = quoteIdentifier(fk.refTable);
    const notNull = fk.columns.map((c) => `${ref('NEW', c)} IS NOT NULL`).join(' AND ');
    const exists = `EXISTS (SELECT 1 FROM ${parent} WHERE ${fk.refColumns.map((c, i) => `${parent}.${quoteIdentifier(c)} = ${ref('NEW', fk.columns[i])}`).join(' AND ')})`;
    const changed = fk.columns.map((c) => `${ref('NEW', c)} IS NOT ${ref('OLD', c)}`).join(' OR ');
    bodies.beforeInsert.push(raise(`${notNull} AND NOT ${exists}`, payload(['547', 'INSERT', 'FOREIGN KEY', fk.name, `dbo.${fk.refTable}`, fk.refColumns[0]])));
    bodies.beforeUpdate.push(raise(`(${changed}) AND ${notNull} AND NOT ${exists}`, payload(['547', 'UPDATE', 'FOREIGN KEY', fk.name, `dbo.${fk.refTable}`, fk.refColumns[0]])));
  }
}

/** 547 REFERENCE for NO ACTION; ON DELETE/UPDATE CASCADE and SET NULL carried out after the change. */
function referenceActions({ table, catalog }: TriggerInput, bodies: TriggerBodies): void {
  for (const { table: child, foreignKey: fk } of catalog.referencesTo(table.name)) {
    const C = quoteIdentifier(child.name);
    const matchOld = fk.columns.map((c, i) => `${C}.${quoteIdentifier(c)} = ${ref('OLD', fk.refColumns[i])}`).join(' AND ');
    const keyChanged = fk.refColumns.map((c) => `${ref('NEW', c)} IS NOT ${ref('OLD', c)}`).join(' OR ');
    const where = `EXISTS (SELECT 1 FROM ${C} WHERE ${matchOld})`;
    const setNull = fk.columns.map((c) => `${quoteIdentifier(c)} = NULL`).join(', ');
    if (fk.onDelete === 'NO ACTION') bodies.beforeDelete.push(raise(where, payload(['547', 'DELETE', 'REFERENCE', fk.name, `dbo.${child.name}`, fk.columns[0]])));
    else if (fk.onDelete === 'CASCADE') bodies.afterDelete.push(`DELETE FROM ${C} WHERE ${matchOld};`);
    else bodies.afterDelete.push(`UPDATE ${C} SET ${setNull} WHERE ${matchOld};`);
    if (fk.onUpdate === 'NO ACTION') {
      bodies.beforeUpdate.push(raise(`(${keyChanged}) AND ${where}`, payload(['547', 'UPDATE', 'REFERENCE', fk.name, `dbo.${child.name}`, fk.columns[0]])));
    } else if (fk.onUpdate === 'CASCADE') {
      bodies.afterUpdate.push(`UPDATE ${C} SET ${fk.columns.map((c, i) => `${quoteIdentifier(c)} = ${ref('NEW', fk.refColumns[i])}`).join(', ')} WHERE (${keyChanged}) AND ${matchOld};`);
    } else bodies.afterUpdate.push(`UPDATE ${C} SET ${setNull} WHERE (${keyChanged}) AND ${matchOld};`);
  }
}

/** Names of the stand-in's triggers on a table, to drop before rebuilding them. */
export function triggerNames(table: string): string[] {
  return ['bi', 'bu', 'bd', 'ad', 'au'].map((suffix) => `__hcm_${table}_${suffix}`);
}
