/**
 * SQL Server's LIKE: `%` and `_`, character classes `[a-c]` and `[^a]`, an optional ESCAPE
 * character, case-insensitive under the default collation. Patterns compile to cached RegExps.
 */
const cache = new Map<string, RegExp>();

export function likePattern(pattern: string, escape?: string, anchored = true): RegExp {
  const key = `${anchored ? 'a' : 's'}\u0000${escape ?? ''}\u0000${pattern}`;
  let regex = cache.get(key);
  if (regex) return regex;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (escape !== undefined && char === escape && i + 1 < pattern.length) {
      source += escapeRegex(pattern[++i]);
    } else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) { source += '\\['; continue; }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else source += escapeRegex(char);
  }
  regex = new RegExp(anchored ? `^${source}$` : source, 'isu');
  if (cache.size > 500) cache.clear();
  cache.set(key, regex);
  return regex;
}

function escapeRegex(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function like(value: unknown, pattern: unknown, escape?: unknown): number | null {
  if (value === null || value === undefined || pattern === null || pattern === undefined) return null;
  return likePattern(String(pattern), escape === undefined || escape === null ? undefined : String(escape)).test(String(value)) ? 1 : 0;
}

/** PATINDEX: 1-based position of the first match, 0 when none. */
export function patindex(pattern: unknown, value: unknown): number | null {
  if (value === null || pattern === null) return null;
  let text = String(pattern);
  // PATINDEX patterns are written with surrounding % signs; search instead of anchoring.
  text = text.replace(/^%/, '').replace(/%$/, '');
  const match = likePattern(text, undefined, false).exec(String(value));
  return match ? match.index + 1 : 0;
}
