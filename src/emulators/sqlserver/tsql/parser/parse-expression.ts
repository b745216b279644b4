/**
 * Expressions, by T-SQL precedence: OR < AND < NOT < comparisons and predicates (LIKE, BETWEEN,
 * IN, IS NULL) < additive and bitwise < multiplicative < unary < primaries (literals, columns,
 * variables, function calls, CAST/CONVERT, CASE, subqueries).
 */
import type { Cursor } from './cursor';
import type { Expr, OrderItem, WindowSpec } from '../ast';
import { parseDataType } from './parse-type';
import { parseQuery, startsQuery } from './parse-query';
import { MAX_LENGTH, SqlType } from '../../sql-type';
import { readScaled, storedScaled } from '../../exact-decimal';

const COMPARISONS = ['=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>'];
/** Functions whose first argument is a date part keyword (year, month, dd, …), not a column. */
const DATEPART_FUNCTIONS = new Set(['DATEADD', 'DATEDIFF', 'DATEDIFF_BIG', 'DATEPART', 'DATENAME', 'DATETRUNC', 'DATE_BUCKET']);
/** Niladic functions written without parentheses. */
const NILADIC = new Set(['CURRENT_TIMESTAMP', 'CURRENT_USER', 'SESSION_USER', 'SYSTEM_USER', 'USER', 'CURRENT_DATE']);

export function parseExpression(cursor: Cursor): Expr {
  let left = parseAnd(cursor);
  while (cursor.acceptWord('OR')) left = { kind: 'binary', op: 'OR', left, right: parseAnd(cursor) };
  return left;
}

function parseAnd(cursor: Cursor): Expr {
  let left = parseNot(cursor);
  while (cursor.acceptWord('AND')) left = { kind: 'binary', op: 'AND', left, right: parseNot(cursor) };
  return left;
}

function parseNot(cursor: Cursor): Expr {
  if (cursor.acceptWord('NOT')) return { kind: 'unary', op: 'NOT', operand: parseNot(cursor) };
  return parsePredicate(cursor);
}

function parsePredicate(cursor: Cursor): Expr {
  if (cursor.acceptWord('EXISTS')) {
    cursor.expectPunct('(');
    const query = parseQuery(cursor);
    cursor.expectPunct(')');
    return { kind: 'exists', query };
  }
  const left = parseAdditive(cursor);
  const comparison = cursor.acceptOperator(...COMPARISONS);
  if (comparison) return { kind: 'binary', op: comparison, left, right: parseAdditive(cursor) };
  const not = cursor.isWord('NOT') && cursor.isWordAt(1, 'LIKE', 'BETWEEN', 'IN') ? !!cursor.next() : false;
  if (cursor.acceptWord('LIKE')) {
    const pattern = parseAdditive(cursor);
    const escape = cursor.acceptWord('ESCAPE') ? parseAdditive(cursor) : undefined;
    return { kind: 'like', not, expr: left, pattern, escape };
  }
  if (cursor.acceptWord('BETWEEN')) {
    const low = parseAdditive(cursor);
    cursor.expectWord('AND');
    return { kind: 'between', not, expr: left, low, high: parseAdditive(cursor) };
  }
  if (cursor.acceptWord('IN')) return parseIn(cursor, left, not);
  if (cursor.acceptWord('IS')) {
    const isNot = !!cursor.acceptWord('NOT');
    cursor.expectWord('NULL');
    return { kind: 'isNull', not: isNot, expr: left };
  }
  if (not) throw cursor.syntaxError();
  return left;
}

function parseIn(cursor: Cursor, expr: Expr, not: boolean): Expr {
  cursor.expectPunct('(');
  if (startsQuery(cursor)) {
    const query = parseQuery(cursor);
    cursor.expectPunct(')');
    return { kind: 'in', not, expr, query };
  }
  const list = [parseExpression(cursor)];
  while (cursor.acceptPunct(',')) list.push(parseExpression(cursor));
  cursor.expectPunct(')');
  return { kind: 'in', not, expr, list };
}

function parseAdditive(cursor: Cursor): Expr {
  let left = parseMultiplicative(cursor);
  for (;;) {
    const op = cursor.acceptOperator('+', '-', '&', '|', '^');
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseMultiplicative(cursor) };
  }
}

function parseMultiplicative(cursor: Cursor): Expr {
  let left = parseUnary(cursor);
  for (;;) {
    const op = cursor.acceptOperator('*', '/', '%');
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseUnary(cursor) };
  }
}

