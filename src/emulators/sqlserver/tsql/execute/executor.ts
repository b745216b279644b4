/**
 * Runs parsed T-SQL for one session, statement by statement, as SQL Server does: a syntax error
 * stops the batch before anything runs; a constraint violation ends only its statement and the
 * batch goes on; most other errors end the batch; inside TRY they jump to CATCH; XACT_ABORT ON
 * turns every error into a rollback. Each statement kind has its runner; this file holds the
 * loop, the error rules and expression evaluation.
 */
import type { Expr, Statement } from '../ast';
import { parseBatch } from '../parser/parser';
import { isSqlError, SqlError, sqlErrors } from '../sql-error';
import type { ResultSink } from './result-sink';
import type { SqlSession } from '../../engine/sql-session';
import { toSqlError, StatementKind } from '../../engine/error-map';
import { ParameterList } from '../translate/context';
import { QueryCompiler } from '../translate/emit-query';
import { Scope } from '../translate/scope';
import { emitExpression } from '../translate/emit-expression';
import { convertValue, inferType } from '../../engine/convert';
import type { SqlType, StoredValue } from '../../sql-type';
import { STATEMENT_RUNNERS } from './runners';
import { OPTION_BITS } from '../../engine/session-options';
import { raisedInTrigger } from './trigger-errors';

/** RETURN, BREAK and CONTINUE unwind the statement loop as these. */
export class ReturnSignal {
  constructor(readonly value: number) {}
}
export class BreakSignal {}
export class ContinueSignal {}

/** The client cancelled (ATTENTION) or went away. */
export class CancelledError extends Error {
  constructor() {
    super('The request was cancelled.');
    this.name = 'CancelledError';
  }
}

const IMPLICIT_TRANSACTION_KINDS = new Set<Statement['kind']>(['alterTable', 'createIndex', 'createProcedure', 'createTable', 'createView', 'createType', 'createTrigger', 'enableTrigger',
  'delete', 'drop', 'insert', 'insertBulk', 'merge', 'truncate', 'update', 'beginTransaction']);

/** Errors after which SQL Server adds "The statement has been terminated." */
const TERMINATING = new Set([2627, 2601, 547, 515, 2628, 544, 273]);

/** A batch-ending error already reported to the client. */
class BatchAborted extends Error {}

export class Executor {
  /** Inside a procedure or sp_executesql: statements end with DONEINPROC. */
  inProc = false;
  procName = '';
  tryDepth = 0;
  hadError = false;

  constructor(readonly session: SqlSession, readonly sink: ResultSink) {}

  get signal(): AbortSignal {
    return this.sink.signal;
  }

  checkCancelled(): void {
    if (this.sink.signal.aborted) throw new CancelledError();
  }

  /** Parses and runs a batch; syntax errors are reported and nothing runs. */
  async runBatch(text: string): Promise<void> {
    // Variables live for one batch.
    this.session.variables.clear();
    let statements: Statement[];
    try {
      statements = parseBatch(text);
    } catch (error) {
      this.report(toSqlError(error, 'OTHER', this.session.database));
      return;
    }
    await this.runTopLevel(statements);
  }

  /** Runs statements as one batch: stops at a batch-ending error, which is already reported. */
  async runTopLevel(statements: Statement[]): Promise<void> {
    this.session.scopeIdentity = null;
    await this.guard(() => this.runStatements(statements));
  }

