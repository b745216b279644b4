/**
 * Procedural statements: DECLARE, SET (variables and options), IF, WHILE, BEGIN…END, TRY…CATCH,
 * RETURN, BREAK, CONTINUE, transactions, PRINT, THROW, RAISERROR, USE and WAITFOR DELAY.
 */
import type { Expr, Statement } from '../ast';
import { BreakSignal, CancelledError, ContinueSignal, Executor, ReturnSignal } from './executor';
import { isSqlError, SqlError, sqlErrors } from '../sql-error';
import { convertValue } from '../../engine/convert';
import { declareTableVariable, resolveDeclaredType } from './table-variables';
import { isolationLevelNumber, OPTION_BITS, setDateFirst, setDateFormat, setFlag, setLanguage } from '../../engine/session-options';
import { resolveTable } from '../translate/emit-dml';
import { parseTemporal, TICKS_PER_SECOND } from '../../temporal';
import { textOf } from '../../protocol/types/value-write';

type Of<K extends Statement['kind']> = Statement & { kind: K };

export async function runDeclare(ex: Executor, statement: Of<'declare'>): Promise<void> {
  for (const variable of statement.variables) {
    if (variable.table) {
      await declareTableVariable(ex, variable.name, { statement: variable.table }, variable);
      continue;
    }
    const { type: declared, tableType } = resolveDeclaredType(ex, variable.type);
    if (tableType) {
      await declareTableVariable(ex, variable.name, { tableType }, variable);
      continue;
    }
    const { slot } = ex.session.variables.declare(variable.name, declared, null, variable);
    if (variable.init) {
      const { value, type } = ex.evaluate(variable.init);
      slot.value = convertValue(value, type, declared, undefined, false, ex.session.dateSettings);
    }
  }
}

export async function runSetVariable(ex: Executor, statement: Of<'setVariable'>): Promise<void> {
  const expr: Expr = statement.op === '='
    ? statement.expr
    : { kind: 'binary', op: statement.op.slice(0, -1), left: { kind: 'variable', name: statement.name, line: statement.line }, right: statement.expr };
  const { value, type } = ex.evaluate(expr);
  ex.assign(statement.name, value, type);
}

/** Options accepted without an effect the stand-in could show (it has one isolation level, no plans). */
const IGNORED_OPTIONS = new Set(['STATISTICS', 'STATISTICS IO', 'STATISTICS TIME', 'NOEXEC',
  'SHOWPLAN_ALL', 'CONTEXT_INFO', 'ROWCOUNT', 'FMTONLY', 'NO_BROWSETABLE', 'QUERY_GOVERNOR_COST_LIMIT']);

/**
 * SET TEXTSIZE n: 0 restores the default, 4096. -1 (no limit) is what a TDS 7.3+ client sees as -1;
 * a TDS 7.2 or older client, which has no -1, sees 2147483647 (as tedious's own tests expect of SQL Server).
 */
function textSize(value: number, tdsVersion: number | undefined): number {
  if (value === 0) return 4096;
  if (value === -1 && tdsVersion !== undefined && tdsVersion < 0x73000000) return 2_147_483_647;
  return Math.trunc(value);
}

const NAMED_PRIORITIES: Record<string, number> = { LOW: -5, NORMAL: 0, HIGH: 5 };

function deadlockPriority(value: string): number {
  const priority = NAMED_PRIORITIES[value] ?? Number(value);
  if (!Number.isInteger(priority) || priority < -10 || priority > 10) throw sqlErrors.incorrectSyntax(value);
  return priority;
}

