/**
 * The 2015 connector's whereClause: AND, OR, =, <>, <, <=, >, >=, LIKE, parentheses, quoted string
 * and plain number literals, over the table's own columns — nothing else (no IN, BETWEEN, IS NULL,
 * functions, arithmetic, subqueries). node-sql-parser (T-SQL dialect) reads the clause; the tree
 * is checked against that grammar and the SQL is generated again from it with every literal as a
 * parameter, so the caller's text never reaches SQL Server.
 */
import { Parser } from 'node-sql-parser';
import { bindColumnValue, valueFamily } from '../catalog/bind-value';
import { quoteIdentifier } from '../catalog/identifiers';
import { ColumnInfo, TableInfo, findColumn, isComparable } from '../catalog/model';
import { ParameterBag } from '../db/parameters';
import { scanSql } from '../query/sql-scan';
import { sqlErrors, truncate } from '../errors';

const MAX_LENGTH = 8192;
const MAX_NODES = 200;
const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=', 'LIKE']);
const FLIPPED: Record<string, string> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const STRING_TYPES = new Set(['single_quote_string', 'string', 'var_string']);
const NUMBER_TYPES = new Set(['number', 'bigint']);

type AstNode = { type?: string; [name: string]: unknown };
type Operand = { kind: 'column'; column: ColumnInfo } | { kind: 'literal'; value: string; isString: boolean };

const parser = new Parser();

/** Compiles a whereClause to a parameterised condition; throws InvalidWhereClause or ColumnNotFound. */
export function compileWhereClause(clause: string, table: TableInfo, bag: ParameterBag): string {
  if (typeof clause !== 'string' || clause.trim() === '') throw sqlErrors.invalidWhereClause('is empty.');
  if (clause.length > MAX_LENGTH) throw sqlErrors.invalidWhereClause(`is longer than ${MAX_LENGTH} characters.`);
  refuseCommentsAndSemicolons(clause);
  const where = parseClause(clause);
  const state = { nodes: 0 };
  return compileNode(where, table, bag, state);
}

/**
 * As /query: no comments (they could hide text from a reader of the log), and no ';' — a condition
 * is not a statement. Harmless here (the SQL is rebuilt from the tree), but the two stay consistent.
 */
function refuseCommentsAndSemicolons(clause: string): void {
  const scan = scanSql(clause);
  if (scan.unterminated) throw sqlErrors.invalidWhereClause('a string or [name] is not closed.');
  if (scan.hasComment) throw sqlErrors.invalidWhereClause('comments (-- or /* */) are not allowed.');
  if (scan.semicolons > 0) throw sqlErrors.invalidWhereClause("';' is not allowed: give one condition, not a statement.");
}

function parseClause(clause: string): AstNode {
  let ast: unknown;
  try {
    ast = parser.astify(`SELECT * FROM t WHERE ${clause}`, { database: 'TransactSQL' });
  } catch (error) {
    const detail = error instanceof RangeError ? 'it nests too deeply' : 'it is not valid SQL';
    throw sqlErrors.invalidWhereClause(`cannot be read (${detail}).`);
  }
  if (Array.isArray(ast)) throw sqlErrors.invalidWhereClause('must be one condition, not several statements.');
  const select = ast as AstNode;
  const onlyWhere =
    select.type === 'select' &&
    !select._next &&
    !select.set_op &&
    !select.with &&
    !select.groupby &&
    !select.having &&
    !select.orderby &&
    !select.limit &&
    !select.top &&
    !select.for &&
    !select.distinct &&
    !select.options &&
    Array.isArray(select.from) &&
    select.from.length === 1 &&
    !(select.into as AstNode | null)?.position;
  if (!onlyWhere || !select.where) throw sqlErrors.invalidWhereClause('must be a condition only (no ORDER BY, UNION, GROUP BY, …).');
  return select.where as AstNode;
}

