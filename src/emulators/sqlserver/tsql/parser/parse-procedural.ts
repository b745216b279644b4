/**
 * Procedural statements of batches and procedure bodies: DECLARE, SET (variables and session
 * options), IF/ELSE, WHILE, BEGIN…END, TRY…CATCH, RETURN, BREAK, CONTINUE, EXEC, transactions,
 * PRINT, THROW, RAISERROR, USE and WAITFOR.
 */
import type { Cursor } from './cursor';
import type { ExecArgument, Statement } from '../ast';
import { parseExpression } from './parse-expression';
import { parseDataType } from './parse-type';
import { parseTableVariable } from './parse-ddl';
import { sqlErrors } from '../sql-error';
import { RESERVED, STATEMENT_START } from './reserved-words';

export type ParseStatement = (cursor: Cursor) => Statement;

export function parseDeclare(cursor: Cursor, line: number): Statement {
  cursor.expectWord('DECLARE');
  const variables: Array<(Statement & { kind: 'declare' })['variables'][number]> = [];
  do {
    const token = cursor.next();
    if (token.kind !== 'variable') throw cursor.syntaxError();
    cursor.acceptWord('AS');
    if (cursor.acceptWord('TABLE')) {
      variables.push({ name: token.value, type: { name: 'int' }, table: parseTableVariable(cursor, line, token.value) });
      continue;
    }
    if (cursor.isWord('CURSOR')) throw sqlErrors.notSupported('cursor variables').at(line);
    const type = parseDataType(cursor);
    const init = cursor.acceptOperator('=') ? parseExpression(cursor) : undefined;
    variables.push({ name: token.value, type, init });
  } while (cursor.acceptPunct(','));
  return { kind: 'declare', line, variables };
}

export function parseSet(cursor: Cursor, line: number): Statement {
  cursor.expectWord('SET');
  const token = cursor.peek();
  if (token.kind === 'variable') {
    cursor.next();
    const op = cursor.next();
    if (op.kind !== 'operator' || !op.value.endsWith('=')) throw cursor.syntaxError();
    return { kind: 'setVariable', line, name: token.value, op: op.value, expr: parseExpression(cursor) };
  }
  if (cursor.acceptWord('TRANSACTION')) {
    cursor.expectWord('ISOLATION');
    cursor.expectWord('LEVEL');
    const words: string[] = [];
    while (cursor.isWord('READ', 'COMMITTED', 'UNCOMMITTED', 'REPEATABLE', 'SERIALIZABLE', 'SNAPSHOT')) words.push(cursor.next().value);
    if (words.length === 0) throw cursor.syntaxError();
    return { kind: 'setOption', line, option: 'TRANSACTION ISOLATION LEVEL', value: words.join(' ') };
  }
  if (cursor.acceptWord('IDENTITY_INSERT')) {
    const target = cursor.objectName();
    return { kind: 'setOption', line, option: 'IDENTITY_INSERT', value: cursor.expectWord('ON', 'OFF'), target };
  }
  const options = [cursor.identifier(true).toUpperCase()];
  while (cursor.acceptPunct(',')) options.push(cursor.identifier(true).toUpperCase());
  const value = cursor.next();
  if (value.kind === 'eof') throw cursor.syntaxError();
  const text = value.kind === 'operator' && value.value === '-' ? `-${cursor.next().text}` : value.kind === 'string' ? value.value : value.text;
  return { kind: 'setOption', line, option: options.join(','), value: text.toUpperCase() };
}

export function parseIf(cursor: Cursor, line: number, parseStatement: ParseStatement): Statement {
  cursor.expectWord('IF');
  const condition = parseExpression(cursor);
  const then = parseStatement(cursor);
  cursor.acceptPunct(';');
  const otherwise = cursor.acceptWord('ELSE') ? parseStatement(cursor) : undefined;
  return { kind: 'if', line, condition, then, otherwise };
}

export function parseWhile(cursor: Cursor, line: number, parseStatement: ParseStatement): Statement {
  cursor.expectWord('WHILE');
  const condition = parseExpression(cursor);
  return { kind: 'while', line, condition, body: parseStatement(cursor) };
}

/** BEGIN … END, BEGIN TRY … END TRY BEGIN CATCH … END CATCH, or BEGIN TRAN[SACTION]. */
export function parseBegin(cursor: Cursor, line: number, parseStatement: ParseStatement): Statement {
  cursor.expectWord('BEGIN');
  if (cursor.acceptWord('TRAN', 'TRANSACTION')) return { kind: 'beginTransaction', line, name: optionalName(cursor) };
  if (cursor.acceptWord('DISTRIBUTED')) throw sqlErrors.notSupported('distributed transactions').at(line);
  if (cursor.acceptWord('TRY')) {
    const body = parseUntilEnd(cursor, parseStatement);
    cursor.expectWord('TRY');
    cursor.expectWord('BEGIN');
    cursor.expectWord('CATCH');
    const handler = parseUntilEnd(cursor, parseStatement);
    cursor.expectWord('CATCH');
    return { kind: 'tryCatch', line, body, handler };
  }
  const body = parseUntilEnd(cursor, parseStatement);
  return { kind: 'block', line, body };
}

