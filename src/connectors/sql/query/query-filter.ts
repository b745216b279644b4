/**
 * The allow-list in front of POST /query. node-sql-parser (T-SQL) is a filter here, not the
 * security boundary — the SQL login's own permissions are (README). A statement passes only if:
 * it scans cleanly (no comments, no double-quoted names, no forbidden word), parses, is exactly
 * one SELECT / INSERT / UPDATE / DELETE over allowed tables, or one EXEC of an allowed procedure,
 * and calls no user-defined or row-set function.
 */
import { Parser } from 'node-sql-parser';
import { ProcedureInfo, TableInfo } from '../catalog/model';
import { sqlErrors, truncate } from '../errors';
import { scanSql } from './sql-scan';

export interface QueryAllowList {
  /** The allowed tables and procedures… */
  tables: TableInfo[];
  procedures: ProcedureInfo[];
  /** …and every one in the database: an unqualified name passes only if no disallowed namesake exists. */
  allTables: TableInfo[];
  allProcedures: ProcedureInfo[];
}

export type QueryKind = 'select' | 'insert' | 'update' | 'delete' | 'exec';

export const MAX_QUERY_LENGTH = 65_536;

/** Words that never appear in an allowed statement outside a string literal or [brackets]. */
const FORBIDDEN_WORDS = new Set([
  'openrowset', 'openquery', 'opendatasource', 'openxml', 'grant', 'deny', 'revoke', 'create', 'alter', 'drop',
  'truncate', 'dbcc', 'backup', 'restore', 'shutdown', 'reconfigure', 'kill', 'use', 'bulk', 'waitfor', 'merge',
  'begin', 'commit', 'rollback', 'save', 'declare', 'set', 'go', 'setuser', 'checkpoint', 'readtext', 'writetext',
  'updatetext',
]);
const ALLOWED_TYPES = new Set<string>(['select', 'insert', 'update', 'delete', 'exec']);
const ROWSET_FUNCTIONS = new Set(['openrowset', 'openquery', 'opendatasource', 'openxml']);

const parser = new Parser();

/** Returns the statement's kind, or throws QueryNotAllowed with the reason. */
export function checkQuery(text: unknown, allow: QueryAllowList): QueryKind {
  if (typeof text !== 'string' || text.trim() === '') throw sqlErrors.badBody('query must be a non-empty string.');
  if (text.length > MAX_QUERY_LENGTH) throw sqlErrors.queryNotAllowed(`it is longer than ${MAX_QUERY_LENGTH} characters.`);
  checkWords(text);
  const ast = parse(text);
  const kind = String(ast.type ?? '');
  if (!ALLOWED_TYPES.has(kind)) throw sqlErrors.queryNotAllowed(`${kind ? kind.toUpperCase() : 'this kind of'} statement is not allowed; only SELECT, INSERT, UPDATE, DELETE and EXEC of an allowed procedure.`);
  if (kind === 'exec') {
    checkExec(ast, allow);
    return 'exec';
  }
  if ((ast.into as { position?: unknown } | undefined)?.position) throw sqlErrors.queryNotAllowed('SELECT … INTO creates a table and is not allowed.');
  walk(ast);
  checkTables(parser.tableList(text, { database: 'TransactSQL' }), allow);
  return kind as QueryKind;
}

function checkWords(text: string): void {
  const scan = scanSql(text);
  if (scan.unterminated) throw sqlErrors.queryNotAllowed('a string or [name] is not closed.');
  if (scan.hasComment) throw sqlErrors.queryNotAllowed('comments are not allowed.');
  if (scan.hasDoubleQuote) throw sqlErrors.queryNotAllowed('double-quoted names are not allowed; use [brackets].');
  if (scan.semicolons > 1 || (scan.semicolons === 1 && scan.textAfterLastSemicolon.trim() !== '')) {
    throw sqlErrors.queryNotAllowed('only one statement is allowed.');
  }
  const words = scan.words.map((w) => w.toLowerCase());
  words.forEach((word, index) => {
    // "SET" belongs to UPDATE … SET; anywhere else it starts a statement of its own.
    if (word === 'set' && words.slice(0, index).includes('update')) return;
    if (FORBIDDEN_WORDS.has(word)) throw sqlErrors.queryNotAllowed(`${word.toUpperCase()} is not allowed.`);
    if ((word === 'exec' || word === 'execute') && index !== 0) throw sqlErrors.queryNotAllowed('EXEC is allowed only as the whole statement.');
  });
  for (const name of [...words, ...scan.bracketed.map((b) => b.toLowerCase())]) {
    if (/^(xp|sp)_/.test(name) || /\.(xp|sp)_/.test(name)) throw sqlErrors.queryNotAllowed(`system procedures (${truncate(name, 32)}) are not allowed.`);
  }
}

