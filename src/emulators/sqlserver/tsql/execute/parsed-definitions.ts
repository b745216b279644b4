/**
 * Stored module definitions (procedures, triggers) parsed once per source text: a procedure or
 * trigger runs far more often than it is created. Bounded, because sources may be dynamic.
 */
import type { Statement } from '../ast';
import { parseBatch } from '../parser/parser';
import { sqlErrors } from '../sql-error';

const MAX_CACHED = 200;
const parsed = new Map<string, Statement>();

/** The CREATE statement of a stored definition; `what` names it if it no longer parses as `kind`. */
export function parsedDefinition<K extends Statement['kind']>(source: string, kind: K, what: string): Statement & { kind: K } {
  let statement = parsed.get(source);
  if (!statement) {
    [statement] = parseBatch(source);
    if (parsed.size > MAX_CACHED) parsed.clear();
    if (statement) parsed.set(source, statement);
  }
  if (statement?.kind !== kind) throw sqlErrors.internal(`${what} no longer parses`);
  return statement as Statement & { kind: K };
}
