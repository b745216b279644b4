/**
 * varchar under collations other than SQL Server's default (MS-TDS 2.2.5.1.2): the collation's
 * LCID picks a Windows code page, and char/varchar/text values travel in it. `collationInfo`
 * turns a collation name (Cyrillic_General_CI_AS, Greek_CS_AS, Latin1_General_100_CI_AS_SC, …)
 * into its 5 wire bytes and code page; `encodeForCodePage` encodes text in a single-byte Windows
 * code page, '?' for what it cannot hold, as SQL Server converts. The double-byte code pages of
 * the East Asian collations (932 Japanese, 936 Simplified Chinese, 949 Korean, 950 Traditional
 * Chinese) go through iconv-lite: a character there is one or two bytes, and DATALENGTH counts them.
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { DEFAULT_COLLATION, DEFAULT_COLLATION_NAME } from './collation';
import { decodeCp1252, encodeCp1252 } from './cp1252';

/** Windows collation name prefixes: LCID and code page. */
const WINDOWS_COLLATIONS: Array<[RegExp, number, number]> = [
  [/^Latin1_General/i, 0x0409, 1252], [/^SQL_Latin1_General_CP1(?!25)/i, 0x0409, 1252],
  [/^(Cyrillic_General|Ukrainian|Macedonian_FYROM|Bosnian_Cyrillic|Serbian_Cyrillic|Kazakh|Tatar|Azeri_Cyrillic|Uzbek_Latin)/i, 0x0419, 1251],
  [/^SQL_Latin1_General_CP1251/i, 0x0419, 1251],
  [/^Greek/i, 0x0408, 1253], [/^SQL_Latin1_General_CP1253/i, 0x0408, 1253],
  [/^Turkish/i, 0x041f, 1254], [/^SQL_Latin1_General_CP1254/i, 0x041f, 1254],
  [/^Hebrew/i, 0x040d, 1255], [/^SQL_Latin1_General_CP1255/i, 0x040d, 1255],
  [/^Arabic/i, 0x0401, 1256], [/^SQL_Latin1_General_CP1256/i, 0x0401, 1256],
  [/^(Estonian|Latvian|Lithuanian)/i, 0x0425, 1257], [/^SQL_Latin1_General_CP1257/i, 0x0425, 1257],
  [/^Vietnamese/i, 0x042a, 1258],
  [/^(Polish|Czech|Hungarian|Romanian|Croatian|Slovak|Slovenian|Albanian|Serbian_Latin|Bosnian_Latin)/i, 0x0415, 1250],
  [/^SQL_Latin1_General_CP1250/i, 0x0415, 1250],
  [/^Thai/i, 0x041e, 874],
  [/^Japanese/i, 0x0411, 932], [/^Chinese_(PRC|Simplified)/i, 0x0804, 936], [/^Korean/i, 0x0412, 949], [/^Chinese_(Taiwan|Traditional|Hong_Kong)/i, 0x0404, 950],
];

/** 2.2.5.1.2 comparison flags (bits 20–25 of the first 4 bytes). */
const IGNORE_CASE = 1 << 20;
const IGNORE_ACCENT = 1 << 21;
const IGNORE_KANA = 1 << 22;
const IGNORE_WIDTH = 1 << 23;
const BINARY = 1 << 24;

export interface CollationInfo {
  bytes: Buffer;
  codePage: number;
}

const DEFAULT_INFO: CollationInfo = { bytes: DEFAULT_COLLATION, codePage: 1252 };

const knownCollations = new Map<string, CollationInfo>();

/**
 * The wire bytes and code page of a collation name (the default for none or a name it does not
 * know), worked out once per name: it is asked for every
 * character value written (callers share the result, as they share DEFAULT_INFO, and never change it).
 */
export function collationInfo(name: string | undefined): CollationInfo {
  if (!name || name.toLowerCase() === DEFAULT_COLLATION_NAME.toLowerCase()) return DEFAULT_INFO;
  let info = knownCollations.get(name);
  if (!info) {
    info = readCollation(name);
    knownCollations.set(name, info);
  }
  return info;
}