function parseUnary(cursor: Cursor): Expr {
  const op = cursor.acceptOperator('-', '+', '~');
  if (op) {
    const operand = parseUnary(cursor);
    if (op === '-' && operand.kind === 'literal' && typeof operand.value === 'number') return { ...operand, value: -operand.value };
    if (op === '-' && operand.kind === 'literal' && typeof operand.value === 'bigint') return { ...operand, value: -operand.value };
    return { kind: 'unary', op: op as '-' | '+' | '~', operand };
  }
  const primary = parsePrimary(cursor);
  if (cursor.acceptWord('COLLATE')) return { kind: 'collate', expr: primary, collation: cursor.identifier(true) };
  return primary;
}

function parsePrimary(cursor: Cursor): Expr {
  const token = cursor.peek();
  switch (token.kind) {
    case 'number': cursor.next(); return numberLiteral(token.text);
    case 'string': cursor.next(); return stringLiteral(token.value, !!token.unicode);
    case 'binary': cursor.next(); return binaryLiteral(token.value);
    case 'variable': cursor.next(); return { kind: 'variable', name: token.value, line: token.line };
    case 'sysvar': cursor.next(); return { kind: 'sysvar', name: token.value.toUpperCase() };
    case 'punct':
      if (token.value === '(') return parseParenthesized(cursor);
      throw cursor.syntaxError();
    case 'word': return parseWordPrimary(cursor);
    case 'quoted': return parseNameOrCall(cursor);
    default: throw cursor.syntaxError();
  }
}

function parseParenthesized(cursor: Cursor): Expr {
  cursor.expectPunct('(');
  if (startsQuery(cursor)) {
    const query = parseQuery(cursor);
    cursor.expectPunct(')');
    return { kind: 'subquery', query };
  }
  const inner = parseExpression(cursor);
  cursor.expectPunct(')');
  return inner;
}

function parseWordPrimary(cursor: Cursor): Expr {
  const token = cursor.peek();
  switch (token.value) {
    case 'NULL': cursor.next(); return { kind: 'literal', value: null, type: null };
    case 'CASE': return parseCase(cursor);
    case 'CAST': case 'TRY_CAST': return parseCast(cursor);
    case 'CONVERT': case 'TRY_CONVERT': return parseConvert(cursor);
    default:
      if (NILADIC.has(token.value) && !cursor.isPunct('(', 1)) {
        cursor.next();
        return { kind: 'call', name: token.value, args: [], line: token.line };
      }
      return parseNameOrCall(cursor);
  }
}

function parseCase(cursor: Cursor): Expr {
  cursor.expectWord('CASE');
  const operand = cursor.isWord('WHEN') ? undefined : parseExpression(cursor);
  const whens: Array<{ when: Expr; then: Expr }> = [];
  while (cursor.acceptWord('WHEN')) {
    const when = parseExpression(cursor);
    cursor.expectWord('THEN');
    whens.push({ when, then: parseExpression(cursor) });
  }
  if (whens.length === 0) throw cursor.syntaxError();
  const otherwise = cursor.acceptWord('ELSE') ? parseExpression(cursor) : undefined;
  cursor.expectWord('END');
  return { kind: 'case', operand, whens, otherwise };
}

function parseCast(cursor: Cursor): Expr {
  const tryCast = cursor.next().value === 'TRY_CAST';
  cursor.expectPunct('(');
  const expr = parseExpression(cursor);
  cursor.expectWord('AS');
  const type = parseDataType(cursor, true);
  cursor.expectPunct(')');
  return { kind: 'cast', expr, type, tryCast };
}

function parseConvert(cursor: Cursor): Expr {
  const tryCast = cursor.next().value === 'TRY_CONVERT';
  cursor.expectPunct('(');
  const type = parseDataType(cursor, true);
  cursor.expectPunct(',');
  const expr = parseExpression(cursor);
  const style = cursor.acceptPunct(',') ? parseExpression(cursor) : undefined;
  cursor.expectPunct(')');
  return { kind: 'cast', expr, type, tryCast, style };
}

/** A column reference (a.b.c) or a function call (name(…), dbo.fn(…)). */
function parseNameOrCall(cursor: Cursor): Expr {
  const line = cursor.peek().line;
  const parts = [cursor.identifier(true)];
  while (cursor.isPunct('.') && !cursor.isOperator('*') && cursor.peek(1).kind !== 'operator') {
    cursor.next();
    parts.push(cursor.identifier(true));
  }
  if (!cursor.isPunct('(')) return { kind: 'column', parts, line };
  return parseCall(cursor, parts[parts.length - 1].toUpperCase(), line);
}

