/**
 * Queries: WITH common table expressions, SELECT (DISTINCT, TOP, select list, INTO, FROM with
 * joins and APPLY, WHERE, GROUP BY, HAVING), UNION/EXCEPT/INTERSECT, ORDER BY, OFFSET … FETCH,
 * FOR JSON and OPTION (…), which the stand-in accepts and ignores.
 */
import type { Cursor } from './cursor';
import type { Cte, Expr, FromItem, Query, QueryBody, SelectCore, SelectItem } from '../ast';
import { parseExpression, parseOrderItems, stringLiteral } from './parse-expression';

export function startsQuery(cursor: Cursor): boolean {
  return cursor.isWord('SELECT', 'WITH') || (cursor.isPunct('(') && startsQueryAt(cursor, 1));
}

function startsQueryAt(cursor: Cursor, ahead: number): boolean {
  let offset = ahead;
  while (cursor.isPunct('(', offset)) offset++;
  return cursor.isWordAt(offset, 'SELECT');
}

export function parseQuery(cursor: Cursor): Query {
  const ctes: Cte[] = [];
  if (cursor.acceptWord('WITH')) {
    do ctes.push(parseCte(cursor));
    while (cursor.acceptPunct(','));
  }
  const query: Query = { ctes, body: parseQueryBody(cursor), orderBy: [] };
  if (cursor.acceptWord('ORDER')) {
    cursor.expectWord('BY');
    query.orderBy = parseOrderItems(cursor);
    if (cursor.isWord('OFFSET')) parseOffsetFetch(cursor, query);
  }
  if (cursor.isWord('FOR') && cursor.isWordAt(1, 'JSON')) parseForJson(cursor, query);
  if (cursor.acceptWord('OPTION')) skipParenthesized(cursor);
  return query;
}

function parseCte(cursor: Cursor): Cte {
  const name = cursor.identifier();
  const cte: Cte = { name, query: undefined as unknown as Query };
  if (cursor.acceptPunct('(')) {
    cte.columns = [];
    do cte.columns.push(cursor.identifier());
    while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
  }
  cursor.expectWord('AS');
  cursor.expectPunct('(');
  cte.query = parseQuery(cursor);
  cursor.expectPunct(')');
  return cte;
}

function parseOffsetFetch(cursor: Cursor, query: Query): void {
  cursor.expectWord('OFFSET');
  query.offset = parseExpression(cursor);
  cursor.expectWord('ROW', 'ROWS');
  if (cursor.acceptWord('FETCH')) {
    cursor.expectWord('FIRST', 'NEXT');
    query.fetch = parseExpression(cursor);
    cursor.expectWord('ROW', 'ROWS');
    cursor.expectWord('ONLY');
  }
}

function parseForJson(cursor: Cursor, query: Query): void {
  cursor.expectWord('FOR');
  cursor.expectWord('JSON');
  const mode = cursor.expectWord('PATH', 'AUTO') as 'PATH' | 'AUTO';
  query.forJson = { mode, withoutArrayWrapper: false, includeNulls: false };
  while (cursor.acceptPunct(',')) {
    const option = cursor.expectWord('ROOT', 'WITHOUT_ARRAY_WRAPPER', 'INCLUDE_NULL_VALUES');
    if (option === 'ROOT') {
      query.forJson.root = 'root';
      if (cursor.acceptPunct('(')) {
        query.forJson.root = cursor.next().value;
        cursor.expectPunct(')');
      }
    } else if (option === 'WITHOUT_ARRAY_WRAPPER') query.forJson.withoutArrayWrapper = true;
    else query.forJson.includeNulls = true;
  }
}

export function skipParenthesized(cursor: Cursor): void {
  cursor.expectPunct('(');
  let depth = 1;
  while (depth > 0) {
    if (cursor.atEnd()) throw cursor.syntaxError();
    const token = cursor.next();
    if (token.kind === 'punct' && token.value === '(') depth++;
    if (token.kind === 'punct' && token.value === ')') depth--;
  }
}

function parseQueryBody(cursor: Cursor): QueryBody {
  let left = parseQueryTerm(cursor);
  for (;;) {
    let op: 'UNION' | 'UNION ALL' | 'EXCEPT' | 'INTERSECT';
    if (cursor.acceptWord('UNION')) op = cursor.acceptWord('ALL') ? 'UNION ALL' : 'UNION';
    else if (cursor.acceptWord('EXCEPT')) op = 'EXCEPT';
    else if (cursor.acceptWord('INTERSECT')) op = 'INTERSECT';
    else return left;
    left = { kind: 'setOp', op, left, right: parseQueryTerm(cursor) };
  }
}