export async function runSetOption(ex: Executor, statement: Of<'setOption'>): Promise<void> {
  const options = ex.session.options;
  if (statement.option === 'IDENTITY_INSERT') {
    const table = resolveTable(ex.compiler(), statement.target!);
    if (!table.columns.some((c) => c.identity)) throw new SqlError(8106, `Table '${table.name}' does not have the identity property. Cannot perform SET operation.`);
    options.identityInsert = statement.value === 'ON' ? table.name : undefined;
    return;
  }
  if (statement.option === 'TRANSACTION ISOLATION LEVEL') {
    options.isolationLevel = isolationLevelNumber(statement.value);
    return;
  }
  for (const option of statement.option.split(',')) {
    const on = statement.value === 'ON';
    switch (option) {
      case 'LOCK_TIMEOUT': options.lockTimeout = Number(statement.value); break;
      case 'DEADLOCK_PRIORITY': options.deadlockPriority = deadlockPriority(statement.value); break;
      case 'TEXTSIZE': options.textSize = textSize(Number(statement.value), ex.session.identityInfo.tdsVersion); break;
      case 'FMTONLY': options.fmtOnly = on; break;
      case 'ROWCOUNT': if (statement.value !== '0') throw sqlErrors.notSupported('SET ROWCOUNT'); break;
      case 'DATEFORMAT': setDateFormat(options, statement.value); break;
      case 'DATEFIRST': setDateFirst(options, statement.value); break;
      case 'LANGUAGE': {
        const before = options.language.name;
        const language = setLanguage(options, statement.value);
        ex.sink.languageChanged?.(language.name, before);
        ex.sink.info(5703, `Changed language setting to ${language.name}.`, ex.procName, statement.line);
        break;
      }
      default:
        if (statement.value !== 'ON' && statement.value !== 'OFF' && OPTION_BITS[option] !== undefined) throw new SqlError(102, `Incorrect syntax near '${statement.value}'.`, 15, 1);
        if (setFlag(options, option, on)) break;
        if (!IGNORED_OPTIONS.has(option)) throw new SqlError(195, `'${option}' is not a recognized SET option.`, 15, 5);
    }
  }
}

export async function runIf(ex: Executor, statement: Of<'if'>): Promise<void> {
  if (ex.condition(statement.condition)) await ex.runStatement(statement.then);
  else if (statement.otherwise) await ex.runStatement(statement.otherwise);
}

