/**
 * ROW (MS-TDS 2.2.7.19): one value per column of the preceding COLMETADATA, each in the wire
 * type that COLMETADATA announced (wireColumns).
 */
import { BufferWriter } from '../buffer-writer';
import { WireType, writeWireValue } from '../types/wire-type';
import { TokenType } from './token-type';
import type { StoredValue } from '../../sql-type';

export function writeRow(columns: WireType[], values: StoredValue[]): Buffer {
  const writer = new BufferWriter(16 + columns.length * 12);
  writer.uint8(TokenType.Row);
  for (let i = 0; i < columns.length; i++) writeWireValue(writer, columns[i], values[i] ?? null);
  return writer.toBuffer();
}
