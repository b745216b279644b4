/**
 * Identifier quoting for generated T-SQL. Only names taken from the catalog are ever quoted and
 * spliced; a closing bracket inside a name is doubled, as QUOTENAME does.
 */

export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.length > 128 || name.includes('\u0000')) {
    throw new Error('An identifier must be 1 to 128 characters without NUL.');
  }
  return `[${name.replace(/]/g, ']]')}]`;
}

/** [schema].[name] */
export function quoteQualified(object: { schema: string; name: string }): string {
  return `${quoteIdentifier(object.schema)}.${quoteIdentifier(object.name)}`;
}

/**
 * Splits a user-given object name ("Orders", "dbo.Orders", "[dbo].[Order Lines]") into an optional
 * schema and a name; undefined when it is not a one- or two-part name.
 */
export function splitObjectName(text: string): { schema?: string; name: string } | undefined {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '[') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === ']') {
          if (text[i + 1] === ']') {
            part += ']';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += text[i];
        i += 1;
      }
      parts.push(part);
    } else {
      const end = text.indexOf('.', i);
      const part = end === -1 ? text.slice(i) : text.slice(i, end);
      if (part.includes('[') || part.includes(']')) return undefined;
      parts.push(part);
      i = end === -1 ? text.length : end;
    }
    if (i < text.length) {
      if (text[i] !== '.') return undefined;
      i += 1;
      if (i === text.length) return undefined;
    }
  }
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p.length === 0 || p.length > 128)) return undefined;
  return parts.length === 2 ? { schema: parts[0], name: parts[1] } : { name: parts[0] };
}
