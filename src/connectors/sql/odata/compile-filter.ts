/**
 * Compiles a parsed $filter to a T-SQL condition over one table: columns are checked against the
 * table's real columns and bracket-quoted; every literal becomes a typed parameter.
 */
import { bindColumnValue, valueFamily } from '../catalog/bind-value';
import { quoteIdentifier } from '../catalog/identifiers';
import { ColumnInfo, TableInfo, findColumn, isComparable } from '../catalog/model';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';
import { CompareOp, FilterNode, Operand } from './filter-parser';

const OPTION = '$filter';
const SQL_OPERATORS: Record<CompareOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const FLIPPED: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

export function compileFilter(node: FilterNode, table: TableInfo, bag: ParameterBag): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${compileFilter(node.left, table, bag)} ${node.kind.toUpperCase()} ${compileFilter(node.right, table, bag)})`;
    case 'not':
      return `(NOT ${compileFilter(node.operand, table, bag)})`;
    case 'function':
      return compileFunction(node, table, bag);
    case 'compare':
      return compileCompare(node.op, node.left, node.right, table, bag);
  }
}

/** Finds a column named in the filter; unknown names and unsortable types are refused. */
export function filterColumn(table: TableInfo, operand: Operand & { kind: 'column' }, option = OPTION): ColumnInfo {
  const column = findColumn(table, operand.name);
  if (!column) throw sqlErrors.columnNotFound(table.name, operand.name, option);
  if (!isComparable(column)) {
    throw sqlErrors.invalidQueryOption(option, `column '${column.name}' has type ${column.dataType}, which cannot be compared.`, operand.position);
  }
  return column;
}

function compileCompare(op: CompareOp, left: Operand, right: Operand, table: TableInfo, bag: ParameterBag): string {
  if (left.kind === 'literal' && right.kind === 'column') return compileCompare(FLIPPED[op], right, left, table, bag);
  if (left.kind !== 'column') {
    throw sqlErrors.invalidQueryOption(OPTION, `a comparison needs a column on one side (position ${left.position}).`, left.position);
  }
  const column = filterColumn(table, left);
  const ref = quoteIdentifier(column.name);
  if (right.kind === 'column') {
    const other = filterColumn(table, right);
    return `(${ref} ${SQL_OPERATORS[op]} ${quoteIdentifier(other.name)})`;
  }
  if (right.type === 'null') {
    if (op === 'eq') return `(${ref} IS NULL)`;
    if (op === 'ne') return `(${ref} IS NOT NULL)`;
    throw sqlErrors.invalidQueryOption(OPTION, `null can only be compared with eq or ne (position ${right.position}).`, right.position);
  }
  const fail = (message: string) => sqlErrors.invalidQueryOption(OPTION, message, right.position);
  const value = bindColumnValue(bag, column, right.value, fail);
  // OData: a NULL column is "not equal" to any value; SQL's <> alone would drop such rows.
  if (op === 'ne' && column.nullable) return `(${ref} <> ${value} OR ${ref} IS NULL)`;
  return `(${ref} ${SQL_OPERATORS[op]} ${value})`;
}

function compileFunction(node: FilterNode & { kind: 'function' }, table: TableInfo, bag: ParameterBag): string {
  if (node.column.kind !== 'column') {
    throw sqlErrors.invalidQueryOption(OPTION, `${node.name} takes a column first (position ${node.column.position}).`, node.column.position);
  }
  const column = filterColumn(table, node.column);
  if (valueFamily(column) !== 'string') {
    throw sqlErrors.invalidQueryOption(OPTION, `${node.name} needs a text column; '${column.name}' is ${column.dataType}.`, node.column.position);
  }
  if (node.argument.kind !== 'literal' || node.argument.type !== 'string') {
    throw sqlErrors.invalidQueryOption(OPTION, `${node.name} takes a quoted string second (position ${node.argument.position}).`, node.argument.position);
  }
  const text = escapeLike(node.argument.value as string);
  const pattern = node.name === 'startswith' ? `${text}%` : node.name === 'endswith' ? `%${text}` : `%${text}%`;
  const value = bindColumnValue(bag, { ...column, dataType: 'nvarchar' }, pattern, (m) => sqlErrors.invalidQueryOption(OPTION, m));
  return `(${quoteIdentifier(column.name)} LIKE ${value} ESCAPE '\\')`;
}

/** Makes %, _, [ and the escape character itself match literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_[]/g, (ch) => `\\${ch}`);
}
