/**
 * ROW (MS-TDS 2.2.7.19): one value per column of the preceding COLMETADATA, each in its type's
 * wire format.
 */
import { BufferWriter } from '../buffer-writer';
import { writeValue } from '../types/value-write';
import { TokenType } from './token-type';
import type { ResultColumn } from './col-metadata';
import type { StoredValue } from '../../sql-type';

export function writeRow(columns: ResultColumn[], values: StoredValue[]): Buffer {
  const writer = new BufferWriter(16 + columns.length * 12);
  writer.uint8(TokenType.Row);
  for (let i = 0; i < columns.length; i++) writeValue(writer, columns[i].type, values[i] ?? null);
  return writer.toBuffer();
}
