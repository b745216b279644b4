/**
 * Data modification: INSERT (VALUES, SELECT, DEFAULT VALUES, EXEC), UPDATE and DELETE with
 * TOP, OUTPUT and FROM, and MERGE. Also `INSERT BULK`, the statement bulk-copy clients send
 * before their BULK_LOAD rows.
 */
import type { Cursor } from './cursor';
import type { Expr, InsertSource, MergeClause, OutputClause, Statement } from '../ast';
import { parseExpression } from './parse-expression';
import { parseAlias, parseFromList, parseSelectItem, parseTop, parseValueRows, startsQuery, parseQuery } from './parse-query';
import { parseDataType } from './parse-type';
import { parseExec } from './parse-procedural';
import { sqlErrors } from '../sql-error';

type Parsed<K extends Statement['kind']> = Statement & { kind: K };

export function parseInsert(cursor: Cursor, line: number): Statement {
  cursor.expectWord('INSERT');
  if (cursor.acceptWord('BULK')) return parseInsertBulk(cursor, line);
  const top = cursor.acceptWord('TOP') ? parseTop(cursor).expr : undefined;
  cursor.acceptWord('INTO');
  const table = cursor.objectName();
  let columns: string[] | undefined;
  if (cursor.isPunct('(') && !startsQueryAfterParen(cursor)) {
    cursor.next();
    columns = [];
    do columns.push(cursor.identifier(true));
    while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
  }
  const output = parseOutput(cursor);
  let source: InsertSource;
  if (cursor.acceptWord('VALUES')) source = { kind: 'values', rows: parseValueRows(cursor) };
  else if (cursor.acceptWord('DEFAULT')) {
    cursor.expectWord('VALUES');
    source = { kind: 'defaultValues' };
  } else if (cursor.isWord('EXEC', 'EXECUTE')) {
    source = { kind: 'exec', exec: parseExec(cursor, line) as Parsed<'exec'> };
  } else if (startsQuery(cursor)) source = { kind: 'query', query: parseQuery(cursor) };
  else throw cursor.syntaxError();
  return { kind: 'insert', line, table, columns, source, output, top };
}

function startsQueryAfterParen(cursor: Cursor): boolean {
  return cursor.isWordAt(1, 'SELECT', 'WITH');
}

function parseInsertBulk(cursor: Cursor, line: number): Statement {
  const table = cursor.objectName();
  const columns: Array<{ name: string; type: ReturnType<typeof parseDataType> }> = [];
  if (cursor.acceptPunct('(')) {
    do {
      const name = cursor.identifier(true);
      const type = parseDataType(cursor);
      if (cursor.acceptWord('COLLATE')) cursor.identifier(true);
      cursor.acceptWord('NULL');
      if (cursor.acceptWord('NOT')) cursor.expectWord('NULL');
      columns.push({ name, type });
    } while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
  }
  let order: Array<{ name: string; descending: boolean }> | undefined;
  let fireTriggers = false;
  if (cursor.acceptWord('WITH')) {
    // Hints: ORDER(col [ASC|DESC], …) is kept (the rows are then checked); TABLOCK, CHECK_CONSTRAINTS, … are read past.
    cursor.expectPunct('(');
    let depth = 1;
    while (depth > 0 && !cursor.atEnd()) {
      if (depth === 1 && cursor.acceptWord('FIRE_TRIGGERS')) {
        fireTriggers = true;
        continue;
      }
      if (depth === 1 && cursor.acceptWord('ORDER')) {
        cursor.expectPunct('(');
        order = [];
        do {
          const name = cursor.identifier(true);
          const descending = cursor.acceptWord('DESC') !== undefined;
          if (!descending) cursor.acceptWord('ASC');
          order.push({ name, descending });
        } while (cursor.acceptPunct(','));
        cursor.expectPunct(')');
        continue;
      }
      const token = cursor.next();
      if (token.value === '(') depth++;
      if (token.value === ')') depth--;
    }
  }
  return { kind: 'insertBulk', line, table, columns, order, fireTriggers };
}

export function parseOutput(cursor: Cursor): OutputClause | undefined {
  if (!cursor.acceptWord('OUTPUT')) return undefined;
  const items = [];
  do items.push(parseSelectItem(cursor));
  while (cursor.acceptPunct(','));
  const into = cursor.acceptWord('INTO') ? cursor.objectName() : undefined;
  let intoColumns: string[] | undefined;
  if (into && cursor.isPunct('(') && cursor.isIdentifier(1) && (cursor.isPunct(',', 2) || cursor.isPunct(')', 2))) {
    cursor.next();
    intoColumns = [];
    do intoColumns.push(cursor.identifier(true));
    while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
  }
  return { items, into, intoColumns };
}

