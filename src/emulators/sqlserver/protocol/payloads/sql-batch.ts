/**
 * SQLBatch (MS-TDS 2.2.6.7): ALL_HEADERS followed by the batch text in UCS-2.
 */
import { AllHeaders, readAllHeaders } from './all-headers';

export interface SqlBatch {
  headers: AllHeaders;
  text: string;
}

export function readSqlBatch(payload: Buffer): SqlBatch {
  const { value: headers, offset } = readAllHeaders(payload, 0);
  if ((payload.length - offset) % 2 !== 0) throw new RangeError('The batch text has an odd number of bytes; UCS-2 needs pairs.');
  return { headers, text: payload.toString('ucs2', offset) };
}
