/**
 * PRELOGIN (MS-TDS 2.2.6.5): a list of option tokens (type, offset, length) ended by 0xFF,
 * followed by the option data. The stand-in reads the client's options and answers with its
 * version and its encryption answer (session/login.ts decides it).
 */
import { BufferWriter } from '../buffer-writer';
import { readBytes, readUInt16BE, readUInt8 } from '../buffer-readers';

/** 2.2.6.5 PL_OPTION_TOKEN values. */
export const PreloginOption = {
  Version: 0x00,
  Encryption: 0x01,
  InstanceOption: 0x02,
  ThreadId: 0x03,
  Mars: 0x04,
  TraceId: 0x05,
  FedAuthRequired: 0x06,
  Nonce: 0x07,
  Terminator: 0xff,
} as const;

/** 2.2.6.5 B_FENCRYPTION values. */
export const Encryption = {
  Off: 0x00,
  On: 0x01,
  NotSupported: 0x02,
  Required: 0x03,
} as const;

export interface PreloginRequest {
  options: Map<number, Buffer>;
  /** The client's ENCRYPTION byte (Off when absent). */
  encryption: number;
}

/** Reads a client's PRELOGIN; throws on offsets that point outside the payload. */
export function readPrelogin(payload: Buffer): PreloginRequest {
  const options = new Map<number, Buffer>();
  let offset = 0;
  for (let count = 0; ; count++) {
    if (count > 32) throw new RangeError('The PRELOGIN option list has no terminator.');
    let token;
    ({ value: token, offset } = readUInt8(payload, offset));
    if (token === PreloginOption.Terminator) break;
    let dataOffset, dataLength;
    ({ value: dataOffset, offset } = readUInt16BE(payload, offset));
    ({ value: dataLength, offset } = readUInt16BE(payload, offset));
    options.set(token, readBytes(payload, dataOffset, dataLength).value);
  }
  const encryption = options.get(PreloginOption.Encryption);
  return { options, encryption: encryption && encryption.length > 0 ? encryption[0] : Encryption.Off };
}

export interface PreloginResponse {
  version: { major: number; minor: number; build: number; subBuild: number };
  encryption: number;
}

export function writePrelogin(response: PreloginResponse): Buffer {
  const version = new BufferWriter(6)
    .uint8(response.version.major).uint8(response.version.minor)
    .uint16be(response.version.build).uint16be(response.version.subBuild).toBuffer();
  const entries: Array<[number, Buffer]> = [
    [PreloginOption.Version, version],
    [PreloginOption.Encryption, Buffer.from([response.encryption])],
    [PreloginOption.InstanceOption, Buffer.from([0])],
    [PreloginOption.ThreadId, Buffer.alloc(0)],
    [PreloginOption.Mars, Buffer.from([0])],
  ];
  const writer = new BufferWriter();
  let dataOffset = entries.length * 5 + 1;
  for (const [token, data] of entries) {
    writer.uint8(token).uint16be(dataOffset).uint16be(data.length);
    dataOffset += data.length;
  }
  writer.uint8(PreloginOption.Terminator);
  for (const [, data] of entries) writer.bytes(data);
  return writer.toBuffer();
}
