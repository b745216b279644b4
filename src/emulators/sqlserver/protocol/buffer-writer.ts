/**
 * A growable little-endian writer for building tokens and payloads (MS-TDS 2.2.5.1–2.2.5.2):
 * the counterpart of buffer-readers, used by every token and payload writer.
 */

export class BufferWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  get size(): number {
    return this.length;
  }

  /** Makes room for `bytes` more and returns where they go; may replace this.buffer, so call it before touching the buffer. */
  private reserve(bytes: number): number {
    const needed = this.length + bytes;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    const at = this.length;
    this.length = needed;
    return at;
  }

  uint8(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeUInt8(value, at);
    return this;
  }

  uint16le(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16LE(value, at);
    return this;
  }

  uint16be(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16BE(value, at);
    return this;
  }

  int16le(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeInt16LE(value, at);
    return this;
  }

  uint32le(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, at);
    return this;
  }

  uint32be(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32BE(value >>> 0, at);
    return this;
  }

  int32le(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeInt32LE(value, at);
    return this;
  }

  int64le(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigInt64LE(value, at);
    return this;
  }

  uint64le(value: bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigUInt64LE(value, at);
    return this;
  }

  floatle(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeFloatLE(value, at);
    return this;
  }

  doublele(value: number): this {
    const at = this.reserve(8);
    this.buffer.writeDoubleLE(value, at);
    return this;
  }

  /** An unsigned little-endian integer of `bytes` bytes (1–6). */
  uintle(value: number, bytes: number): this {
    const at = this.reserve(bytes);
    this.buffer.writeUIntLE(value, at, bytes);
    return this;
  }

  bytes(value: Buffer): this {
    const at = this.reserve(value.length);
    value.copy(this.buffer, at);
    return this;
  }

  ucs2(value: string): this {
    const at = this.reserve(value.length * 2);
    this.buffer.write(value, at, value.length * 2, 'ucs2');
    return this;
  }

  /** B_VARCHAR: 1-byte character count, UCS-2 text (truncated at 255 characters). */
  bVarChar(value: string): this {
    const text = value.slice(0, 255);
    return this.uint8(text.length).ucs2(text);
  }

  /** US_VARCHAR: 2-byte character count, UCS-2 text. */
  usVarChar(value: string): this {
    const text = value.slice(0, 65_535);
    return this.uint16le(text.length).ucs2(text);
  }

  /** B_VARBYTE: 1-byte length, bytes. */
  bVarByte(value: Buffer): this {
    return this.uint8(value.length).bytes(value);
  }

  /** Overwrites a 2-byte little-endian value written earlier (token lengths known only at the end). */
  patchUInt16LE(at: number, value: number): this {
    this.buffer.writeUInt16LE(value, at);
    return this;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
