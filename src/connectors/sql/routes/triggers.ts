/**
 * Today's table triggers, polled: GET /tables/{t}/triggers/new (rows whose IDENTITY value is past
 * the state) and /triggers/changed (rows whose ROWVERSION is past the state, so inserts and
 * updates). ?triggerState= carries the opaque state from the last 200; an empty state starts from
 * the beginning of the table. 202 + Retry-After when nothing is new; 200
 * {"value":[…],"triggerState":"…"} otherwise, with Retry-After: 0 when a full page suggests more.
 * Optional $filter and $select apply as on /items.
 */
import { Request, Router } from 'express';
import { errors } from '../../../common/errors';
import { quoteIdentifier } from '../catalog/identifiers';
import { ColumnInfo, TableInfo, isRowversion, qualifiedName } from '../catalog/model';
import { formatColumnValue, formatRow } from '../catalog/row-format';
import { bindColumnValue } from '../catalog/bind-value';
import { buildSelect, columnsWithExtras } from '../catalog/select-builder';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';
import { compileFilter } from '../odata/compile-filter';
import { parseFilter } from '../odata/filter-parser';
import { parseSelect } from '../odata/query-options';
import { POLL_RETRY_AFTER_SECONDS } from './poll';

type TriggerKind = 'new' | 'changed';

export function triggerRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/tables/:table/triggers/:kind', async (req, res) => {
    const kind = String(req.params.kind);
    if (kind !== 'new' && kind !== 'changed') throw errors.notFound(req.path);
    const table = await ctx.table(String(req.params.table));
    const watermark = watermarkColumn(table, kind);
    const after = decodeState(req.query.triggerState, table, kind);
    const bag = new ParameterBag();
    const conditions: string[] = [];
    const filterText = stringOption(req, '$filter');
    if (filterText !== undefined) conditions.push(compileFilter(parseFilter(filterText), table, bag));
    const fail = () => sqlErrors.invalidQueryOption('triggerState', 'is not a state this trigger made.');
    if (after !== undefined) conditions.push(`${quoteIdentifier(watermark.name)} > ${bindColumnValue(bag, watermark, after, fail)}`);
    const selectText = stringOption(req, '$select');
    const selected = selectText === undefined ? undefined : parseSelect(selectText, table);
    const { columns, keep } = columnsWithExtras(table, selected, [watermark.name]);
    const pageSize = ctx.settings.pageSize;
    const text = buildSelect({ table, columns, conditions, orderBy: `${quoteIdentifier(watermark.name)} ASC`, top: pageSize });
    const rows = ((await ctx.db.run({ text, parameters: bag })).recordset ?? []) as Array<Record<string, unknown>>;
    if (rows.length === 0) {
      res.setHeader('Retry-After', String(POLL_RETRY_AFTER_SECONDS));
      res.status(202).end();
      return;
    }
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const last = formatColumnValue(watermark, rows[rows.length - 1][watermark.name]);
    if (rows.length >= pageSize) res.setHeader('Retry-After', '0');
    res.json({ value: rows.map((row) => formatRow(row, byName, keep)), triggerState: encodeState(table, kind, last) });
  });
  return router;
}

function watermarkColumn(table: TableInfo, kind: TriggerKind): ColumnInfo {
  const column = kind === 'new' ? table.columns.find((c) => c.identity) : table.columns.find(isRowversion);
  if (!column) {
    throw errors.badRequest(
      kind === 'new'
        ? `Table '${table.name}' has no IDENTITY column, which the "new" trigger needs.`
        : `Table '${table.name}' has no ROWVERSION column, which the "changed" trigger needs.`,
    );
  }
  return column;
}

function stringOption(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw sqlErrors.invalidQueryOption(name, 'must be given once, as text.');
  return value;
}

export function encodeState(table: TableInfo, kind: TriggerKind, last: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, t: qualifiedName(table), k: kind, w: last }), 'utf8').toString('base64url');
}

function decodeState(value: unknown, table: TableInfo, kind: TriggerKind): unknown {
  if (value === undefined || value === '') return undefined;
  const bad = sqlErrors.invalidQueryOption('triggerState', 'is not a state this trigger made for this table; start with an empty one.');
  if (typeof value !== 'string' || value.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad;
  try {
    const state = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { v?: unknown; t?: unknown; k?: unknown; w?: unknown };
    if (state.v !== 1 || state.t !== qualifiedName(table) || state.k !== kind) throw bad;
    if (typeof state.w !== 'string' && typeof state.w !== 'number') throw bad;
    return state.w;
  } catch {
    throw bad;
  }
}
