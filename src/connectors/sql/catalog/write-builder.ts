/**
 * INSERT / UPDATE / DELETE statements for table operations. Columns come from the catalog (a body
 * naming an unknown column is refused, identity/computed/rowversion columns cannot be written),
 * values become typed parameters, and changed rows come back through OUTPUT INSERTED with the same
 * exact-type conversions as SELECT.
 */
import { bindColumnValue } from './bind-value';
import { quoteIdentifier, quoteQualified } from './identifiers';
import { TableInfo, findColumn, isWritable } from './model';
import { selectItem } from './row-format';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';

export type RowBody = Record<string, unknown>;

/** Checks that a body is a JSON object of writable columns; returns [column, value] pairs. */
export function bodyAssignments(table: TableInfo, body: unknown, what = 'row'): Array<{ column: string; value: unknown }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw sqlErrors.badBody(`Each ${what} must be a JSON object of column values.`);
  return Object.entries(body as RowBody).map(([name, value]) => {
    const column = findColumn(table, name);
    if (!column) throw sqlErrors.columnNotFound(table.name, name, 'body');
    if (!isWritable(column)) throw sqlErrors.badBody(`Column '${column.name}' is an identity, computed or rowversion column and cannot be written.`);
    if (typeof value === 'object' && value !== null) throw sqlErrors.badBody(`Column '${column.name}' takes a single value, not an object or array.`);
    return { column: column.name, value };
  });
}

function outputClause(table: TableInfo, source: 'INSERTED' | 'DELETED'): string {
  return `OUTPUT ${table.columns.map((c) => selectItem(c, `${source}.`)).join(', ')}`;
}

function bind(table: TableInfo, bag: ParameterBag, column: string, value: unknown): string {
  return bindColumnValue(bag, findColumn(table, column)!, value, sqlErrors.badBody);
}

export function insertStatement(table: TableInfo, assignments: Array<{ column: string; value: unknown }>, bag: ParameterBag): string {
  const target = quoteQualified(table);
  if (assignments.length === 0) return `INSERT INTO ${target} ${outputClause(table, 'INSERTED')} DEFAULT VALUES;`;
  const names = assignments.map((a) => quoteIdentifier(a.column)).join(', ');
  const values = assignments.map((a) => bind(table, bag, a.column, a.value)).join(', ');
  return `INSERT INTO ${target} (${names}) ${outputClause(table, 'INSERTED')} VALUES (${values});`;
}

export function updateStatement(table: TableInfo, assignments: Array<{ column: string; value: unknown }>, where: string, bag: ParameterBag, output: boolean): string {
  if (assignments.length === 0) throw sqlErrors.badBody('Give at least one column to change.');
  const set = assignments.map((a) => `${quoteIdentifier(a.column)} = ${bind(table, bag, a.column, a.value)}`).join(', ');
  return `UPDATE ${quoteQualified(table)} SET ${set}${output ? ` ${outputClause(table, 'INSERTED')}` : ''} WHERE ${where};`;
}

export function deleteStatement(table: TableInfo, where: string): string {
  return `DELETE FROM ${quoteQualified(table)} WHERE ${where};`;
}

/**
 * Groups INSERT statements into batches that stay under SQL Server's 2,100-parameter limit, so a
 * large array is a few round trips rather than one per row (each statement keeps its own OUTPUT, so
 * rows come back in the order given).
 */
export function insertBatches(table: TableInfo, rows: unknown[]): Array<{ text: string; parameters: ParameterBag }> {
  const batches: Array<{ text: string; parameters: ParameterBag }> = [];
  let bag = new ParameterBag();
  let texts: string[] = [];
  rows.forEach((row, index) => {
    const assignments = bodyAssignments(table, row, `row (index ${index})`);
    if (bag.size + assignments.length > 2000 || texts.length >= 500) {
      batches.push({ text: texts.join('\n'), parameters: bag });
      bag = new ParameterBag();
      texts = [];
    }
    texts.push(insertStatement(table, assignments, bag));
  });
  if (texts.length > 0) batches.push({ text: texts.join('\n'), parameters: bag });
  return batches;
}