function parseQueryTerm(cursor: Cursor): QueryBody {
  if (cursor.acceptPunct('(')) {
    const query = parseQuery(cursor);
    cursor.expectPunct(')');
    return { kind: 'parenthesized', query };
  }
  return parseSelectCore(cursor);
}

function parseSelectCore(cursor: Cursor): SelectCore {
  cursor.expectWord('SELECT');
  const core: SelectCore = { kind: 'select', distinct: false, items: [], from: [], groupBy: [] };
  if (cursor.acceptWord('DISTINCT')) core.distinct = true;
  else cursor.acceptWord('ALL');
  if (cursor.acceptWord('TOP')) core.top = parseTop(cursor);
  do core.items.push(parseSelectItem(cursor));
  while (cursor.acceptPunct(','));
  if (cursor.acceptWord('INTO')) core.into = cursor.objectName();
  if (cursor.acceptWord('FROM')) core.from = parseFromList(cursor);
  if (cursor.acceptWord('WHERE')) core.where = parseExpression(cursor);
  if (cursor.acceptWord('GROUP')) {
    cursor.expectWord('BY');
    do core.groupBy.push(parseExpression(cursor));
    while (cursor.acceptPunct(','));
  }
  if (cursor.acceptWord('HAVING')) core.having = parseExpression(cursor);
  return core;
}

export function parseTop(cursor: Cursor): { expr: Expr; percent: boolean; withTies: boolean } {
  let expr: Expr;
  if (cursor.acceptPunct('(')) {
    expr = parseExpression(cursor);
    cursor.expectPunct(')');
  } else {
    const token = cursor.next();
    if (token.kind !== 'number' && token.kind !== 'variable') throw cursor.syntaxError();
    expr = token.kind === 'number' ? { kind: 'literal', value: Number(token.text), type: { name: 'bigint' } } : { kind: 'variable', name: token.value, line: token.line };
  }
  const percent = !!cursor.acceptWord('PERCENT');
  const withTies = cursor.isWord('WITH') && cursor.isWordAt(1, 'TIES') ? !!(cursor.next() && cursor.next()) : false;
  return { expr, percent, withTies };
}

export function parseSelectItem(cursor: Cursor): SelectItem {
  if (cursor.acceptOperator('*')) return { kind: 'star' };
  // t.* and schema.t.*
  for (let parts = 1; parts <= 3; parts++) {
    if (cursor.isPunct('.', parts * 2 - 1) && cursor.peek(parts * 2).kind === 'operator' && cursor.peek(parts * 2).value === '*') {
      const qualifier: string[] = [];
      for (let i = 0; i < parts; i++) {
        qualifier.push(cursor.identifier(true));
        cursor.expectPunct('.');
      }
      cursor.expectOperator('*');
      return { kind: 'star', qualifier };
    }
  }
  const token = cursor.peek();
  if (token.kind === 'variable' && cursor.peek(1).kind === 'operator' && ['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^='].includes(cursor.peek(1).value)) {
    cursor.next();
    const op = cursor.next().value;
    return { kind: 'assign', variable: token.value, op, expr: parseExpression(cursor) };
  }
  // alias = expression
  if ((cursor.isIdentifier() || token.kind === 'string') && cursor.peek(1).kind === 'operator' && cursor.peek(1).value === '=') {
    cursor.next();
    cursor.next();
    return { kind: 'expr', expr: parseExpression(cursor), alias: token.kind === 'word' ? token.text : token.value };
  }
  const expr = parseExpression(cursor);
  return { kind: 'expr', expr, alias: parseAlias(cursor) };
}

/** [AS] alias, where the alias is an identifier or a string literal. */
export function parseAlias(cursor: Cursor): string | undefined {
  if (cursor.acceptWord('AS')) {
    const token = cursor.peek();
    if (token.kind === 'string') {
      cursor.next();
      return token.value;
    }
    return cursor.identifier();
  }
  if (cursor.peek().kind === 'string') return cursor.next().value;
  // OUTPUT (DML) and USING (MERGE) are not reserved but start the clause after a table.
  if (cursor.isIdentifier() && !cursor.isWord('OUTPUT', 'USING')) return cursor.identifier();
  return undefined;
}

