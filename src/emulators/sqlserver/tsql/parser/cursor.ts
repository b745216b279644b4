/**
 * The parser's view of the token list: look-ahead, accept/expect helpers and SQL Server's
 * syntax error ("Incorrect syntax near 'x'.") pointing at the offending token.
 */
import type { Token } from '../lexer';
import type { ObjectName } from '../ast';
import { SqlError, sqlErrors } from '../sql-error';
import { RESERVED } from './reserved-words';

export class Cursor {
  private index = 0;

  constructor(readonly tokens: Token[], readonly source: string) {}

  get position(): number {
    return this.index;
  }

  set position(value: number) {
    this.index = value;
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  previous(): Token {
    return this.tokens[Math.max(0, this.index - 1)];
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  isWord(...words: string[]): boolean {
    const token = this.peek();
    return token.kind === 'word' && words.includes(token.value);
  }

  isWordAt(ahead: number, ...words: string[]): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && words.includes(token.value);
  }

  isPunct(value: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.value === value;
  }

  isOperator(...values: string[]): boolean {
    const token = this.peek();
    return token.kind === 'operator' && values.includes(token.value);
  }

  acceptWord(...words: string[]): string | undefined {
    if (!this.isWord(...words)) return undefined;
    return this.next().value;
  }

  expectWord(...words: string[]): string {
    const word = this.acceptWord(...words);
    if (word === undefined) throw this.syntaxError();
    return word;
  }

  acceptPunct(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.next();
    return true;
  }

  expectPunct(value: string): void {
    if (!this.acceptPunct(value)) throw this.syntaxError();
  }

  acceptOperator(...values: string[]): string | undefined {
    if (!this.isOperator(...values)) return undefined;
    return this.next().value;
  }

  expectOperator(value: string): void {
    if (!this.acceptOperator(value)) throw this.syntaxError();
  }

  /** True when the current token can name something: a non-reserved word or a delimited identifier. */
  isIdentifier(ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'quoted' || (token.kind === 'word' && !RESERVED.has(token.value));
  }

  /** An identifier; `allowReserved` for places where SQL Server accepts any word (after a dot, for instance). */
  identifier(allowReserved = false): string {
    const token = this.peek();
    if (token.kind === 'quoted' || (token.kind === 'word' && (allowReserved || !RESERVED.has(token.value)))) {
      this.next();
      return token.kind === 'quoted' ? token.value : token.text;
    }
    throw this.syntaxError();
  }

  /**
   * [server.][database.][schema.]name — empty parts allowed in the middle (db..name) and in front
   * (.[sys].[all_columns], ..sp_tablecollations_100: the current database, as SqlBulkCopy writes).
   */
  objectName(): ObjectName {
    const line = this.peek().line;
    // A table variable (@t) stands where a table's name does: FROM @t, INSERT INTO @t, UPDATE @t.
    if (this.peek().kind === 'variable') return { parts: [this.next().value], line };
    const parts: string[] = [];
    while (this.isPunct('.') && parts.length < 3) {
      this.next();
      parts.push('');
    }
    parts.push(this.identifier(parts.length > 0));
    while (this.isPunct('.') && parts.length < 4) {
      this.next();
      if (this.isPunct('.')) {
        parts.push('');
        continue;
      }
      parts.push(this.identifier(true));
    }
    return { parts, line };
  }

  /** Source text between two token positions (procedure and view bodies keep their text). */
  textBetween(startIndex: number, endIndex: number): string {
    const start = this.tokens[startIndex].start;
    const end = this.tokens[Math.max(startIndex, endIndex - 1)].end;
    return this.source.slice(start, end);
  }

  syntaxError(): SqlError {
    const token = this.peek();
    if (token.kind === 'eof') {
      const last = this.previous();
      return (last.kind === 'eof' ? sqlErrors.incorrectSyntaxAtEnd() : sqlErrors.incorrectSyntax(nearText(last))).at(last.line);
    }
    return sqlErrors.incorrectSyntax(nearText(token)).at(token.line);
  }
}

function nearText(token: Token): string {
  return token.kind === 'string' || token.kind === 'quoted' ? token.value : token.text;
}