  /** Runs `work` as a request: errors that end the batch are reported here and end it quietly. */
  async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof BatchAborted || error instanceof ReturnSignal) return;
      if (error instanceof BreakSignal || error instanceof ContinueSignal) return;
      if (isSqlError(error)) {
        this.report(error);
        return;
      }
      throw error;
    }
  }

  async runStatements(statements: Statement[]): Promise<void> {
    for (const statement of statements) {
      this.checkCancelled();
      await this.runStatement(statement);
    }
  }

  async runStatement(statement: Statement): Promise<void> {
    try {
      this.beginImplicitTransaction(statement);
      const runner = STATEMENT_RUNNERS[statement.kind] as (ex: Executor, s: Statement) => Promise<void>;
      await runner(this, statement);
    } catch (error) {
      if (error instanceof ReturnSignal || error instanceof BreakSignal || error instanceof ContinueSignal) throw error;
      if (error instanceof CancelledError || error instanceof BatchAborted) throw error;
      if (this.signal.aborted) throw new CancelledError();
      const sqlError = this.locate(toSqlError(error, statementKind(statement), this.session.database), statement.line);
      this.session.lastError = sqlError.number;
      if (sqlError.number === 1205 && this.session.tranCount > 0) {
        // A deadlock victim's transaction is rolled back at once, inside TRY too (as SQL Server does).
        const ended = this.session.rollback();
        if (ended) this.sink.transactionChanged('rollback', ended);
      }
      if (this.tryDepth > 0) throw sqlError;
      this.report(sqlError);
      // SQL Server follows a violated constraint with message 3621 (severity 0).
      if (sqlError.scope === 'statement' && TERMINATING.has(sqlError.number)) this.sink.info(3621, 'The statement has been terminated.', this.procName, statement.line);
      this.sink.done({ inProc: this.inProc, error: true, command: 0 });
      // A trigger runs with XACT_ABORT ON: its error rolls the transaction back and ends the batch.
      const fromTrigger = raisedInTrigger(sqlError);
      if ((this.session.options.xactAbort || fromTrigger) && this.session.tranCount > 0) {
        const ended = this.session.rollback();
        if (ended) this.sink.transactionChanged('rollback', ended);
        throw new BatchAborted();
      }
      if (sqlError.scope === 'batch' || fromTrigger) throw new BatchAborted();
    }
  }

  /**
   * SET IMPLICIT_TRANSACTIONS ON: with no transaction open, the statements SQL Server lists
   * (ALTER TABLE, CREATE, DELETE, DROP, INSERT, SELECT from a table, TRUNCATE, UPDATE, MERGE,
   * BEGIN TRANSACTION) first open one, which stays open until COMMIT or ROLLBACK.
   */
  private beginImplicitTransaction(statement: Statement): void {
    if (!(this.session.options.flags & OPTION_BITS.IMPLICIT_TRANSACTIONS) || this.session.tranCount > 0) return;
    const selectsFromTable = statement.kind === 'select' && statement.query.body.kind === 'select' && statement.query.body.from.length > 0;
    if (!IMPLICIT_TRANSACTION_KINDS.has(statement.kind) && !selectsFromTable) return;
    const descriptor = this.session.begin();
    if (descriptor) this.sink.transactionChanged('begin', descriptor);
  }

  locate(error: SqlError, line: number): SqlError {
    if (!error.located) error.at(line, this.procName);
    else if (!error.procName && this.procName) error.procName = this.procName;
    return error;
  }

  report(error: SqlError): void {
    this.hadError = true;
    this.sink.error(error);
    for (const next of error.followedBy) this.sink.error(next);
  }

  /** A new compiler over the session's current catalog and variables. */
  compiler(): QueryCompiler {
    return new QueryCompiler(this.session.translation(), new ParameterList());
  }

  /** Evaluates a scalar expression (SET, DECLARE, IF, RETURN, EXEC arguments) with its type. */
  evaluate(expr: Expr): { value: StoredValue; type: SqlType | null } {
    if (expr.kind === 'literal') return { value: expr.value, type: expr.type };
    if (expr.kind === 'variable') {
      const slot = this.session.variables.get(expr.name);
      if (!slot) throw sqlErrors.mustDeclareVariable(expr.name);
      return { value: slot.value, type: slot.type };
    }
    const compiler = this.compiler();
    const typed = emitExpression(expr, compiler.expressionContext(new Scope([])));
    const { statement, values } = this.session.bind(`SELECT ${typed.sql}`, compiler.params);
    const row = statement.get(...values) as StoredValue[] | undefined;
    return { value: row ? row[0] : null, type: typed.type };
  }

  /** Evaluates a condition (IF, WHILE) to true only when it holds (NULL is not true). */
  condition(expr: Expr): boolean {
    const compiler = this.compiler();
    const typed = emitExpression(expr, compiler.expressionContext(new Scope([])));
    const { statement, values } = this.session.bind(`SELECT CASE WHEN ${typed.sql} THEN 1 ELSE 0 END`, compiler.params);
    const row = statement.get(...values) as StoredValue[];
    return Number(row[0]) === 1;
  }

  /** Stores a value into a variable, converted to the variable's type. */
  assign(name: string, value: StoredValue, from: SqlType | null): void {
    const slot = this.session.variables.get(name);
    if (!slot) throw sqlErrors.mustDeclareVariable(name);
    slot.value = convertValue(value, from ?? (value === null ? null : inferType(value)), slot.type, undefined, false, this.session.dateSettings);
  }
}

export function statementKind(statement: Statement): StatementKind {
  switch (statement.kind) {
    case 'insert': case 'insertBulk': return 'INSERT';
    case 'update': return 'UPDATE';
    case 'delete': return 'DELETE';
    case 'merge': return 'MERGE';
    case 'select': return 'SELECT';
    default: return 'OTHER';
  }
}