function parse(text: string): Record<string, unknown> {
  let ast: unknown;
  try {
    ast = parser.astify(text, { database: 'TransactSQL' });
  } catch {
    throw sqlErrors.queryNotAllowed('it cannot be parsed as one T-SQL statement the connector understands.');
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter((s) => s !== null && s !== undefined);
  if (statements.length !== 1) throw sqlErrors.queryNotAllowed('only one statement is allowed.');
  return statements[0] as Record<string, unknown>;
}

function checkExec(ast: Record<string, unknown>, allow: QueryAllowList): void {
  const module = ast.module as { db?: string | null; table?: string } | null | undefined;
  if (!module?.table) throw sqlErrors.queryNotAllowed('EXEC must name a procedure (dynamic SQL is not allowed).');
  if (!isAllowed(module.db ?? undefined, module.table, allow.procedures, allow.allProcedures)) {
    throw sqlErrors.queryNotAllowed(`procedure '${truncate(module.table)}' is not in this connector's procedures.`);
  }
}

/**
 * A qualified name must be an allowed object; an unqualified one resolves through the login's
 * default schema, which the connector cannot know, so every namesake in any schema must be allowed.
 */
function isAllowed(schema: string | undefined, name: string, allowed: Array<{ schema: string; name: string }>, all: Array<{ schema: string; name: string }>): boolean {
  const same = (o: { schema: string; name: string }) =>
    o.name.toLowerCase() === name.toLowerCase() && (schema === undefined || o.schema.toLowerCase() === schema.toLowerCase());
  const permitted = allowed.filter(same);
  if (permitted.length === 0) return false;
  return schema !== undefined || all.filter(same).length === permitted.length;
}

/** Refuses user-defined functions (they can read any table) and row-set functions anywhere in the tree. */
function walk(node: unknown, depth = 0): void {
  if (depth > 200) throw sqlErrors.queryNotAllowed('it nests too deeply.');
  if (Array.isArray(node)) {
    for (const item of node) walk(item, depth + 1);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.type === 'function') {
    const name = record.name as { name?: Array<{ value?: string }>; schema?: unknown } | undefined;
    const parts = name?.name ?? [];
    const last = String(parts[parts.length - 1]?.value ?? '').toLowerCase();
    if (name?.schema || parts.length > 1) throw sqlErrors.queryNotAllowed('user-defined functions are not allowed.');
    if (ROWSET_FUNCTIONS.has(last)) throw sqlErrors.queryNotAllowed(`${last.toUpperCase()} is not allowed.`);
  }
  if (Array.isArray(record.from)) {
    for (const item of record.from as Array<Record<string, unknown>>) {
      const expr = item?.expr as Record<string, unknown> | undefined;
      if (item?.type === 'expr' && expr?.type === 'function') throw sqlErrors.queryNotAllowed('table-valued functions are not allowed in FROM.');
    }
  }
  for (const value of Object.values(record)) walk(value, depth + 1);
}

/** Every table the statement names must be an allowed table of this database. */
function checkTables(tableList: string[], allow: QueryAllowList): void {
  for (const entry of tableList) {
    const [, schemaPart, name] = entry.split('::');
    const schema = schemaPart === 'null' ? undefined : schemaPart;
    if (schema !== undefined && schema.includes('.')) throw sqlErrors.queryNotAllowed('names in other databases or servers are not allowed.');
    if (!isAllowed(schema, name, allow.tables, allow.allTables)) {
      throw sqlErrors.queryNotAllowed(`table '${truncate(name)}' is not one of this connector's tables.`);
    }
  }
}
