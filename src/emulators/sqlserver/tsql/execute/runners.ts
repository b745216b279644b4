/**
 * The table from statement kinds to the functions that run them (the executor's dispatch).
 */
import type { Statement } from '../ast';
import type { Executor } from './executor';
import { runSelect } from './run-select';
import { runWrite } from './run-write';
import { runAlterTable, runCreateIndex, runCreateProcedure, runCreateTable, runCreateView, runDrop, runTruncate } from './run-ddl';
import {
  runBeginTransaction, runBlock, runBreak, runCommit, runContinue, runDeclare, runIf, runPrint, runRaiserror, runReturn, runRollback,
  runSave, runSetOption, runSetVariable, runThrow, runTryCatch, runUse, runWaitfor, runWhile,
} from './run-control';
import { runExec, runExecString } from './run-procedure';
import { runInsertBulk } from './bulk-insert';
import { runMerge } from './run-merge';
import { runCreateType } from './run-type-ddl';
import { runCreateTrigger, runEnableTrigger } from './run-trigger-ddl';

type Runner<K extends Statement['kind']> = (ex: Executor, statement: Statement & { kind: K }) => Promise<void>;

export const STATEMENT_RUNNERS: { [K in Statement['kind']]: Runner<K> } = {
  select: runSelect,
  insert: runWrite,
  update: runWrite,
  delete: runWrite,
  merge: runMerge,
  createTable: runCreateTable,
  createType: runCreateType,
  createTrigger: runCreateTrigger,
  enableTrigger: runEnableTrigger,
  alterTable: runAlterTable,
  createIndex: runCreateIndex,
  createView: runCreateView,
  createProcedure: runCreateProcedure,
  drop: runDrop,
  truncate: runTruncate,
  declare: runDeclare,
  setVariable: runSetVariable,
  setOption: runSetOption,
  if: runIf,
  while: runWhile,
  block: runBlock,
  tryCatch: runTryCatch,
  return: runReturn,
  break: runBreak,
  continue: runContinue,
  exec: runExec,
  execString: runExecString,
  beginTransaction: runBeginTransaction,
  commit: runCommit,
  rollback: runRollback,
  save: runSave,
  print: runPrint,
  throw: runThrow,
  raiserror: runRaiserror,
  use: runUse,
  waitfor: runWaitfor,
  insertBulk: runInsertBulk,
};
