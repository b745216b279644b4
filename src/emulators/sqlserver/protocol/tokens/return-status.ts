/** RETURNSTATUS (MS-TDS 2.2.7.17): a procedure's return value (RETURN n), always an int. */
import { BufferWriter } from '../buffer-writer';
import { TokenType } from './token-type';

export function writeReturnStatus(value: number): Buffer {
  return new BufferWriter(5).uint8(TokenType.ReturnStatus).int32le(value).toBuffer();
}
