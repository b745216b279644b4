/**
 * How table rows leave the connector without losing anything: bigint, decimal and money as exact
 * strings (converted in the generated SQL, since the driver rounds decimals through a JavaScript
 * number), datetimeoffset with its offset, date and time types as ISO 8601 text without an invented
 * time zone, binary as base64.
 */
import { quoteIdentifier } from './identifiers';
import { ColumnInfo } from './model';

/** The SELECT-list item for a column, aliased to the column's own name. */
export function selectItem(column: ColumnInfo, source = ''): string {
  const ref = `${source}${quoteIdentifier(column.name)}`;
  const alias = quoteIdentifier(column.name);
  switch (column.dataType.toLowerCase()) {
    case 'decimal':
    case 'numeric':
      return `CAST(${ref} AS varchar(50)) AS ${alias}`;
    case 'money':
      return `CAST(CAST(${ref} AS decimal(19,4)) AS varchar(50)) AS ${alias}`;
    case 'smallmoney':
      return `CAST(CAST(${ref} AS decimal(10,4)) AS varchar(50)) AS ${alias}`;
    case 'datetimeoffset':
      return `CAST(${ref} AS varchar(40)) AS ${alias}`;
    default:
      return source === '' ? ref : `${ref} AS ${alias}`;
  }
}

/** Formats one value as it came from the driver for the given column. */
export function formatColumnValue(column: ColumnInfo | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return value.toString();
  const type = column?.dataType.toLowerCase();
  if (value instanceof Date) return formatDate(type, value);
  if (type === 'datetimeoffset' && typeof value === 'string') return isoOffset(value);
  if (type === 'bigint' && typeof value === 'number') return String(value);
  return value;
}

/** Formats a driver value when no column type is known (procedures, /query). */
export function formatDriverValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Sub-second digits from the Date's milliseconds plus tedious's nanosecondsDelta, trailing zeros dropped. */
function fraction(date: Date): string {
  const delta = (date as Date & { nanosecondsDelta?: number }).nanosecondsDelta ?? 0;
  const ticks = date.getUTCMilliseconds() * 10000 + Math.round(delta * 1e7);
  if (ticks === 0) return '';
  return `.${pad(ticks, 7).replace(/0+$/, '')}`;
}

function formatDate(type: string | undefined, date: Date): string {
  if (Number.isNaN(date.getTime())) return String(date);
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${fraction(date)}`;
  if (type === 'date') return day;
  if (type === 'time') return time;
  if (type === 'datetimeoffset') return `${day}T${time}Z`;
  if (type === 'datetime' || type === 'datetime2' || type === 'smalldatetime') return `${day}T${time}`;
  return date.toISOString();
}

/** "2024-01-02 03:04:05.1234567 +02:00" (CAST of a datetimeoffset) → "2024-01-02T03:04:05.1234567+02:00". */
export function isoOffset(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)? ?([+-]\d{2}:\d{2}|Z)$/.exec(text.trim());
  if (!match) return text;
  const digits = (match[3] ?? '').replace(/0+$/, '');
  return `${match[1]}T${match[2]}${digits === '.' ? '' : digits}${match[4]}`;
}

/** A row object keyed by column name, formatted for JSON, keeping only `keep` when given. */
export function formatRow(row: Record<string, unknown>, columns: Map<string, ColumnInfo>, keep?: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (keep && !keep.has(name)) continue;
    out[name] = formatColumnValue(columns.get(name), value);
  }
  return out;
}
