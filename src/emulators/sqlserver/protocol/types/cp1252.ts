/**
 * Windows code page 1252, the encoding of varchar under SQL_Latin1_General_CP1_CI_AS. It is
 * Latin-1 except for 0x80–0x9F; characters it cannot encode become '?', as in SQL Server.
 */
const HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];
const REVERSE = new Map(HIGH.map((code, i) => [code, 0x80 + i] as const).filter(([code]) => code !== 0xfffd));
const QUESTION_MARK = 0x3f;

export function encodeCp1252(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(text.length);
  let length = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? QUESTION_MARK;
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes[length++] = code;
    else bytes[length++] = REVERSE.get(code) ?? QUESTION_MARK;
  }
  return bytes.subarray(0, length);
}

export function decodeCp1252(bytes: Buffer): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    text += String.fromCharCode(byte >= 0x80 && byte < 0xa0 ? HIGH[byte - 0x80] : byte);
  }
  return text;
}
