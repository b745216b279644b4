/**
 * A small T-SQL scanner for the /query filter's first pass: it walks the text the way SQL Server
 * does for string literals ('…', N'…') and bracketed names ([…]) and reports the bare words and
 * bracketed names in between. Comments and double-quoted names are reported, not skipped: the
 * filter refuses them, so no text can hide from this scan and still run on the server.
 */

export interface ScanResult {
  /** Bare words (keywords, names, @variables) in order, as written. */
  words: string[];
  /** Contents of [bracketed] names. */
  bracketed: string[];
  hasComment: boolean;
  hasDoubleQuote: boolean;
  /** Semicolons outside literals, with what follows the last one. */
  semicolons: number;
  textAfterLastSemicolon: string;
  unterminated: boolean;
}

export function scanSql(text: string): ScanResult {
  const result: ScanResult = {
    words: [],
    bracketed: [],
    hasComment: false,
    hasDoubleQuote: false,
    semicolons: 0,
    textAfterLastSemicolon: '',
    unterminated: false,
  };
  let i = 0;
  let lastSemicolon = -1;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if ((ch === '-' && next === '-') || (ch === '/' && next === '*')) {
      result.hasComment = true;
      i += 2;
    } else if (ch === "'") {
      i = skipQuoted(text, i, "'", result);
    } else if (ch === '[') {
      const end = skipQuoted(text, i, ']', result);
      result.bracketed.push(text.slice(i + 1, end - 1).replace(/]]/g, ']'));
      i = end;
    } else if (ch === '"') {
      result.hasDoubleQuote = true;
      i = skipQuoted(text, i, '"', result);
    } else if (ch === ';') {
      result.semicolons += 1;
      lastSemicolon = i;
      i += 1;
    } else if (/[\p{L}_@#$]/u.test(ch)) {
      const match = /^[\p{L}\p{N}_@#$]+/u.exec(text.slice(i))!;
      result.words.push(match[0]);
      i += match[0].length;
    } else {
      i += 1;
    }
  }
  if (lastSemicolon >= 0) result.textAfterLastSemicolon = text.slice(lastSemicolon + 1);
  return result;
}

/** Skips a literal opened at `start` and closed by `close`, where a doubled `close` is one character. */
function skipQuoted(text: string, start: number, close: string, result: ScanResult): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      result.unterminated = true;
      return text.length;
    }
    if (text[i] === close) {
      if (text[i + 1] === close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
}
