/**
 * Server-driven paging for GET /tables/{t}/items. Rows come in a total order (the caller's
 * $orderby, then the primary key — or the identity column — as tie-breaker); the next page starts
 * strictly after the last row's values (keyset paging), so pages neither skip nor repeat rows when
 * others insert or delete meanwhile. Tables with no key fall back to OFFSET paging. The state
 * travels in an opaque $skiptoken (base64url JSON); it carries no secret, and everything in it is
 * validated again and bound as parameters, so a forged token can do no more than a query string.
 */
import { bindColumnValue } from '../catalog/bind-value';
import { quoteIdentifier } from '../catalog/identifiers';
import { TableInfo, findColumn, isComparable, qualifiedName } from '../catalog/model';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';
import { OrderItem } from './query-options';

export interface PageState {
  /** schema.name of the table the token belongs to. */
  table: string;
  select?: string[];
  filter?: string;
  orderBy: OrderItem[];
  /** What is left of $top. */
  remaining?: number;
  /** Values of the full order's columns for the last row sent (keyset paging). */
  after?: unknown[];
  /** Rows to skip (OFFSET paging, tables without a key). */
  offset?: number;
}

const TOKEN_VERSION = 1;
const MAX_TOKEN_LENGTH = 32_768;
const OPTION = '$skiptoken';

export function encodeSkipToken(state: PageState): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, ...state }), 'utf8').toString('base64url');
}

export function decodeSkipToken(token: string, table: TableInfo): PageState {
  const bad = () => sqlErrors.invalidQueryOption(OPTION, 'is not a token this connector made for this table; start again without it.');
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad();
  }
  if (typeof raw !== 'object' || raw === null || raw.v !== TOKEN_VERSION || raw.table !== qualifiedName(table)) throw bad();
  const isCount = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0);
  const isNames = (a: unknown) => a === undefined || (Array.isArray(a) && a.every((x) => typeof x === 'string'));
  const orderOk =
    Array.isArray(raw.orderBy) &&
    raw.orderBy.every((o) => typeof o === 'object' && o !== null && typeof o.column === 'string' && typeof o.descending === 'boolean');
  if (!isCount(raw.remaining) || !isCount(raw.offset) || !isNames(raw.select) || !orderOk) throw bad();
  if ((raw.filter !== undefined && typeof raw.filter !== 'string') || (raw.after !== undefined && !Array.isArray(raw.after))) throw bad();
  return {
    table: raw.table as string,
    select: raw.select as string[] | undefined,
    filter: raw.filter as string | undefined,
    orderBy: raw.orderBy as OrderItem[],
    remaining: raw.remaining as number | undefined,
    after: raw.after as unknown[] | undefined,
    offset: raw.offset as number | undefined,
  };
}

/** The caller's order completed to a total order; `keyed` is false when the table has no key. */
export function totalOrder(table: TableInfo, orderBy: OrderItem[]): { order: OrderItem[]; keyed: boolean } {
  const identity = table.columns.find((c) => c.identity);
  const key = table.primaryKey.length > 0 ? table.primaryKey : identity ? [identity.name] : [];
  const extra = key.length > 0 ? key : table.columns.filter(isComparable).map((c) => c.name);
  const order = [...orderBy];
  for (const name of extra) if (!order.some((o) => o.column === name)) order.push({ column: name, descending: false });
  return { order, keyed: key.length > 0 };
}

/**
 * "Strictly after the row whose order values are `after`": for columns c1..cn,
 * OR over i of (c1 = v1 AND … AND c(i-1) = v(i-1) AND ci beyond vi). SQL Server sorts NULL first
 * ascending and last descending, which the per-column conditions follow.
 */
export function keysetCondition(table: TableInfo, order: OrderItem[], after: unknown[], bag: ParameterBag): string {
  if (after.length !== order.length) throw sqlErrors.invalidQueryOption(OPTION, 'does not match the order of this query.');
  const fail = (message: string) => sqlErrors.invalidQueryOption(OPTION, message);
  const equal: string[] = [];
  const branches: string[] = [];
  order.forEach((item, i) => {
    const column = findColumn(table, item.column);
    if (!column || !isComparable(column)) throw sqlErrors.invalidQueryOption(OPTION, 'names a column this table does not have.');
    const ref = quoteIdentifier(column.name);
    const value = after[i];
    const placeholder = value === null ? undefined : bindColumnValue(bag, column, value, fail);
    let beyond: string;
    if (placeholder === undefined) beyond = item.descending ? '1 = 0' : `${ref} IS NOT NULL`;
    else beyond = item.descending ? `(${ref} < ${placeholder} OR ${ref} IS NULL)` : `${ref} > ${placeholder}`;
    branches.push(`(${[...equal, beyond].join(' AND ')})`);
    equal.push(placeholder === undefined ? `${ref} IS NULL` : `${ref} = ${placeholder}`);
  });
  return `(${branches.join(' OR ')})`;
}

export function orderByClause(order: OrderItem[]): string {
  return order.map((o) => `${quoteIdentifier(o.column)} ${o.descending ? 'DESC' : 'ASC'}`).join(', ');
}