/** Statements up to and including END. */
function parseUntilEnd(cursor: Cursor, parseStatement: ParseStatement): Statement[] {
  const body: Statement[] = [];
  for (;;) {
    if (cursor.acceptPunct(';')) continue;
    if (cursor.acceptWord('END')) return body;
    if (cursor.atEnd()) throw cursor.syntaxError();
    body.push(parseStatement(cursor));
  }
}

function optionalName(cursor: Cursor): string | undefined {
  const token = cursor.peek();
  if (token.kind === 'variable') return cursor.next().value;
  if (cursor.isIdentifier()) return cursor.identifier();
  return undefined;
}

export function parseTransactionEnd(cursor: Cursor, line: number): Statement {
  const word = cursor.next().value;
  if (word === 'SAVE') {
    cursor.expectWord('TRAN', 'TRANSACTION');
    const name = optionalName(cursor);
    if (!name) throw cursor.syntaxError();
    return { kind: 'save', line, name };
  }
  const explicit = cursor.acceptWord('TRAN', 'TRANSACTION', 'WORK');
  const name = explicit ? optionalName(cursor) : undefined;
  return word === 'COMMIT' ? { kind: 'commit', line, name } : { kind: 'rollback', line, name };
}

export function parseExec(cursor: Cursor, line: number): Statement {
  cursor.expectWord('EXEC', 'EXECUTE');
  if (cursor.isPunct('(')) {
    cursor.next();
    const expr = parseExpression(cursor);
    cursor.expectPunct(')');
    return { kind: 'execString', line, expr };
  }
  let returnVariable: string | undefined;
  if (cursor.peek().kind === 'variable' && cursor.peek(1).value === '=') {
    returnVariable = cursor.next().value;
    cursor.next();
  }
  const procedure = cursor.objectName();
  return { kind: 'exec', line, procedure, args: parseExecArguments(cursor), returnVariable };
}

export function parseExecArguments(cursor: Cursor): ExecArgument[] {
  const args: ExecArgument[] = [];
  if (!startsArgument(cursor)) return args;
  do {
    const arg: ExecArgument = { output: false, useDefault: false };
    if (cursor.peek().kind === 'variable' && cursor.peek(1).kind === 'operator' && cursor.peek(1).value === '=') {
      arg.name = cursor.next().value;
      cursor.next();
    }
    if (cursor.acceptWord('DEFAULT')) arg.useDefault = true;
    else if (isBareWord(cursor)) {
      // EXEC sp_help int / EXEC p [dbo.Orders]: a procedure argument may be an unquoted name, read as a string.
      const token = cursor.next();
      arg.expr = { kind: 'literal', value: token.value, type: { name: 'nvarchar', length: Math.max(1, token.value.length) } } as ExecArgument['expr'];
    } else arg.expr = parseExpression(cursor);
    if (cursor.acceptWord('OUTPUT', 'OUT')) arg.output = true;
    args.push(arg);
  } while (cursor.acceptPunct(','));
  return args;
}

function isBareWord(cursor: Cursor): boolean {
  const token = cursor.peek();
  const next = cursor.peek(1);
  const ends = next.kind === 'eof' || (next.kind === 'punct' && (next.value === ',' || next.value === ';')) || (next.kind === 'word' && STATEMENT_START.has(next.value.toUpperCase()))
    || (next.kind === 'word' && ['OUTPUT', 'OUT'].includes(next.value.toUpperCase()));
  if (!ends) return false;
  return token.kind === 'quoted' || (token.kind === 'word' && !RESERVED.has(token.value.toUpperCase()));
}

function startsArgument(cursor: Cursor): boolean {
  const token = cursor.peek();
  if (['variable', 'number', 'string', 'binary'].includes(token.kind)) return true;
  if ((token.kind === 'word' && !STATEMENT_START.has(token.value.toUpperCase()) && !RESERVED.has(token.value.toUpperCase())) || token.kind === 'quoted') return isBareWord(cursor);
  if (token.kind === 'operator' && (token.value === '-' || token.value === '+')) return true;
  return cursor.isWord('NULL', 'DEFAULT');
}

export function parseMessageStatement(cursor: Cursor, line: number): Statement {
  const word = cursor.next().value;
  if (word === 'PRINT') return { kind: 'print', line, expr: parseExpression(cursor) };
  if (word === 'THROW') {
    if (cursor.isPunct(';') || cursor.atEnd() || cursor.isWord('END')) return { kind: 'throw', line };
    const number = parseExpression(cursor);
    cursor.expectPunct(',');
    const message = parseExpression(cursor);
    cursor.expectPunct(',');
    return { kind: 'throw', line, number, message, state: parseExpression(cursor) };
  }
  cursor.expectPunct('(');
  const message = parseExpression(cursor);
  cursor.expectPunct(',');
  const severity = parseExpression(cursor);
  cursor.expectPunct(',');
  const state = parseExpression(cursor);
  const args = [];
  while (cursor.acceptPunct(',')) args.push(parseExpression(cursor));
  cursor.expectPunct(')');
  if (cursor.acceptWord('WITH')) {
    do cursor.identifier(true);
    while (cursor.acceptPunct(','));
  }
  return { kind: 'raiserror', line, message, severity, state, args };
}
