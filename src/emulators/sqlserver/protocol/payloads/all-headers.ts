/**
 * ALL_HEADERS (MS-TDS 2.2.5.3): the prefix of SQL batch, RPC and transaction manager requests.
 * The transaction descriptor header (type 2) tells which transaction the request runs in.
 */
import { readBytes, readUInt16LE, readUInt32LE } from '../buffer-readers';
import { hasPlpAndHeaders, LATEST_TDS_VERSION } from '../tds-version';

/** 2.2.5.3 HeaderType values. */
export const HeaderType = {
  QueryNotifications: 0x0001,
  TransactionDescriptor: 0x0002,
  TraceActivity: 0x0003,
} as const;

export interface AllHeaders {
  transactionDescriptor?: Buffer;
  outstandingRequestCount?: number;
}

/** ALL_HEADERS exist from TDS 7.2 on; a 7.1 request starts with its body (`tdsVersion` tells). */
export function readAllHeaders(payload: Buffer, offset: number, tdsVersion: number = LATEST_TDS_VERSION): { value: AllHeaders; offset: number } {
  if (!hasPlpAndHeaders(tdsVersion)) return { value: {}, offset };
  const { value: totalLength } = readUInt32LE(payload, offset);
  if (totalLength < 4) throw new RangeError(`ALL_HEADERS length ${totalLength} is too short.`);
  readBytes(payload, offset, totalLength);
  const end = offset + totalLength;
  const headers: AllHeaders = {};
  let at = offset + 4;
  while (at < end) {
    const { value: headerLength } = readUInt32LE(payload, at);
    if (headerLength < 6 || at + headerLength > end) throw new RangeError(`A header of ${headerLength} bytes overruns ALL_HEADERS.`);
    const { value: type } = readUInt16LE(payload, at + 4);
    if (type === HeaderType.TransactionDescriptor && headerLength >= 18) {
      headers.transactionDescriptor = Buffer.from(readBytes(payload, at + 6, 8).value);
      headers.outstandingRequestCount = readUInt32LE(payload, at + 14).value;
    }
    at += headerLength;
  }
  return { value: headers, offset: end };
}
