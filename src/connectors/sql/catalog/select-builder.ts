/**
 * Builds the SELECT statements of table operations from catalog names only: the column list (with
 * the exact-type conversions of row-format.ts), WHERE conditions already compiled to parameters,
 * ORDER BY, and TOP or OFFSET … FETCH with integers the connector computed itself.
 */
import { quoteQualified } from './identifiers';
import { ColumnInfo, TableInfo } from './model';
import { selectItem } from './row-format';

export interface SelectSpec {
  table: TableInfo;
  columns: ColumnInfo[];
  conditions?: string[];
  orderBy?: string;
  top?: number;
  offset?: number;
}

function integer(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Not a row count: ${n}`);
  return String(n);
}

export function buildSelect(spec: SelectSpec): string {
  const items = spec.columns.map((c) => selectItem(c)).join(', ');
  const conditions = (spec.conditions ?? []).filter((c) => c.length > 0);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = spec.orderBy ? ` ORDER BY ${spec.orderBy}` : '';
  if (spec.offset !== undefined && spec.offset > 0) {
    if (!spec.orderBy) throw new Error('OFFSET needs ORDER BY');
    const fetch = spec.top === undefined ? '' : ` FETCH NEXT ${integer(spec.top)} ROWS ONLY`;
    return `SELECT ${items} FROM ${quoteQualified(spec.table)}${where}${order} OFFSET ${integer(spec.offset)} ROWS${fetch};`;
  }
  const top = spec.top === undefined ? '' : `TOP (${integer(spec.top)}) `;
  return `SELECT ${top}${items} FROM ${quoteQualified(spec.table)}${where}${order};`;
}

/** The output columns plus any the query needs but the caller did not select (order and key columns). */
export function columnsWithExtras(table: TableInfo, selected: string[] | undefined, needed: string[]): { columns: ColumnInfo[]; keep?: Set<string> } {
  if (!selected) return { columns: table.columns };
  const names = [...selected];
  for (const name of needed) if (!names.includes(name)) names.push(name);
  const columns = names.map((name) => table.columns.find((c) => c.name === name)!).filter(Boolean);
  return { columns, keep: names.length === selected.length ? undefined : new Set(selected) };
}