export function parseFromList(cursor: Cursor): FromItem[] {
  const items: FromItem[] = [];
  do items.push(parseJoinedItem(cursor));
  while (cursor.acceptPunct(','));
  return items;
}

function parseJoinedItem(cursor: Cursor): FromItem {
  let left = parseFromPrimary(cursor);
  for (;;) {
    let joinType: (FromItem & { kind: 'join' })['joinType'] | undefined;
    if (cursor.isWord('CROSS') && cursor.isWordAt(1, 'JOIN')) joinType = 'CROSS';
    else if (cursor.isWord('CROSS') && cursor.isWordAt(1, 'APPLY')) joinType = 'CROSS APPLY';
    else if (cursor.isWord('OUTER') && cursor.isWordAt(1, 'APPLY')) joinType = 'OUTER APPLY';
    else if (cursor.isWord('JOIN', 'INNER')) joinType = 'INNER';
    else if (cursor.isWord('LEFT', 'RIGHT', 'FULL')) joinType = cursor.peek().value as 'LEFT' | 'RIGHT' | 'FULL';
    if (!joinType) return left;
    if (joinType === 'CROSS' || joinType === 'CROSS APPLY' || joinType === 'OUTER APPLY') {
      cursor.next();
      cursor.next();
    } else {
      if (!cursor.isWord('JOIN')) cursor.next();
      cursor.acceptWord('OUTER');
      cursor.acceptWord('LOOP', 'HASH', 'MERGE');
      cursor.expectWord('JOIN');
    }
    const right = parseFromPrimary(cursor);
    const on = joinType === 'INNER' || joinType === 'LEFT' || joinType === 'RIGHT' || joinType === 'FULL'
      ? (cursor.expectWord('ON'), parseExpression(cursor)) : undefined;
    left = { kind: 'join', joinType, left, right, on };
  }
}

function parseFromPrimary(cursor: Cursor): FromItem {
  if (cursor.isPunct('(')) {
    if (startsQueryAt(cursor, 1)) {
      cursor.next();
      const query = parseQuery(cursor);
      cursor.expectPunct(')');
      const alias = parseAlias(cursor);
      if (!alias) throw cursor.syntaxError();
      return { kind: 'derived', query, alias, columns: parseColumnAliases(cursor) };
    }
    if (cursor.isWordAt(1, 'VALUES')) return parseValuesSource(cursor);
    cursor.next();
    const inner = parseJoinedItem(cursor);
    cursor.expectPunct(')');
    return inner;
  }
  const name = cursor.objectName();
  const alias = parseAlias(cursor);
  skipTableHints(cursor);
  return { kind: 'table', name, alias };
}

function parseValuesSource(cursor: Cursor): FromItem {
  cursor.expectPunct('(');
  cursor.expectWord('VALUES');
  const rows = parseValueRows(cursor);
  cursor.expectPunct(')');
  const alias = parseAlias(cursor);
  const columns = parseColumnAliases(cursor);
  if (!alias || !columns) throw cursor.syntaxError();
  return { kind: 'values', rows, alias, columns };
}

export function parseValueRows(cursor: Cursor): Expr[][] {
  const rows: Expr[][] = [];
  do {
    cursor.expectPunct('(');
    const row: Expr[] = [];
    do {
      if (cursor.isWord('DEFAULT')) {
        cursor.next();
        row.push({ kind: 'keyword', word: 'DEFAULT' });
      } else row.push(parseExpression(cursor));
    } while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
    rows.push(row);
  } while (cursor.acceptPunct(','));
  return rows;
}

function parseColumnAliases(cursor: Cursor): string[] | undefined {
  if (!cursor.isPunct('(')) return undefined;
  cursor.next();
  const columns: string[] = [];
  do columns.push(cursor.identifier());
  while (cursor.acceptPunct(','));
  cursor.expectPunct(')');
  return columns;
}

/** WITH (NOLOCK), (NOLOCK), WITH (UPDLOCK, ROWLOCK): locking hints mean nothing to the stand-in. */
function skipTableHints(cursor: Cursor): void {
  if (cursor.isWord('WITH') && cursor.isPunct('(', 1)) {
    cursor.next();
    skipParenthesized(cursor);
  }
}

export { stringLiteral };
