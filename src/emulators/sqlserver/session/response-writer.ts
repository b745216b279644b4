/**
 * Writes one response message (MS-TDS 2.2.4, tabular result) as execution produces it: each
 * ResultSink call becomes a token (COLMETADATA, ROW, DONE…, ERROR/INFO, RETURNSTATUS,
 * RETURNVALUE, ENVCHANGE). `row` hands back the socket's back-pressure as a promise.
 */
import { MessageWriter } from '../protocol/message-writer';
import { PacketType } from '../protocol/packet';
import { writeColMetadata, ResultColumn } from '../protocol/tokens/col-metadata';
import { writeRow } from '../protocol/tokens/row';
import { DoneKind, DoneStatus, writeDone } from '../protocol/tokens/done';
import { writeServerMessage } from '../protocol/tokens/info-error';
import { writeReturnStatus } from '../protocol/tokens/return-status';
import { writeReturnValue } from '../protocol/tokens/return-value';
import { EnvChangeType, writeBinaryEnvChange, writeTextEnvChange } from '../protocol/tokens/env-change';
import type { DoneInfo, ResultSink } from '../tsql/execute/result-sink';
import type { SqlError } from '../tsql/sql-error';
import type { SqlType, StoredValue } from '../sql-type';

export class ResponseWriter implements ResultSink {
  private readonly controller = new AbortController();
  private columnsOfRows: ResultColumn[] = [];

  constructor(private readonly writer: MessageWriter, private readonly serverName: string, private readonly onRow: () => void = () => undefined) {
    writer.begin(PacketType.TabularResult);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error(reason));
  }

  columns(columns: ResultColumn[]): void {
    this.columnsOfRows = columns;
    this.writer.write(writeColMetadata(columns));
  }

  row(values: StoredValue[]): Promise<void> | undefined {
    this.writer.write(writeRow(this.columnsOfRows, values));
    this.onRow();
    if (!this.writer.needsDrain) return undefined;
    if (this.signal.aborted) return undefined;
    return new Promise<void>((resolve) => {
      const finish = () => {
        this.signal.removeEventListener('abort', finish);
        resolve();
      };
      this.signal.addEventListener('abort', finish, { once: true });
      void this.writer.drained().then(finish);
    });
  }

  done(info: DoneInfo): void {
    let status: number = DoneStatus.More;
    if (info.rowCount !== undefined) status |= DoneStatus.Count;
    if (info.error) status |= DoneStatus.Error;
    this.writer.write(writeDone({ kind: info.inProc ? 'doneInProc' : 'done', status, command: info.command, rowCount: BigInt(info.rowCount ?? 0) }));
  }

  error(error: SqlError): void {
    this.writer.write(writeServerMessage({
      number: error.number, state: error.state, severity: Math.max(11, error.severity), message: error.message,
      serverName: this.serverName, procName: error.procName, lineNumber: error.lineNumber,
    }));
  }

  info(number: number, message: string, procName: string, line: number): void {
    this.writer.write(writeServerMessage({ number, state: 1, severity: 0, message, serverName: this.serverName, procName, lineNumber: line }));
  }

  returnStatus(value: number): void {
    this.writer.write(writeReturnStatus(value));
  }

  returnValue(value: { ordinal: number; name: string; type: SqlType; value: StoredValue }): void {
    this.writer.write(writeReturnValue({ ...value, name: value.name.startsWith('@') ? value.name : `@${value.name}` }));
  }

  transactionChanged(event: 'begin' | 'commit' | 'rollback', descriptor: Buffer): void {
    const empty = Buffer.alloc(0);
    if (event === 'begin') this.writer.write(writeBinaryEnvChange(EnvChangeType.BeginTransaction, descriptor, empty));
    else this.writer.write(writeBinaryEnvChange(event === 'commit' ? EnvChangeType.CommitTransaction : EnvChangeType.RollbackTransaction, empty, descriptor));
  }

  databaseChanged(newName: string, oldName: string): void {
    this.writer.write(writeTextEnvChange(EnvChangeType.Database, newName, oldName));
  }

  languageChanged(newName: string, oldName: string): void {
    this.writer.write(writeTextEnvChange(EnvChangeType.Language, newName, oldName));
  }

  resetConnectionAck(): void {
    this.writer.write(writeBinaryEnvChange(EnvChangeType.ResetConnectionAck, Buffer.alloc(0), Buffer.alloc(0)));
  }

  /** Ends the message with the final DONE or DONEPROC (no DONE_MORE). */
  finish(kind: DoneKind, error: boolean): void {
    const status = error ? DoneStatus.Error : DoneStatus.Final;
    this.writer.write(writeDone({ kind, status, command: 0, rowCount: 0n }));
    this.writer.end();
  }
}

/** A message with only DONE(ATTN): the acknowledgement of a client's ATTENTION (MS-TDS 3.2.5.7). */
export function sendAttentionAck(writer: MessageWriter): void {
  writer.send(PacketType.TabularResult, writeDone({ kind: 'done', status: DoneStatus.Attention, command: 0, rowCount: 0n }));
}