function parseCall(cursor: Cursor, name: string, line: number): Expr {
  cursor.expectPunct('(');
  const call: Expr & { kind: 'call' } = { kind: 'call', name, args: [], line };
  if (cursor.acceptOperator('*')) {
    call.star = true;
  } else if (!cursor.isPunct(')')) {
    if (cursor.acceptWord('DISTINCT')) call.distinct = true;
    else cursor.acceptWord('ALL');
    const keywordArgument = DATEPART_FUNCTIONS.has(name) && ['word', 'quoted'].includes(cursor.peek().kind)
      && (cursor.isPunct(',', 1) || cursor.isPunct(')', 1));
    if (keywordArgument) {
      call.args.push({ kind: 'keyword', word: cursor.identifier(true).toUpperCase() });
      if (cursor.acceptPunct(',')) {
        do call.args.push(parseExpression(cursor));
        while (cursor.acceptPunct(','));
      }
    } else {
      do call.args.push(parseExpression(cursor));
      while (cursor.acceptPunct(','));
    }
  }
  cursor.expectPunct(')');
  return finishCall(cursor, call);
}

function finishCall(cursor: Cursor, call: Expr & { kind: 'call' }): Expr {
  if (cursor.isWord('WITHIN') && cursor.isWordAt(1, 'GROUP')) {
    cursor.next();
    cursor.next();
    cursor.expectPunct('(');
    cursor.expectWord('ORDER');
    cursor.expectWord('BY');
    call.withinGroup = parseOrderItems(cursor);
    cursor.expectPunct(')');
  }
  if (cursor.acceptWord('OVER')) call.over = parseWindow(cursor);
  return call;
}

function parseWindow(cursor: Cursor): WindowSpec {
  cursor.expectPunct('(');
  const spec: WindowSpec = { partitionBy: [], orderBy: [] };
  if (cursor.acceptWord('PARTITION')) {
    cursor.expectWord('BY');
    do spec.partitionBy.push(parseExpression(cursor));
    while (cursor.acceptPunct(','));
  }
  if (cursor.acceptWord('ORDER')) {
    cursor.expectWord('BY');
    spec.orderBy = parseOrderItems(cursor);
  }
  if (cursor.isWord('ROWS', 'RANGE')) {
    const start = cursor.position;
    while (!cursor.isPunct(')') && !cursor.atEnd()) cursor.next();
    spec.frame = cursor.textBetween(start, cursor.position);
  }
  cursor.expectPunct(')');
  return spec;
}

export function parseOrderItems(cursor: Cursor): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const expr = parseExpression(cursor);
    const direction = cursor.acceptWord('ASC', 'DESC');
    items.push({ expr, descending: direction === 'DESC' });
  } while (cursor.acceptPunct(','));
  return items;
}

/** Integer literals are int, or numeric(p, 0) past int's range; decimals numeric(p, s); exponents float. */
export function numberLiteral(text: string): Expr {
  if (/e/i.test(text)) return { kind: 'literal', value: Number(text), type: { name: 'float' } };
  if (!text.includes('.')) {
    const digits = text.replace(/^0+(?=\d)/, '');
    const value = BigInt(digits);
    if (value <= 2_147_483_647n) return { kind: 'literal', value: Number(value), type: { name: 'int' } };
    const number = value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    return { kind: 'literal', value: number, type: { name: 'numeric', precision: Math.min(38, digits.length), scale: 0 } };
  }
  const [whole, fraction] = text.split('.');
  const precision = Math.max(1, whole.replace(/^0+/, '').length + fraction.length);
  // Exact: a literal a double cannot hold keeps its digits as text (see exact-decimal.ts).
  return { kind: 'literal', value: storedScaled(readScaled(text)!), type: { name: 'numeric', precision: Math.min(38, precision), scale: fraction.length } };
}

export function stringLiteral(value: string, unicode: boolean): Expr {
  const type: SqlType = { name: unicode ? 'nvarchar' : 'varchar', length: Math.max(1, value.length) };
  if (value.length > (unicode ? 4000 : 8000)) type.length = MAX_LENGTH;
  return { kind: 'literal', value, type };
}

function binaryLiteral(hex: string): Expr {
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  const value = Buffer.from(even, 'hex');
  return { kind: 'literal', value, type: { name: 'varbinary', length: Math.max(1, value.length) } };
}
