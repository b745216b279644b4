/**
 * INSERT [INTO] target [(columns)] EXEC procedure … / EXEC ('…'): the result sets the procedure or
 * dynamic batch produces go into the target instead of to the client (each must have the target's
 * column count: 213 otherwise). Messages, errors and DONE tokens still reach the client. The
 * stand-in runs the procedure first and inserts its rows afterwards, in a write of their own: a
 * failing insert does not undo what the procedure itself changed, where SQL Server runs both in
 * one statement.
 */
import type { Statement } from '../ast';
import { Executor } from './executor';
import type { ResultSink } from './result-sink';
import type { SqlType, StoredValue } from '../../sql-type';
import type { ResultColumn } from '../../protocol/tokens/col-metadata';
import { runExec, runExecString } from './run-procedure';
import { insertLiteralRows, literalRows } from './insert-literal-rows';
import { keepIdentity } from './run-write';
import { sqlErrors } from '../sql-error';

interface Captured {
  types: Array<SqlType | null>;
  rows: StoredValue[][];
}

/** A sink that keeps rows and passes the rest on; the procedure's return status stays with the INSERT. */
function capturingSink(outer: ResultSink, into: Captured[]): ResultSink {
  return {
    signal: outer.signal,
    columns: (columns: ResultColumn[]) => void into.push({ types: columns.map((c) => c.type), rows: [] }),
    row: (values) => void into[into.length - 1]?.rows.push(values),
    done: (info) => outer.done({ ...info, inProc: true }),
    error: (error) => outer.error(error),
    info: (number, message, procName, line) => outer.info(number, message, procName, line),
    returnStatus: () => undefined,
    returnValue: () => undefined,
    transactionChanged: (event, descriptor) => outer.transactionChanged(event, descriptor),
    databaseChanged: (newName, oldName) => outer.databaseChanged(newName, oldName),
  };
}

/** Runs the EXEC, then inserts every row it returned; the number of rows inserted. */
export async function insertFromExec(ex: Executor, statement: Statement & { kind: 'insert' }): Promise<number> {
  if (statement.source.kind !== 'exec') throw sqlErrors.internal('INSERT … EXEC without EXEC');
  const captured: Captured[] = [];
  const inner = new Executor(ex.session, capturingSink(ex.sink, captured));
  inner.inProc = true;
  inner.procName = ex.procName;
  const exec = statement.source.exec as Statement;
  if (exec.kind === 'execString') await runExecString(inner, exec);
  else await runExec(inner, exec as Statement & { kind: 'exec' });
  let count = 0;
  for (const set of captured) {
    if (statement.columns && set.types.length !== statement.columns.length) throw sqlErrors.insertColumnsMismatch();
    ex.session.pendingIdentity = null;
    const identityInsert = (table: string) => ex.session.options.identityInsert?.toLowerCase() === table.toLowerCase();
    count += await insertLiteralRows(ex, { ...statement, output: undefined }, literalRows(set.rows, set.types), identityInsert);
    keepIdentity(ex.session);
  }
  return count;
}