export function parseUpdate(cursor: Cursor, line: number): Statement {
  cursor.expectWord('UPDATE');
  const top = cursor.acceptWord('TOP') ? parseTop(cursor).expr : undefined;
  const target = cursor.objectName();
  if (cursor.isWord('WITH') && cursor.isPunct('(', 1)) {
    cursor.next();
    cursor.next();
    while (!cursor.acceptPunct(')')) cursor.next();
  }
  cursor.expectWord('SET');
  const sets: Parsed<'update'>['sets'] = [];
  do {
    const token = cursor.peek();
    if (token.kind === 'variable') {
      cursor.next();
      const op = cursor.next();
      if (op.kind !== 'operator') throw cursor.syntaxError();
      sets.push({ variable: token.value, op: op.value, expr: parseExpression(cursor) });
      continue;
    }
    const column = [cursor.identifier(true)];
    while (cursor.acceptPunct('.')) column.push(cursor.identifier(true));
    const op = cursor.next();
    if (op.kind !== 'operator' || !op.value.endsWith('=')) throw cursor.syntaxError();
    sets.push({ column, op: op.value, expr: parseExpression(cursor) });
  } while (cursor.acceptPunct(','));
  const output = parseOutput(cursor);
  const from = cursor.acceptWord('FROM') ? parseFromList(cursor) : [];
  const where = cursor.acceptWord('WHERE') ? parseExpression(cursor) : undefined;
  return { kind: 'update', line, target, sets, from, where, output, top };
}

export function parseDelete(cursor: Cursor, line: number): Statement {
  cursor.expectWord('DELETE');
  const top = cursor.acceptWord('TOP') ? parseTop(cursor).expr : undefined;
  cursor.acceptWord('FROM');
  const target = cursor.objectName();
  const output = parseOutput(cursor);
  const from = cursor.acceptWord('FROM') ? parseFromList(cursor) : [];
  const where = cursor.acceptWord('WHERE') ? parseExpression(cursor) : undefined;
  return { kind: 'delete', line, target, from, where, output, top };
}

export function parseMerge(cursor: Cursor, line: number): Statement {
  cursor.expectWord('MERGE');
  cursor.acceptWord('INTO');
  const target = cursor.objectName();
  const alias = parseAlias(cursor);
  cursor.expectWord('USING');
  const [source] = parseFromList(cursor);
  cursor.expectWord('ON');
  const on = parseExpression(cursor);
  const clauses: MergeClause[] = [];
  while (cursor.acceptWord('WHEN')) clauses.push(parseMergeClause(cursor));
  if (clauses.length === 0) throw cursor.syntaxError();
  const output = parseOutput(cursor);
  if (!cursor.isPunct(';')) throw sqlErrors.mergeNeedsSemicolon().at(line);
  return { kind: 'merge', line, target, alias, source, on, clauses, output };
}

function parseMergeClause(cursor: Cursor): MergeClause {
  let when: MergeClause['when'];
  if (cursor.acceptWord('MATCHED')) when = 'MATCHED';
  else {
    cursor.expectWord('NOT');
    cursor.expectWord('MATCHED');
    if (cursor.acceptWord('BY')) when = cursor.expectWord('TARGET', 'SOURCE') === 'SOURCE' ? 'NOT MATCHED BY SOURCE' : 'NOT MATCHED';
    else when = 'NOT MATCHED';
  }
  const condition: Expr | undefined = cursor.acceptWord('AND') ? parseExpression(cursor) : undefined;
  cursor.expectWord('THEN');
  if (cursor.acceptWord('DELETE')) return { when, condition, action: { kind: 'delete' } };
  if (cursor.acceptWord('UPDATE')) {
    cursor.expectWord('SET');
    const sets: Array<{ column: string[]; expr: Expr }> = [];
    do {
      const column = [cursor.identifier(true)];
      while (cursor.acceptPunct('.')) column.push(cursor.identifier(true));
      cursor.expectOperator('=');
      sets.push({ column, expr: parseExpression(cursor) });
    } while (cursor.acceptPunct(','));
    return { when, condition, action: { kind: 'update', sets } };
  }
  cursor.expectWord('INSERT');
  let columns: string[] | undefined;
  if (cursor.acceptPunct('(')) {
    columns = [];
    do columns.push(cursor.identifier(true));
    while (cursor.acceptPunct(','));
    cursor.expectPunct(')');
  }
  cursor.expectWord('VALUES');
  const [values] = parseValueRows(cursor);
  return { when, condition, action: { kind: 'insert', columns, values } };
}
