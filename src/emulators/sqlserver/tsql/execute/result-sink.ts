/**
 * Where execution sends what a client sees: result sets and rows, DONE markers, messages,
 * procedure return status and output parameters, transaction changes. The TDS session writes
 * them as tokens; `row` returns a promise while the client is not reading, and the executor
 * waits on it before producing the next row (back-pressure).
 */
import type { ResultColumn } from '../../protocol/tokens/col-metadata';
import type { SqlType, StoredValue } from '../../sql-type';
import type { SqlError } from '../sql-error';

export interface DoneInfo {
  /** Inside a procedure (DONEINPROC) or a batch (DONE). */
  inProc: boolean;
  rowCount?: number;
  error?: boolean;
  command: number;
}

export interface ResultSink {
  /** Aborted when the client sends ATTENTION or goes away. */
  readonly signal: AbortSignal;
  columns(columns: ResultColumn[]): void;
  row(values: StoredValue[]): Promise<void> | undefined;
  done(info: DoneInfo): void;
  error(error: SqlError): void;
  info(number: number, message: string, procName: string, line: number): void;
  returnStatus(value: number): void;
  returnValue(value: { ordinal: number; name: string; type: SqlType; value: StoredValue }): void;
  transactionChanged(event: 'begin' | 'commit' | 'rollback', descriptor: Buffer): void;
  databaseChanged(newName: string, oldName: string): void;
  /** SET LANGUAGE changed the session's language (ENVCHANGE type 2). */
  languageChanged?(newName: string, oldName: string): void;
}
