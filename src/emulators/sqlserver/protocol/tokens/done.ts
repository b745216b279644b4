/**
 * DONE, DONEPROC, DONEINPROC (MS-TDS 2.2.7.6–2.2.7.8): status, current command, row count.
 * DONE ends a statement of a batch, DONEINPROC a statement inside a procedure, DONEPROC the
 * procedure (or RPC) itself. DONE_ATTN acknowledges a client's ATTENTION.
 */
import { BufferWriter } from '../buffer-writer';
import { readBigUInt64LE, readUInt16LE, ReadResult } from '../buffer-readers';
import { TokenType } from './token-type';
import { hasPlpAndHeaders, LATEST_TDS_VERSION } from '../tds-version';

/** 2.2.7.6 Status bits. */
export const DoneStatus = {
  Final: 0x00,
  More: 0x01,
  Error: 0x02,
  InTransaction: 0x04,
  Count: 0x10,
  Attention: 0x20,
  ServerError: 0x100,
} as const;

/** CurCmd values SQL Server reports (the token stream only informs; clients ignore it). */
export const CurrentCommand = {
  None: 0x00,
  Select: 0xc1,
  Insert: 0xc3,
  Delete: 0xc4,
  Update: 0xc5,
  Execute: 0xe0,
  BeginTransaction: 0xd4,
  CommitTransaction: 0xd5,
  RollbackTransaction: 0xd2,
  Declare: 0xa9,
  Set: 0xb9,
} as const;

export type DoneKind = 'done' | 'doneProc' | 'doneInProc';

export interface Done {
  kind: DoneKind;
  status: number;
  command: number;
  rowCount: bigint;
}

const TOKEN_OF: Record<DoneKind, number> = { done: TokenType.Done, doneProc: TokenType.DoneProc, doneInProc: TokenType.DoneInProc };

/** The row count is a LONG before TDS 7.2 and a ULONGLONG after (2.2.7.6). */
export function writeDone(done: Done, tdsVersion: number = LATEST_TDS_VERSION): Buffer {
  const writer = new BufferWriter(13).uint8(TOKEN_OF[done.kind]).uint16le(done.status).uint16le(done.command);
  if (hasPlpAndHeaders(tdsVersion)) writer.uint64le(done.rowCount);
  else writer.uint32le(Number(BigInt.asUintN(32, done.rowCount)));
  return writer.toBuffer();
}

/** Reads the body of a DONE-family token (after its type byte); used by tests and the bulk-load reader. */
export function readDoneBody(buffer: Buffer, offset: number): ReadResult<{ status: number; command: number; rowCount: bigint }> {
  const status = readUInt16LE(buffer, offset);
  const command = readUInt16LE(buffer, status.offset);
  const rowCount = readBigUInt64LE(buffer, command.offset);
  return { value: { status: status.value, command: command.value, rowCount: rowCount.value }, offset: rowCount.offset };
}

export function isDoneToken(type: number): boolean {
  return type === TokenType.Done || type === TokenType.DoneProc || type === TokenType.DoneInProc;
}
