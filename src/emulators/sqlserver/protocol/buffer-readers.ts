/**
 * Pure readers for TDS's basic data stream types (MS-TDS 2.2.5.1–2.2.5.2): each takes
 * (buffer, offset) and returns {value, offset}, or throws NotEnoughData when the buffer ends
 * first. Nothing here keeps state, so the same readers parse requests and test the responses.
 */

export interface ReadResult<T> {
  value: T;
  offset: number;
}

/** The buffer ended before the value did: a truncated or malformed payload. */
export class NotEnoughData extends Error {
  constructor(readonly needed: number, readonly available: number) {
    super(`The payload ends after ${available} bytes; ${needed} are needed.`);
    this.name = 'NotEnoughData';
  }
}

export function ensure(buffer: Buffer, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > buffer.length) throw new NotEnoughData(offset + length, buffer.length);
}

export function readUInt8(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 1);
  return { value: buffer.readUInt8(offset), offset: offset + 1 };
}

export function readUInt16LE(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 2);
  return { value: buffer.readUInt16LE(offset), offset: offset + 2 };
}

export function readUInt16BE(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 2);
  return { value: buffer.readUInt16BE(offset), offset: offset + 2 };
}

export function readInt16LE(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 2);
  return { value: buffer.readInt16LE(offset), offset: offset + 2 };
}

export function readUInt32LE(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 4);
  return { value: buffer.readUInt32LE(offset), offset: offset + 4 };
}

export function readUInt32BE(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 4);
  return { value: buffer.readUInt32BE(offset), offset: offset + 4 };
}

export function readInt32LE(buffer: Buffer, offset: number): ReadResult<number> {
  ensure(buffer, offset, 4);
  return { value: buffer.readInt32LE(offset), offset: offset + 4 };
}

export function readBigInt64LE(buffer: Buffer, offset: number): ReadResult<bigint> {
  ensure(buffer, offset, 8);
  return { value: buffer.readBigInt64LE(offset), offset: offset + 8 };
}

export function readBigUInt64LE(buffer: Buffer, offset: number): ReadResult<bigint> {
  ensure(buffer, offset, 8);
  return { value: buffer.readBigUInt64LE(offset), offset: offset + 8 };
}

/** An unsigned little-endian integer of 1–8 bytes (TIME and DATE use 3 and 5). */
export function readUIntLE(buffer: Buffer, offset: number, length: number): ReadResult<number> {
  ensure(buffer, offset, length);
  let value = 0;
  for (let i = length - 1; i >= 0; i--) value = value * 256 + buffer[offset + i];
  return { value, offset: offset + length };
}

export function readBytes(buffer: Buffer, offset: number, length: number): ReadResult<Buffer> {
  ensure(buffer, offset, length);
  return { value: buffer.subarray(offset, offset + length), offset: offset + length };
}

/** UCS-2 text of `chars` characters. */
export function readUcs2(buffer: Buffer, offset: number, chars: number): ReadResult<string> {
  ensure(buffer, offset, chars * 2);
  return { value: buffer.toString('ucs2', offset, offset + chars * 2), offset: offset + chars * 2 };
}

/** B_VARCHAR: a 1-byte character count, then UCS-2 text. */
export function readBVarChar(buffer: Buffer, offset: number): ReadResult<string> {
  const length = readUInt8(buffer, offset);
  return readUcs2(buffer, length.offset, length.value);
}

/** US_VARCHAR: a 2-byte character count, then UCS-2 text. */
export function readUsVarChar(buffer: Buffer, offset: number): ReadResult<string> {
  const length = readUInt16LE(buffer, offset);
  return readUcs2(buffer, length.offset, length.value);
}

/** B_VARBYTE: a 1-byte length, then bytes. */
export function readBVarByte(buffer: Buffer, offset: number): ReadResult<Buffer> {
  const length = readUInt8(buffer, offset);
  return readBytes(buffer, length.offset, length.value);
}
