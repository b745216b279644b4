/**
 * LOGIN7 (MS-TDS 2.2.6.4): a 94-byte fixed part of numbers and (offset, length) pairs pointing
 * into a variable part of UCS-2 strings; the password is scrambled (nibbles swapped, then XOR
 * 0xA5). For TDS 7.4 the extension pair points at a 4-byte offset of the FeatureExt list.
 */
import { readBytes, readUcs2, readUInt16LE, readUInt32LE, readUInt8 } from '../buffer-readers';

export const LOGIN7_FIXED_LENGTH = 94;

/** 2.2.6.4 OptionFlags1/2 bits the stand-in looks at. */
export const LoginFlags = {
  Flags1InitDbFatal: 0x40,
  Flags2IntegratedSecurity: 0x80,
  Flags3Extension: 0x10,
} as const;

/** 2.2.6.4 FeatureId values. */
export const FeatureId = {
  SessionRecovery: 0x01,
  FedAuth: 0x02,
  ColumnEncryption: 0x04,
  GlobalTransactions: 0x05,
  Utf8Support: 0x0a,
  Terminator: 0xff,
} as const;

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  clientPid: number;
  optionFlags1: number;
  optionFlags2: number;
  optionFlags3: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  language: string;
  database: string;
  sspiLength: number;
  features: number[];
}

/** The (offset, length-in-characters) pairs of the fixed part, in order, with their byte position. */
const STRING_FIELDS = [
  ['hostName', 36], ['userName', 40], ['password', 44], ['appName', 48], ['serverName', 52],
  ['libraryName', 60], ['language', 64], ['database', 68],
] as const;

export function readLogin7(payload: Buffer): Login7 {
  const { value: length } = readUInt32LE(payload, 0);
  if (length !== payload.length || length < LOGIN7_FIXED_LENGTH) {
    throw new RangeError(`LOGIN7 declares ${length} bytes but carries ${payload.length}.`);
  }
  const strings: Record<string, string> = {};
  for (const [name, at] of STRING_FIELDS) {
    const { value: offset } = readUInt16LE(payload, at);
    const { value: chars } = readUInt16LE(payload, at + 2);
    if (name === 'password') strings[name] = unscramble(readBytes(payload, offset, chars * 2).value);
    else strings[name] = readUcs2(payload, offset, chars).value;
  }
  const login: Login7 = {
    tdsVersion: readUInt32LE(payload, 4).value,
    packetSize: readUInt32LE(payload, 8).value,
    clientPid: readUInt32LE(payload, 16).value,
    optionFlags1: readUInt8(payload, 24).value,
    optionFlags2: readUInt8(payload, 25).value,
    optionFlags3: readUInt8(payload, 27).value,
    hostName: strings.hostName,
    userName: strings.userName,
    password: strings.password,
    appName: strings.appName,
    serverName: strings.serverName,
    libraryName: strings.libraryName,
    language: strings.language,
    database: strings.database,
    sspiLength: readUInt16LE(payload, 80).value,
    features: [],
  };
  if (login.optionFlags3 & LoginFlags.Flags3Extension) login.features = readFeatureIds(payload);
  return login;
}

/** Inverse of the client's scrambling: XOR 0xA5, then swap the nibbles (2.2.6.4 Password). */
export function unscramble(bytes: Buffer): string {
  const plain = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ^ 0xa5;
    plain[i] = ((b << 4) & 0xf0) | (b >> 4);
  }
  return plain.toString('ucs2');
}

function readFeatureIds(payload: Buffer): number[] {
  const { value: pointerOffset } = readUInt16LE(payload, 56);
  const { value: pointerLength } = readUInt16LE(payload, 58);
  if (pointerLength !== 4) return [];
  let { value: offset } = readUInt32LE(payload, pointerOffset);
  const ids: number[] = [];
  for (let count = 0; count < 64; count++) {
    const { value: id } = readUInt8(payload, offset);
    if (id === FeatureId.Terminator) return ids;
    const { value: dataLength } = readUInt32LE(payload, offset + 1);
    readBytes(payload, offset + 5, dataLength);
    ids.push(id);
    offset += 5 + dataLength;
  }
  throw new RangeError('The LOGIN7 FeatureExt list has no terminator.');
}
