/**
 * Transaction Manager Request (MS-TDS 2.2.6.9): ALL_HEADERS, a request type, then a payload.
 * `mssql`'s Transaction API uses BEGIN/COMMIT/ROLLBACK/SAVE through these instead of T-SQL.
 */
import { readAllHeaders, AllHeaders } from './all-headers';
import { LATEST_TDS_VERSION } from '../tds-version';
import { readUInt16LE, readUInt8 } from '../buffer-readers';

/** 2.2.6.9 RequestType values. */
export const TransactionRequest = {
  GetDtcAddress: 0,
  PropagateXact: 1,
  BeginXact: 5,
  PromoteXact: 6,
  CommitXact: 7,
  RollbackXact: 8,
  SaveXact: 9,
} as const;

/** 2.2.6.9 isolation levels of TM_BEGIN_XACT. */
export const IsolationLevel = ['no change', 'read uncommitted', 'read committed', 'repeatable read', 'serializable', 'snapshot'];

export interface TransactionManagerRequest {
  headers: AllHeaders;
  requestType: number;
  isolationLevel?: number;
  name: string;
}

export function readTransactionManagerRequest(payload: Buffer, tdsVersion: number = LATEST_TDS_VERSION): TransactionManagerRequest {
  const { value: headers, offset: afterHeaders } = readAllHeaders(payload, 0, tdsVersion);
  let offset = afterHeaders;
  const type = readUInt16LE(payload, offset);
  const requestType = type.value;
  offset = type.offset;
  let isolationLevel: number | undefined;
  if (requestType === TransactionRequest.BeginXact) ({ value: isolationLevel, offset } = readUInt8(payload, offset));
  let name = '';
  if (offset < payload.length && requestType !== TransactionRequest.GetDtcAddress) {
    // The name's length byte counts bytes in what tedious sends (2.2.6.9 says characters); read
    // whatever UCS-2 follows, bounded by both readings, since the name is only informational.
    const { value: declared, offset: nameStart } = readUInt8(payload, offset);
    const bytes = Math.min(declared * 2, payload.length - nameStart, declared % 2 === 0 ? declared : declared * 2);
    name = payload.toString('ucs2', nameStart, nameStart + bytes - (bytes % 2));
  }
  return { headers, requestType, isolationLevel, name };
}
