/**
 * The OData query options of GET /tables/{t}/items: $select, $filter, $orderby, $top, $skip and
 * the server's own $skiptoken (see paging.ts). Every column named must be one of the table's.
 */
import { TableInfo, findColumn, isComparable } from '../catalog/model';
import { sqlErrors } from '../errors';
import { FilterNode, parseFilter } from './filter-parser';

export interface OrderItem {
  column: string;
  descending: boolean;
}

export interface ItemsQuery {
  /** Canonical column names, or undefined for all columns. */
  select?: string[];
  filterText?: string;
  filter?: FilterNode;
  orderBy: OrderItem[];
  top?: number;
  skip?: number;
  skipToken?: string;
}

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$skip', '$skiptoken']);
const MAX_ORDER_ITEMS = 16;

/** Reads the query string (as Express parsed it); unsupported $options are refused, others ignored. */
export function parseItemsQuery(query: Record<string, unknown>, table: TableInfo): ItemsQuery {
  const options = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (!name.startsWith('$')) continue;
    const lower = name.toLowerCase();
    if (!SUPPORTED.has(lower)) {
      throw sqlErrors.invalidQueryOption(name, 'is not supported; use $select, $filter, $orderby, $top, $skip.');
    }
    if (typeof value !== 'string') throw sqlErrors.invalidQueryOption(name, 'must be given once, as text.');
    if (options.has(lower)) throw sqlErrors.invalidQueryOption(name, 'is given twice.');
    options.set(lower, value);
  }
  const filterText = options.get('$filter');
  return {
    select: options.has('$select') ? parseSelect(options.get('$select')!, table) : undefined,
    filterText,
    filter: filterText === undefined ? undefined : parseFilter(filterText),
    orderBy: options.has('$orderby') ? parseOrderBy(options.get('$orderby')!, table) : [],
    top: parseCount(options.get('$top'), '$top'),
    skip: parseCount(options.get('$skip'), '$skip'),
    skipToken: options.get('$skiptoken'),
  };
}

export function parseSelect(text: string, table: TableInfo, option = '$select'): string[] | undefined {
  const items = text.split(',').map((item) => item.trim());
  if (items.length === 1 && items[0] === '*') return undefined;
  if (items.some((item) => item === '')) throw sqlErrors.invalidQueryOption(option, 'has an empty column name.');
  const names: string[] = [];
  for (const item of items) {
    const column = findColumn(table, item);
    if (!column) throw sqlErrors.columnNotFound(table.name, item, option);
    if (names.includes(column.name)) throw sqlErrors.invalidQueryOption(option, `names column '${column.name}' twice.`);
    names.push(column.name);
  }
  return names;
}

export function parseOrderBy(text: string, table: TableInfo): OrderItem[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.length > MAX_ORDER_ITEMS) throw sqlErrors.invalidQueryOption('$orderby', `has more than ${MAX_ORDER_ITEMS} columns.`);
  const order: OrderItem[] = [];
  for (const item of items) {
    const match = /^(\S+)(?:\s+(asc|desc))?$/i.exec(item);
    if (!match) throw sqlErrors.invalidQueryOption('$orderby', `expected "column [asc|desc]", not '${item.slice(0, 64)}'.`);
    const column = findColumn(table, match[1]);
    if (!column) throw sqlErrors.columnNotFound(table.name, match[1], '$orderby');
    if (!isComparable(column)) throw sqlErrors.invalidQueryOption('$orderby', `column '${column.name}' (${column.dataType}) cannot be sorted.`);
    if (order.some((o) => o.column === column.name)) throw sqlErrors.invalidQueryOption('$orderby', `names column '${column.name}' twice.`);
    order.push({ column: column.name, descending: match[2]?.toLowerCase() === 'desc' });
  }
  return order;
}

function parseCount(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text.trim()) || Number(text) > 2_147_483_647) {
    throw sqlErrors.invalidQueryOption(option, 'must be a whole number from 0 to 2147483647.');
  }
  return Number(text);
}
