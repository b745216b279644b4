/**
 * RETURNVALUE (MS-TDS 2.2.7.18): the value of an OUTPUT parameter after an RPC — ordinal, name,
 * status (1 = output parameter), user type, flags, TYPE_INFO and the value.
 */
import { BufferWriter } from '../buffer-writer';
import { writeTypeInfo } from '../types/type-info';
import { writeValue } from '../types/value-write';
import { TokenType } from './token-type';
import type { SqlType, StoredValue } from '../../sql-type';

export const RETURN_VALUE_OUTPUT_PARAMETER = 0x01;

export interface ReturnValue {
  ordinal: number;
  /** With its '@'. */
  name: string;
  type: SqlType;
  value: StoredValue;
}

export function writeReturnValue(returnValue: ReturnValue): Buffer {
  const writer = new BufferWriter(64);
  writer.uint8(TokenType.ReturnValue).uint16le(returnValue.ordinal).bVarChar(returnValue.name)
    .uint8(RETURN_VALUE_OUTPUT_PARAMETER).uint32le(0).uint16le(0x0001);
  writeTypeInfo(writer, returnValue.type);
  writeValue(writer, returnValue.type, returnValue.value);
  return writer.toBuffer();
}
