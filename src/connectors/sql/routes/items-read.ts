/**
 * GET /tables/{t}/items (OData $select/$filter/$orderby/$top/$skip, keyset-paged behind an opaque
 * nextLink) and GET /tables/{t}/items/{key}.
 */
import { Request, Response, Router } from 'express';
import { errors } from '../../../common/errors';
import { TableInfo, findColumn, qualifiedName } from '../catalog/model';
import { formatColumnValue, formatRow } from '../catalog/row-format';
import { buildSelect, columnsWithExtras } from '../catalog/select-builder';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';
import { linkTo } from '../http/links';
import { arrayItems, streamJsonRows } from '../http/stream-query';
import { compileFilter } from '../odata/compile-filter';
import { parseFilter } from '../odata/filter-parser';
import { formatKey, keyCondition, parseKeySegment } from '../odata/key-segment';
import { PageState, decodeSkipToken, encodeSkipToken, keysetCondition, orderByClause, totalOrder } from '../odata/paging';
import { parseItemsQuery, parseSelect } from '../odata/query-options';

export function itemReadRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/tables/:table/items', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    await sendPage(ctx, req, res, table, pageState(req, table));
  });
  router.get('/tables/:table/items/:key', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const key = parseKeySegment(String(req.params.key), table);
    const selectText = typeof req.query.$select === 'string' ? req.query.$select : undefined;
    const selected = selectText === undefined ? undefined : parseSelect(selectText, table);
    const columns = selected ? selected.map((name) => findColumn(table, name)!) : table.columns;
    const bag = new ParameterBag();
    const text = buildSelect({ table, columns, conditions: [keyCondition(key, bag)], top: 1 });
    const result = await ctx.db.run({ text, parameters: bag });
    const row = result.recordset?.[0];
    if (!row) throw errors.itemNotFound(table.name, formatKey(key));
    res.json(formatRow(row, new Map(table.columns.map((c) => [c.name, c]))));
  });
  return router;
}

/** The page to serve: from the query options, or from the $skiptoken of a previous page. */
function pageState(req: Request, table: TableInfo): PageState {
  const query = parseItemsQuery(req.query as Record<string, unknown>, table);
  if (query.skipToken === undefined) {
    return { table: qualifiedName(table), select: query.select, filter: query.filterText, orderBy: query.orderBy, remaining: query.top, offset: query.skip };
  }
  if (query.select || query.filterText !== undefined || query.orderBy.length > 0 || query.top !== undefined || query.skip !== undefined) {
    throw sqlErrors.invalidQueryOption('$skiptoken', 'carries the other query options itself; use the nextLink as it is.');
  }
  const state = decodeSkipToken(query.skipToken, table);
  // Names in a token are checked again, as if they came in the query string.
  if (state.select) parseSelect(state.select.join(','), table, '$skiptoken');
  for (const item of state.orderBy) if (!findColumn(table, item.column)) throw sqlErrors.invalidQueryOption('$skiptoken', 'names an unknown column.');
  return state;
}

async function sendPage(ctx: ConnectorContext, req: Request, res: Response, table: TableInfo, state: PageState): Promise<void> {
  const pageSize = ctx.settings.pageSize;
  const pageLimit = Math.min(pageSize, state.remaining ?? Number.MAX_SAFE_INTEGER);
  if (pageLimit === 0) {
    res.json({ value: [] });
    return;
  }
  const lastPage = state.remaining !== undefined && state.remaining <= pageSize;
  const { order, keyed } = totalOrder(table, state.orderBy);
  const bag = new ParameterBag();
  const conditions: string[] = [];
  if (state.filter !== undefined) conditions.push(compileFilter(parseFilter(state.filter), table, bag));
  if (keyed && state.after) conditions.push(keysetCondition(table, order, state.after, bag));
  const offset = keyed && state.after ? 0 : (state.offset ?? 0);
  const { columns, keep } = columnsWithExtras(table, state.select, keyed ? order.map((o) => o.column) : []);
  const text = buildSelect({ table, columns, conditions, orderBy: orderByClause(order), top: lastPage ? pageLimit : pageLimit + 1, offset });
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const item = arrayItems();
  let count = 0;
  let last: Record<string, unknown> | undefined;
  await streamJsonRows(ctx, res, { text, parameters: bag }, {
    head: '{"value":[',
    row: (row) => {
      count += 1;
      if (count > pageLimit) return undefined;
      last = row;
      return item(JSON.stringify(formatRow(row, byName, keep)));
    },
    tail: () => {
      const more = !lastPage && count > pageLimit && last !== undefined;
      if (!more) return ']}';
      const next: PageState = {
        ...state,
        remaining: state.remaining === undefined ? undefined : state.remaining - pageLimit,
        after: keyed ? order.map((o) => formatColumnValue(byName.get(o.column), last![o.column])) : undefined,
        offset: keyed ? undefined : offset + pageLimit,
      };
      const link = linkTo(req, `/tables/${encodeURIComponent(String(req.params.table))}/items?$skiptoken=${encodeSkipToken(next)}`);
      return `],"nextLink":${JSON.stringify(link)}}`;
    },
  });
}