export async function runWhile(ex: Executor, statement: Of<'while'>): Promise<void> {
  while (ex.condition(statement.condition)) {
    ex.checkCancelled();
    try {
      await ex.runStatement(statement.body);
    } catch (error) {
      if (error instanceof BreakSignal) return;
      if (error instanceof ContinueSignal) continue;
      throw error;
    }
    // Let other sessions run between iterations of a long loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function runBlock(ex: Executor, statement: Of<'block'>): Promise<void> {
  await ex.runStatements(statement.body);
}

export async function runTryCatch(ex: Executor, statement: Of<'tryCatch'>): Promise<void> {
  ex.tryDepth++;
  let caught: SqlError | undefined;
  try {
    await ex.runStatements(statement.body);
  } catch (error) {
    if (!isSqlError(error)) throw error;
    caught = error;
  } finally {
    ex.tryDepth--;
  }
  if (!caught) return;
  const previous = ex.session.caught;
  ex.session.caught = caught;
  try {
    await ex.runStatements(statement.handler);
  } finally {
    ex.session.caught = previous;
  }
}

export async function runReturn(ex: Executor, statement: Of<'return'>): Promise<void> {
  const value = statement.expr ? ex.evaluate(statement.expr) : { value: 0, type: null };
  throw new ReturnSignal(value.value === null ? 0 : Number(convertValue(value.value, value.type, { name: 'int' })));
}

export async function runBreak(): Promise<void> {
  throw new BreakSignal();
}

export async function runContinue(): Promise<void> {
  throw new ContinueSignal();
}

export async function runBeginTransaction(ex: Executor): Promise<void> {
  const descriptor = ex.session.begin();
  if (descriptor) ex.sink.transactionChanged('begin', descriptor);
}

export async function runCommit(ex: Executor): Promise<void> {
  const ended = ex.session.commit();
  if (ended) ex.sink.transactionChanged('commit', ended);
}

export async function runRollback(ex: Executor, statement: Of<'rollback'>): Promise<void> {
  const trigger = ex.session.triggerFrames[ex.session.triggerFrames.length - 1];
  if (trigger && !statement.name) {
    // ROLLBACK in a trigger ends the transaction of the statement that fired it: the stand-in
    // undoes it all when the trigger returns (error 3609 then ends the batch).
    trigger.rolledBack = true;
    return;
  }
  if (statement.name && ex.session.tranCount > 0 && ex.session.inWriteTransaction) {
    try {
      ex.session.rollbackTo(statement.name);
      return;
    } catch {
      // Not a savepoint: the name is the transaction's, and the whole transaction rolls back.
    }
  }
  const ended = ex.session.rollback();
  if (ended) ex.sink.transactionChanged('rollback', ended);
}

export async function runSave(ex: Executor, statement: Of<'save'>): Promise<void> {
  if (ex.session.tranCount === 0) throw new SqlError(628, 'Cannot issue SAVE TRANSACTION when there is no active transaction.');
  await ex.session.savepoint(statement.name, ex.signal);
}

export async function runPrint(ex: Executor, statement: Of<'print'>): Promise<void> {
  const { value } = ex.evaluate(statement.expr);
  ex.sink.info(0, value === null ? '' : textOf(value), ex.procName, statement.line);
}

export async function runThrow(ex: Executor, statement: Of<'throw'>): Promise<void> {
  if (!statement.number) {
    if (!ex.session.caught) throw new SqlError(10704, 'To rethrow an error, a THROW statement must be used inside a CATCH block.', 15);
    throw ex.session.caught;
  }
  const number = Number(ex.evaluate(statement.number).value);
  const message = textOf(ex.evaluate(statement.message!).value ?? '');
  const state = Number(ex.evaluate(statement.state!).value);
  if (number < 50000) throw new SqlError(35100, `Error number ${number} in the THROW statement is outside the valid range. Specify an error number in the valid range of 50000 to 2147483647.`);
  throw new SqlError(number, message, 16, state, 'batch');
}

export async function runRaiserror(ex: Executor, statement: Of<'raiserror'>): Promise<void> {
  const template = ex.evaluate(statement.message).value;
  const severity = Number(ex.evaluate(statement.severity).value);
  const state = Number(ex.evaluate(statement.state).value);
  const args = statement.args.map((arg) => ex.evaluate(arg).value);
  const number = typeof template === 'number' || typeof template === 'bigint' ? Number(template) : 50000;
  const message = typeof template === 'string' ? formatMessage(template, args) : `Error ${number}`;
  if (severity <= 10) {
    ex.sink.info(number, message, ex.procName, statement.line);
    return;
  }
  // RAISERROR ends only its own statement; the batch continues (unless inside TRY).
  throw new SqlError(number, message, Math.min(severity, 18), state, 'statement');
}

/** printf-style substitution of RAISERROR: %s, %d, %i, %u, %x with optional width. */
function formatMessage(template: string, args: unknown[]): string {
  let index = 0;
  return template.replace(/%(-?\d*)(\.\d+)?(?:l|h|I64)?([sdiuxXo%])/g, (match, _width, _precision, kind) => {
    if (kind === '%') return '%';
    const value = args[index++];
    if (value === undefined) return '(null)';
    if (kind === 'x' || kind === 'X') return Number(value).toString(16)[kind === 'X' ? 'toUpperCase' : 'toLowerCase']();
    return value === null ? '(null)' : String(value);
  });
}

export async function runUse(ex: Executor, statement: Of<'use'>): Promise<void> {
  if (statement.database.toLowerCase() !== ex.session.server.databaseName.toLowerCase()) throw sqlErrors.databaseNotFound(statement.database);
  const previous = ex.session.database;
  ex.session.database = ex.session.server.databaseName;
  ex.sink.databaseChanged(ex.session.database, previous);
  ex.sink.info(5701, `Changed database context to '${ex.session.database}'.`, '', statement.line);
}

export async function runWaitfor(ex: Executor, statement: Of<'waitfor'>): Promise<void> {
  const { value } = ex.evaluate(statement.delay);
  const parts = typeof value === 'string' ? parseTemporal(value) : undefined;
  if (!parts) throw new SqlError(148, `Incorrect time syntax in time string '${String(value)}' used with WAITFOR.`, 15);
  const ms = Math.round(parts.time / (TICKS_PER_SECOND / 1000));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { ex.signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new CancelledError()); };
    ex.signal.addEventListener('abort', onAbort, { once: true });
  });
}