function readCollation(name: string): CollationInfo {
  const match = WINDOWS_COLLATIONS.find(([pattern]) => pattern.test(name));
  if (!match) return DEFAULT_INFO;
  const [, lcid, codePage] = match;
  let flags = 0;
  if (/_BIN2?$/i.test(name)) flags |= BINARY;
  else {
    if (/_CI(_|$)/i.test(name)) flags |= IGNORE_CASE;
    if (/_AI(_|$)/i.test(name)) flags |= IGNORE_ACCENT;
    if (!/_KS(_|$)/i.test(name)) flags |= IGNORE_KANA;
    if (!/_WS(_|$)/i.test(name)) flags |= IGNORE_WIDTH;
  }
  const bytes = Buffer.alloc(5);
  bytes.writeUInt32LE((lcid | flags) >>> 0, 0);
  return { bytes, codePage };
}

/**
 * The code page of a collation's wire bytes (a client's RPC parameter or bulk-load column): by
 * the LCID of a Windows collation; SQL collations (SortId set) of this stand-in are CP1252's.
 */
export function codePageOfCollation(collation: Buffer | undefined): number {
  if (!collation || collation.length !== 5 || collation[4] !== 0) return 1252;
  const lcid = collation.readUInt32LE(0) & 0xfffff;
  return WINDOWS_COLLATIONS.find(([, id]) => id === lcid)?.[2] ?? LCID_CODE_PAGES[lcid] ?? 1252;
}

/** LCIDs that clients send with another sublanguage than the collation table's. */
const LCID_CODE_PAGES: Record<number, number> = { 0x0804: 936, 0x1004: 936, 0x0404: 950, 0x0c04: 950, 0x1404: 950, 0x0411: 932, 0x0412: 949 };

const encoders = new Map<number, Map<number, number>>();

/** Unicode → byte for a single-byte Windows code page, built once from the platform's decoder. */
function singleByteTable(codePage: number): Map<number, number> | undefined {
  let table = encoders.get(codePage);
  if (table) return table;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(`windows-${codePage}`);
  } catch {
    return undefined;
  }
  table = new Map();
  for (let byte = 0x80; byte <= 0xff; byte++) {
    const char = decoder.decode(Uint8Array.of(byte));
    if (char !== '\ufffd') table.set(char.codePointAt(0)!, byte);
  }
  encoders.set(codePage, table);
  return table;
}

const QUESTION_MARK = 0x3f;

const DOUBLE_BYTE = new Set([932, 936, 949, 950]);

/** True for the East Asian code pages, where char(n)/varchar(n) count bytes, not characters. */
export function isDoubleByte(codePage: number): boolean {
  return DOUBLE_BYTE.has(codePage);
}

/** The longest start of `text` that fits in `bytes` bytes of the code page (a character is never split). */
export function truncateToBytes(text: string, bytes: number, codePage: number): string {
  let used = 0;
  let kept = '';
  for (const char of text) {
    used += encodeForCodePage(char, codePage).length;
    if (used > bytes) break;
    kept += char;
  }
  return kept;
}

export function encodeForCodePage(text: string, codePage: number): Buffer {
  if (codePage === 1252) return encodeCp1252(text);
  if (DOUBLE_BYTE.has(codePage)) return iconv.encode(text, `cp${codePage}`);
  const table = singleByteTable(codePage);
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? QUESTION_MARK;
    bytes.push(code < 0x80 ? code : table?.get(code) ?? QUESTION_MARK);
  }
  return Buffer.from(bytes);
}

export function decodeForCodePage(bytes: Buffer, codePage: number): string {
  if (codePage === 1252) return decodeCp1252(bytes);
  if (DOUBLE_BYTE.has(codePage)) return iconv.decode(bytes, `cp${codePage}`);
  try {
    return new TextDecoder(`windows-${codePage}`).decode(bytes);
  } catch {
    return decodeCp1252(bytes);
  }
}

/** What a varchar under `collation` keeps of `text`: characters its code page lacks become '?'. */
export function keepInCodePage(text: string, collation: string | undefined): string {
  const { codePage } = collationInfo(collation);
  return decodeForCodePage(encodeForCodePage(text, codePage), codePage);
}
