/**
 * The T-SQL tokenizer: words (keywords and plain identifiers, `#temp` included), delimited
 * identifiers ([x] and "x"), @variables and @@system variables, numbers, strings ('…', N'…'),
 * binary literals (0x…), operators and punctuation. Comments are skipped; line numbers are kept
 * for error messages. Characters T-SQL does not know (`?`, backticks) become 'unknown' tokens so
 * the parser reports them as SQL Server does: "Incorrect syntax near '`'".
 */
import { sqlErrors } from './sql-error';

export type TokenKind = 'word' | 'quoted' | 'variable' | 'sysvar' | 'number' | 'string' | 'binary' | 'operator' | 'punct' | 'unknown' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Identifier text (brackets removed), string contents, or the upper-cased keyword for words. */
  value: string;
  /** N'…' strings. */
  unicode?: boolean;
  start: number;
  end: number;
  line: number;
}

const OPERATORS = ['<>', '!=', '<=', '>=', '!<', '!>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '::', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~'];
const PUNCTUATION = new Set(['(', ')', ',', '.', ';', ':']);
const WORD_START = /[A-Za-z_#\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_#$@\u0080-\uffff]/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: TokenKind, start: number, end: number, value: string, unicode?: boolean) => {
    tokens.push({ kind, text: source.slice(start, end), value, unicode, start, end, line });
  };
  while (i < source.length) {
    const char = source[i];
    const next = source[i + 1];
    if (char === '\n') { line++; i++; continue; }
    if (/\s/.test(char)) { i++; continue; }
    if (char === '-' && next === '-') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = skipBlockComment(source, i);
      line += countLines(source, i, end);
      i = end;
      continue;
    }
    const start = i;
    if ((char === 'N' || char === 'n') && next === "'") {
      const { value, end } = readQuoted(source, i + 1, "'");
      push('string', start, end, value, true);
    } else if (char === "'") {
      const { value, end } = readQuoted(source, i, "'");
      push('string', start, end, value);
    } else if (char === '[') {
      const { value, end } = readQuoted(source, i, ']');
      push('quoted', start, end, value);
    } else if (char === '"') {
      const { value, end } = readQuoted(source, i, '"');
      push('quoted', start, end, value);
    } else if (char === '0' && (next === 'x' || next === 'X')) {
      let end = i + 2;
      while (end < source.length && /[0-9a-fA-F]/.test(source[end])) end++;
      push('binary', start, end, source.slice(i + 2, end));
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next ?? ''))) {
      const end = readNumber(source, i);
      push('number', start, end, source.slice(start, end));
    } else if (char === '@') {
      let end = i + 1;
      const system = source[end] === '@';
      if (system) end++;
      while (end < source.length && WORD_PART.test(source[end])) end++;
      push(system ? 'sysvar' : 'variable', start, end, source.slice(start, end));
    } else if (WORD_START.test(char)) {
      let end = i + 1;
      while (end < source.length && WORD_PART.test(source[end])) end++;
      push('word', start, end, source.slice(start, end).toUpperCase());
    } else {
      const operator = OPERATORS.find((op) => source.startsWith(op, i));
      if (operator) push('operator', start, i + operator.length, operator);
      else if (PUNCTUATION.has(char)) push('punct', start, i + 1, char);
      else push('unknown', start, i + 1, char);
    }
    const token = tokens[tokens.length - 1];
    line += countLines(source, token.start, token.end);
    i = token.end;
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: source.length, end: source.length, line });
  return tokens;
}

function countLines(source: string, from: number, to: number): number {
  let lines = 0;
  for (let k = from; k < to; k++) if (source[k] === '\n') lines++;
  return lines;
}

/** Block comments nest in T-SQL. */
function skipBlockComment(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    if (source.startsWith('/*', i)) { depth++; i += 2; continue; }
    if (source.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  throw sqlErrors.missingEndComment();
}

/** Reads text up to the closing delimiter; a doubled delimiter stands for itself. */
function readQuoted(source: string, start: number, close: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    if (source[i] === close) {
      if (source[i + 1] === close) { value += close; i += 2; continue; }
      return { value, end: i + 1 };
    }
    value += source[i++];
  }
  throw sqlErrors.unclosedQuote(value);
}

function readNumber(source: string, start: number): number {
  let i = start;
  while (/[0-9]/.test(source[i] ?? '')) i++;
  if (source[i] === '.') {
    i++;
    while (/[0-9]/.test(source[i] ?? '')) i++;
  }
  if ((source[i] === 'e' || source[i] === 'E') && /[-+0-9]/.test(source[i + 1] ?? '')) {
    i += source[i + 1] === '-' || source[i + 1] === '+' ? 2 : 1;
    while (/[0-9]/.test(source[i] ?? '')) i++;
  }
  return i;
}

/**
 * Splits a script into batches on lines holding only `GO` (the sqlcmd / SSMS separator, which
 * SQL Server itself never sees). Returns each batch with the line it starts on.
 */
export function splitBatches(script: string): Array<{ text: string; firstLine: number }> {
  const batches: Array<{ text: string; firstLine: number }> = [];
  const lines = script.split(/\r?\n/);
  let current: string[] = [];
  let firstLine = 1;
  lines.forEach((text, index) => {
    if (/^\s*GO\s*(?:--.*)?$/i.test(text)) {
      if (current.join('').trim() !== '') batches.push({ text: current.join('\n'), firstLine });
      current = [];
      firstLine = index + 2;
    } else {
      current.push(text);
    }
  });
  if (current.join('').trim() !== '') batches.push({ text: current.join('\n'), firstLine });
  return batches;
}