function compileNode(node: AstNode, table: TableInfo, bag: ParameterBag, state: { nodes: number }): string {
  state.nodes += 1;
  if (state.nodes > MAX_NODES) throw sqlErrors.invalidWhereClause(`has more than ${MAX_NODES} parts.`);
  if (node.type !== 'binary_expr') throw sqlErrors.invalidWhereClause(`${describe(node)} is not allowed; use comparisons joined by AND and OR.`);
  const operator = String(node.operator).toUpperCase();
  if (operator === 'AND' || operator === 'OR') {
    const left = compileNode(node.left as AstNode, table, bag, state);
    const right = compileNode(node.right as AstNode, table, bag, state);
    return `(${left} ${operator} ${right})`;
  }
  if (!COMPARISONS.has(operator)) {
    throw sqlErrors.invalidWhereClause(`the operator ${truncate(operator, 16)} is not allowed; use =, <>, <, <=, >, >=, LIKE, AND, OR.`);
  }
  if (node.escape) throw sqlErrors.invalidWhereClause('LIKE … ESCAPE is not allowed.');
  const left = operand(node.left as AstNode, table);
  const right = operand(node.right as AstNode, table);
  if (operator === 'LIKE') return compileLike(left, right);
  if (left.kind === 'literal' && right.kind === 'column') return compileComparison(right, FLIPPED[operator], left, bag);
  return compileComparison(left, operator, right, bag);

  function compileLike(l: Operand, r: Operand): string {
    if (l.kind !== 'column' || r.kind !== 'literal' || !r.isString) throw sqlErrors.invalidWhereClause('LIKE takes a column on the left and a quoted pattern on the right.');
    if (valueFamily(l.column) !== 'string') throw sqlErrors.invalidWhereClause(`LIKE needs a text column; '${l.column.name}' is ${l.column.dataType}.`);
    const pattern = bindColumnValue(bag, { ...l.column, dataType: 'nvarchar' }, r.value, sqlErrors.invalidWhereClause);
    return `(${quoteIdentifier(l.column.name)} LIKE ${pattern})`;
  }
}

function compileComparison(left: Operand, operator: string, right: Operand, bag: ParameterBag): string {
  if (left.kind !== 'column') throw sqlErrors.invalidWhereClause('each comparison needs a column on one side.');
  const ref = quoteIdentifier(left.column.name);
  if (right.kind === 'column') return `(${ref} ${operator} ${quoteIdentifier(right.column.name)})`;
  return `(${ref} ${operator} ${bindColumnValue(bag, left.column, right.value, sqlErrors.invalidWhereClause)})`;
}

function operand(node: AstNode, table: TableInfo): Operand {
  if (node.type === 'column_ref') {
    const name = String(node.column);
    if (name.startsWith('@')) throw sqlErrors.invalidWhereClause('variables and parameters are not allowed.');
    const qualifier = node.table as string | null;
    if (node.db || node.schema || (qualifier && qualifier.toLowerCase() !== 't' && qualifier.toLowerCase() !== table.name.toLowerCase())) {
      throw sqlErrors.invalidWhereClause(`'${truncate(name)}' must be a column of ${table.name}, without another table's name.`);
    }
    const column = findColumn(table, name);
    if (!column) throw sqlErrors.columnNotFound(table.name, name, 'whereClause');
    if (!isComparable(column)) throw sqlErrors.invalidWhereClause(`column '${column.name}' (${column.dataType}) cannot be compared.`);
    return { kind: 'column', column };
  }
  if (STRING_TYPES.has(String(node.type))) return { kind: 'literal', value: String(node.value).replace(/''/g, "'"), isString: true };
  if (NUMBER_TYPES.has(String(node.type)) && /^-?\d+(\.\d+)?$/.test(String(node.value))) {
    return { kind: 'literal', value: String(node.value), isString: false };
  }
  throw sqlErrors.invalidWhereClause(`${describe(node)} is not allowed; use a column, a quoted string or a plain number.`);
}

/** Names an unsupported construct without echoing more of the caller's text than needed. */
function describe(node: AstNode): string {
  switch (node.type) {
    case 'function':
    case 'aggr_func':
      return 'a function call';
    case 'binary_expr':
      return `the operator ${truncate(String(node.operator), 16)}`;
    case 'unary_expr':
      return `the operator ${truncate(String(node.operator), 16)}`;
    case 'null':
      return 'NULL (and IS NULL)';
    case 'bool':
      return 'TRUE/FALSE';
    case 'full_hex_string':
    case 'hex_string':
      return 'a hex number';
    case 'double_quote_string':
      return 'a double-quoted name';
    case 'expr_list':
      return 'a list';
    case 'column_ref':
      return 'a column reference';
    default:
      return node.ast || node.tableList ? 'a subquery' : `'${truncate(String(node.type ?? 'this'), 24)}'`;
  }
}
