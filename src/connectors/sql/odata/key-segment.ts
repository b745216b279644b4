/**
 * The {key} segment of /tables/{t}/items/{key}: `42`, `'ALFKI'` or `ALFKI` for a one-column key,
 * `OrderId=1,LineNo=2` (values optionally quoted, '' for a quote) for a composite key. Every key
 * column must be given once; the values become typed parameters.
 */
import { bindColumnValue } from '../catalog/bind-value';
import { quoteIdentifier } from '../catalog/identifiers';
import { ColumnInfo, TableInfo, findColumn } from '../catalog/model';
import { ParameterBag } from '../db/parameters';
import { sqlErrors, truncate } from '../errors';

const OPTION = 'key';

export interface KeyValue {
  column: ColumnInfo;
  value: string;
}

export function parseKeySegment(segment: string, table: TableInfo): KeyValue[] {
  if (table.primaryKey.length === 0) {
    throw sqlErrors.invalidQueryOption(OPTION, `table '${table.name}' has no primary key, so its rows cannot be addressed one by one.`);
  }
  if (segment.length === 0 || segment.length > 4096) throw sqlErrors.invalidQueryOption(OPTION, 'is empty or too long.');
  const parts = splitParts(segment);
  const named = parts.map(parseNamedPart);
  if (table.primaryKey.length === 1 && parts.length === 1 && named[0] === undefined) {
    const column = findColumn(table, table.primaryKey[0])!;
    return [{ column, value: unquote(parts[0]) }];
  }
  if (named.some((n) => n === undefined)) {
    throw sqlErrors.invalidQueryOption(OPTION, `give every key column as Name=value: ${table.primaryKey.join(', ')}.`);
  }
  const values: KeyValue[] = [];
  for (const part of named as Array<{ name: string; value: string }>) {
    const column = findColumn(table, part.name);
    if (!column) throw sqlErrors.columnNotFound(table.name, part.name, OPTION);
    if (!table.primaryKey.includes(column.name)) throw sqlErrors.invalidQueryOption(OPTION, `'${column.name}' is not a key column.`);
    if (values.some((v) => v.column.name === column.name)) throw sqlErrors.invalidQueryOption(OPTION, `names '${column.name}' twice.`);
    values.push({ column, value: part.value });
  }
  const missing = table.primaryKey.filter((name) => !values.some((v) => v.column.name === name));
  if (missing.length > 0) throw sqlErrors.invalidQueryOption(OPTION, `is missing key column(s) ${missing.join(', ')}.`);
  return values;
}

/** `[a] = @p0 AND [b] = @p1` */
export function keyCondition(key: KeyValue[], bag: ParameterBag): string {
  const fail = (message: string) => sqlErrors.invalidQueryOption(OPTION, message);
  return key.map((k) => `${quoteIdentifier(k.column.name)} = ${bindColumnValue(bag, k.column, k.value, fail)}`).join(' AND ');
}

/** For messages and Location headers: `42` or `OrderId=1,LineNo=2`. */
export function formatKey(key: Array<{ column: { name: string }; value: unknown }>): string {
  if (key.length === 1) return quoteIfNeeded(String(key[0].value));
  return key.map((k) => `${k.column.name}=${quoteIfNeeded(String(k.value))}`).join(',');
}

function quoteIfNeeded(value: string): string {
  return /^[A-Za-z0-9._:+-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/** Splits on commas outside quotes. */
function splitParts(segment: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < segment.length; i += 1) {
    const ch = segment[i];
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (quoted) throw sqlErrors.invalidQueryOption(OPTION, 'has a quote that is not closed.');
  parts.push(current);
  return parts.map((p) => p.trim());
}

function parseNamedPart(part: string): { name: string; value: string } | undefined {
  const match = /^([\p{L}_][\p{L}\p{N}_ ]*?)\s*=\s*(.*)$/su.exec(part);
  if (!match || match[1].startsWith("'")) return undefined;
  return { name: match[1], value: unquote(match[2]) };
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) throw sqlErrors.invalidQueryOption(OPTION, `'${truncate(text)}' has a stray quote.`);
    return inner.replace(/''/g, "'");
  }
  if (text.includes("'")) throw sqlErrors.invalidQueryOption(OPTION, `'${truncate(text)}' has a stray quote.`);
  return text;
}
