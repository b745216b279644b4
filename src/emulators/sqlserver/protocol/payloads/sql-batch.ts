/**
 * SQLBatch (MS-TDS 2.2.6.7): ALL_HEADERS followed by the batch text in UCS-2.
 */
import { AllHeaders, readAllHeaders } from './all-headers';
import { LATEST_TDS_VERSION } from '../tds-version';

export interface SqlBatch {
  headers: AllHeaders;
  text: string;
}

export function readSqlBatch(payload: Buffer, tdsVersion: number = LATEST_TDS_VERSION): SqlBatch {
  const { value: headers, offset } = readAllHeaders(payload, 0, tdsVersion);
  if ((payload.length - offset) % 2 !== 0) throw new RangeError('The batch text has an odd number of bytes; UCS-2 needs pairs.');
  return { headers, text: payload.toString('ucs2', offset) };
}
