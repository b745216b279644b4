/**
 * Parses an OData $filter into a small tree: comparisons (eq ne gt ge lt le), and / or / not,
 * null, and the functions startswith, endswith and contains. Bounded in length, depth and size,
 * so a hostile filter cannot exhaust the stack or build an unbounded statement.
 */
import { sqlErrors } from '../errors';
import { Token, tokenize } from './lexer';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FunctionName = 'startswith' | 'endswith' | 'contains';

export type Operand =
  | { kind: 'column'; name: string; position: number }
  | { kind: 'literal'; type: 'string' | 'number' | 'boolean' | 'null' | 'datetime' | 'guid'; value: string | boolean | null; position: number };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'function'; name: FunctionName; column: Operand; argument: Operand };

export const FILTER_LIMITS = { maxLength: 8192, maxDepth: 32, maxNodes: 200 };

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['startswith', 'endswith', 'contains']);
const OPTION = '$filter';

export function parseFilter(text: string): FilterNode {
  if (text.length > FILTER_LIMITS.maxLength) {
    throw sqlErrors.invalidQueryOption(OPTION, `is longer than ${FILTER_LIMITS.maxLength} characters.`);
  }
  if (text.trim() === '') throw sqlErrors.invalidQueryOption(OPTION, 'is empty.');
  return new FilterParser(tokenize(text, OPTION)).parseAll();
}

class FilterParser {
  private index = 0;
  private depth = 0;
  private nodes = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') this.fail(`unexpected '${next.text}' at position ${next.position}.`, next.position);
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.index += 1;
      left = this.count({ kind: 'or', left, right: this.parseAnd() });
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      this.index += 1;
      left = this.count({ kind: 'and', left, right: this.parseNot() });
    }
    return left;
  }

  private parseNot(): FilterNode {
    if (this.isKeyword('not')) {
      this.index += 1;
      return this.nested(() => this.count({ kind: 'not', operand: this.parseNot() }));
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const token = this.peek();
    if (token.kind === 'open') {
      this.index += 1;
      const inner = this.nested(() => this.parseOr());
      this.expect('close', "')'");
      return this.maybeBooleanCompare(inner);
    }
    if (token.kind === 'identifier' && FUNCTIONS.has(token.text.toLowerCase()) && this.tokens[this.index + 1]?.kind === 'open') {
      return this.maybeBooleanCompare(this.parseFunction());
    }
    const left = this.parseOperand();
    const op = this.peek();
    if (op.kind !== 'keyword' || !COMPARE_OPS.has(op.text)) {
      this.fail(`expected a comparison operator (eq, ne, gt, ge, lt, le) at position ${op.position}.`, op.position);
    }
    this.index += 1;
    const right = this.parseOperand();
    return this.count({ kind: 'compare', op: op.text as CompareOp, left, right });
  }

  /** `startswith(Name,'a') eq true` and `(…) eq false` are boolean comparisons of a predicate. */
  private maybeBooleanCompare(node: FilterNode): FilterNode {
    const op = this.peek();
    if (op.kind !== 'keyword' || (op.text !== 'eq' && op.text !== 'ne')) return node;
    const value = this.tokens[this.index + 1];
    if (value?.kind !== 'keyword' || (value.text !== 'true' && value.text !== 'false')) {
      this.fail(`a condition can only be compared with true or false (position ${op.position}).`, op.position);
    }
    this.index += 2;
    const keep = (op.text === 'eq') === (value.text === 'true');
    return keep ? node : this.count({ kind: 'not', operand: node });
  }

  private parseFunction(): FilterNode {
    const name = this.peek().text.toLowerCase() as FunctionName;
    this.index += 2;
    const column = this.parseOperand();
    this.expect('comma', "','");
    const argument = this.parseOperand();
    this.expect('close', "')'");
    return this.count({ kind: 'function', name, column, argument });
  }

  private parseOperand(): Operand {
    const token = this.peek();
    this.index += 1;
    const at = token.position;
    switch (token.kind) {
      case 'identifier':
        return { kind: 'column', name: token.text, position: at };
      case 'string':
        return { kind: 'literal', type: 'string', value: token.text, position: at };
      case 'number':
        return { kind: 'literal', type: 'number', value: token.text, position: at };
      case 'datetime':
        return { kind: 'literal', type: 'datetime', value: token.text, position: at };
      case 'guid':
        return { kind: 'literal', type: 'guid', value: token.text, position: at };
      case 'keyword':
        if (token.text === 'null') return { kind: 'literal', type: 'null', value: null, position: at };
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', type: 'boolean', value: token.text === 'true', position: at };
        break;
      default:
        break;
    }
    return this.fail(`expected a column name or a literal at position ${at}${token.kind === 'end' ? ' (the filter ends too early)' : ''}.`, at);
  }

  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > FILTER_LIMITS.maxDepth) this.fail(`nests deeper than ${FILTER_LIMITS.maxDepth} levels.`);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private count(node: FilterNode): FilterNode {
    this.nodes += 1;
    if (this.nodes > FILTER_LIMITS.maxNodes) this.fail(`has more than ${FILTER_LIMITS.maxNodes} conditions.`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.text === word;
  }

  private expect(kind: Token['kind'], what: string): void {
    const token = this.peek();
    if (token.kind !== kind) this.fail(`expected ${what} at position ${token.position}.`, token.position);
    this.index += 1;
  }

  private fail(message: string, position?: number): never {
    throw sqlErrors.invalidQueryOption(OPTION, message, position);
  }
}
