/**
 * Tokens of an OData $filter (the subset the connector accepts): identifiers, keywords, string,
 * number, boolean, null, date-time and GUID literals, parentheses and commas.
 */
import { sqlErrors } from '../errors';

export type TokenKind = 'identifier' | 'keyword' | 'string' | 'number' | 'datetime' | 'guid' | 'open' | 'close' | 'comma' | 'end';

export interface Token {
  kind: TokenKind;
  /** Keywords in lower case; string literals unescaped; other literals as written. */
  text: string;
  position: number;
}

export const KEYWORDS = new Set(['and', 'or', 'not', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'true', 'false', 'null']);

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?(?![\w:.-])/;
const NUMBER = /^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?(?![\w.])/;
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*/u;

export function tokenize(text: string, option = '$filter'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'open' : ch === ')' ? 'close' : 'comma', text: ch, position: i });
      i += 1;
    } else if (ch === "'") {
      const { value, end } = readString(text, i, option);
      tokens.push({ kind: 'string', text: value, position: i });
      i = end;
    } else {
      const literal = readLiteral(rest);
      if (literal) {
        tokens.push({ ...literal, position: i });
        i += literal.text.length;
        continue;
      }
      const word = IDENTIFIER.exec(rest);
      if (!word) throw sqlErrors.invalidQueryOption(option, `unexpected character '${ch}' at position ${i}.`, i);
      const lower = word[0].toLowerCase();
      tokens.push(KEYWORDS.has(lower) ? { kind: 'keyword', text: lower, position: i } : { kind: 'identifier', text: word[0], position: i });
      i += word[0].length;
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** GUIDs before dates before numbers: each earlier form would otherwise be misread as the later. */
function readLiteral(rest: string): { kind: TokenKind; text: string } | undefined {
  const guid = GUID.exec(rest);
  if (guid) return { kind: 'guid', text: guid[0] };
  const datetime = DATETIME.exec(rest);
  if (datetime) return { kind: 'datetime', text: datetime[0] };
  const number = NUMBER.exec(rest);
  return number ? { kind: 'number', text: number[0] } : undefined;
}

/** Reads a '…' literal where '' stands for one quote. */
function readString(text: string, start: number, option: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw sqlErrors.invalidQueryOption(option, `the string starting at position ${start} is not closed.`, start);
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += text[i];
    i += 1;
  }
}
