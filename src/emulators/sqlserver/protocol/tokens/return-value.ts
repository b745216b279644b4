/**
 * RETURNVALUE (MS-TDS 2.2.7.18): the value of an OUTPUT parameter after an RPC — ordinal, name,
 * status (1 = output parameter), user type (USHORT before TDS 7.2), flags, TYPE_INFO and the
 * value. Output parameters are nullable, so they use the nullable wire types.
 */
import { BufferWriter } from '../buffer-writer';
import { wireTypeOf, writeWireTypeInfo, writeWireValue } from '../types/wire-type';
import { hasPlpAndHeaders, LATEST_TDS_VERSION } from '../tds-version';
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

export function writeReturnValue(returnValue: ReturnValue, tdsVersion: number = LATEST_TDS_VERSION): Buffer {
  const writer = new BufferWriter(64);
  writer.uint8(TokenType.ReturnValue).uint16le(returnValue.ordinal).bVarChar(returnValue.name).uint8(RETURN_VALUE_OUTPUT_PARAMETER);
  if (hasPlpAndHeaders(tdsVersion)) writer.uint32le(0);
  else writer.uint16le(0);
  writer.uint16le(0x0001);
  const wire = wireTypeOf(returnValue.type, true, tdsVersion);
  writeWireTypeInfo(writer, wire, tdsVersion, false);
  writeWireValue(writer, wire, returnValue.value);
  return writer.toBuffer();
}
