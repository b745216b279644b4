/**
 * The T-SQL parser's entry point: a batch becomes a list of statements. Statements need no
 * semicolons (tedious's own session set-up batch has none), so each statement ends where the
 * grammar says and the next must begin with a statement keyword; anything else is SQL Server's
 * error 102. CREATE PROCEDURE and CREATE VIEW must open their batch and run to its end.
 */
import { tokenize } from '../lexer';
import type { Statement } from '../ast';
import { Cursor } from './cursor';
import { parseQuery } from './parse-query';
import { parseExpression } from './parse-expression';
import { parseDelete, parseInsert, parseMerge, parseUpdate } from './parse-dml';
import { parseAlterTable, parseCreate, parseCreateBody, parseDrop } from './parse-ddl';
import { parseBegin, parseDeclare, parseExec, parseExecArguments, parseIf, parseMessageStatement, parseSet, parseTransactionEnd, parseWhile } from './parse-procedural';
import { sqlErrors } from '../sql-error';
import { STATEMENT_START } from './reserved-words';
import { parseEnableTrigger } from './parse-type-trigger';

export function parseBatch(text: string): Statement[] {
  const cursor = new Cursor(tokenize(text), text);
  return parseStatements(cursor, true);
}

function parseStatements(cursor: Cursor, batchLevel: boolean): Statement[] {
  const statements: Statement[] = [];
  while (!cursor.atEnd()) {
    if (cursor.acceptPunct(';')) continue;
    if (batchLevel && statements.length === 0 && isBareProcedureCall(cursor)) {
      const line = cursor.peek().line;
      statements.push({ kind: 'exec', line, procedure: cursor.objectName(), args: parseExecArguments(cursor) });
      continue;
    }
    const statement = parseStatement(cursor);
    if ((statement.kind === 'createProcedure' || statement.kind === 'createView' || statement.kind === 'createTrigger') && statements.length > 0) {
      const what = { createProcedure: 'CREATE/ALTER PROCEDURE', createView: 'CREATE VIEW', createTrigger: 'CREATE TRIGGER' }[statement.kind];
      throw sqlErrors.mustBeFirstInBatch(what).at(statement.line);
    }
    statements.push(statement);
  }
  return statements;
}

/** A batch may start with a procedure name alone: `dbo.GetCustomers 5` means EXEC. */
function isBareProcedureCall(cursor: Cursor): boolean {
  const token = cursor.peek();
  if (token.kind === 'word' && STATEMENT_START.has(token.value)) return false;
  if (cursor.isWord('ENABLE', 'DISABLE') && cursor.isWordAt(1, 'TRIGGER')) return false;
  return cursor.isIdentifier();
}

export function parseStatement(cursor: Cursor): Statement {
  const token = cursor.peek();
  const line = token.line;
  if (token.kind === 'punct' && token.value === '(') return { kind: 'select', line, query: parseQuery(cursor) };
  if (token.kind !== 'word') throw cursor.syntaxError();
  switch (token.value) {
    case 'SELECT': case 'WITH': return parseSelectOrCte(cursor, line);
    case 'INSERT': return parseInsert(cursor, line);
    case 'UPDATE': return parseUpdate(cursor, line);
    case 'DELETE': return parseDelete(cursor, line);
    case 'MERGE': return parseMerge(cursor, line);
    case 'CREATE': return parseCreate(cursor, line, (c) => parseStatements(c, false));
    case 'ALTER': return parseAlter(cursor, line);
    case 'DROP': return parseDrop(cursor, line);
    case 'TRUNCATE':
      cursor.next();
      cursor.expectWord('TABLE');
      return { kind: 'truncate', line, table: cursor.objectName() };
    case 'DECLARE': return parseDeclare(cursor, line);
    case 'SET': return parseSet(cursor, line);
    case 'IF': return parseIf(cursor, line, parseStatement);
    case 'WHILE': return parseWhile(cursor, line, parseStatement);
    case 'BEGIN': return parseBegin(cursor, line, parseStatement);
    case 'RETURN': return parseReturn(cursor, line);
    case 'BREAK': cursor.next(); return { kind: 'break', line };
    case 'CONTINUE': cursor.next(); return { kind: 'continue', line };
    case 'EXEC': case 'EXECUTE': return parseExec(cursor, line);
    case 'COMMIT': case 'ROLLBACK': case 'SAVE': return parseTransactionEnd(cursor, line);
    case 'PRINT': case 'THROW': case 'RAISERROR': return parseMessageStatement(cursor, line);
    case 'USE': cursor.next(); return { kind: 'use', line, database: cursor.identifier(true) };
    case 'WAITFOR': return parseWaitfor(cursor, line);
    case 'ENABLE': case 'DISABLE':
      if (cursor.isWordAt(1, 'TRIGGER')) return parseEnableTrigger(cursor, line);
      throw cursor.syntaxError();
    default: throw cursor.syntaxError();
  }
}

function parseSelectOrCte(cursor: Cursor, line: number): Statement {
  const query = parseQuery(cursor);
  if (query.ctes.length > 0 && cursor.isWord('INSERT', 'UPDATE', 'DELETE', 'MERGE')) {
    throw sqlErrors.notSupported('common table expressions before INSERT, UPDATE, DELETE or MERGE').at(line);
  }
  return { kind: 'select', line, query };
}

function parseAlter(cursor: Cursor, line: number): Statement {
  const start = cursor.position;
  cursor.expectWord('ALTER');
  if (cursor.acceptWord('TABLE')) return parseAlterTable(cursor, line);
  if (cursor.isWord('PROC', 'PROCEDURE', 'VIEW', 'TRIGGER')) return parseCreateBody(cursor, line, start, true, (c) => parseStatements(c, false));
  throw sqlErrors.notSupported(`ALTER ${cursor.peek().text.toUpperCase()}`).at(line);
}

function parseReturn(cursor: Cursor, line: number): Statement {
  cursor.expectWord('RETURN');
  const token = cursor.peek();
  const startsValue = ['variable', 'number', 'sysvar', 'string'].includes(token.kind) || (token.kind === 'punct' && token.value === '(')
    || (token.kind === 'operator' && token.value === '-')
    || (token.kind === 'word' && !STATEMENT_START.has(token.value) && token.value !== 'END' && token.value !== 'ELSE');
  if (!startsValue) return { kind: 'return', line };
  return { kind: 'return', line, expr: parseExpression(cursor) };
}

function parseWaitfor(cursor: Cursor, line: number): Statement {
  cursor.expectWord('WAITFOR');
  cursor.expectWord('DELAY');
  return { kind: 'waitfor', line, delay: parseExpression(cursor) };
}
