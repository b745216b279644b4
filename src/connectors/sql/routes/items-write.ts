/**
 * POST /tables/{t}/items (an object or an array, one transaction) → 201 with the stored rows;
 * PATCH …/{key} → 200 row or 404; PUT …/{key} → upsert, 200 or 201; DELETE …/{key} → 204 or 404.
 */
import { Request, Router } from 'express';
import { HcmError, errors } from '../../../common/errors';
import { TableInfo } from '../catalog/model';
import { formatRow } from '../catalog/row-format';
import { buildSelect } from '../catalog/select-builder';
import { bodyAssignments, deleteStatement, insertStatement, updateStatement } from '../catalog/write-builder';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';
import { linkTo } from '../http/links';
import { KeyValue, formatKey, keyCondition, parseKeySegment } from '../odata/key-segment';
import { insertRows } from './table-writes';

export function itemWriteRoutes(ctx: ConnectorContext): Router {
  const router = Router();

  router.post('/tables/:table/items', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const body = requireBody(req);
    const rows = Array.isArray(body) ? body : [body];
    const stored = await insertRows(ctx, table, rows);
    if (!Array.isArray(body) && stored.length === 1 && table.primaryKey.length > 0) {
      const key = table.primaryKey.map((name) => ({ column: { name }, value: stored[0][name] }));
      res.setHeader('Location', linkTo(req, `/tables/${encodeURIComponent(String(req.params.table))}/items/${encodeURIComponent(formatKey(key))}`));
    }
    res.status(201).json({ value: stored });
  });

  router.patch('/tables/:table/items/:key', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const key = parseKeySegment(String(req.params.key), table);
    const assignments = bodyAssignments(table, requireBody(req), 'body');
    const bag = new ParameterBag();
    const text = updateStatement(table, assignments, keyCondition(key, bag), bag, true);
    const result = await ctx.db.run({ text, parameters: bag });
    const row = result.recordset?.[0];
    if (!row) throw errors.itemNotFound(table.name, formatKey(key));
    res.json(formatRow(row, byName(table)));
  });

  router.put('/tables/:table/items/:key', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const key = parseKeySegment(String(req.params.key), table);
    const assignments = bodyAssignments(table, requireBody(req), 'body');
    checkKeyColumns(key, assignments);
    const changes = assignments.filter((a) => !key.some((k) => k.column.name === a.column));
    const { row, created } = await ctx.db.inTransaction(async (transaction) => {
      const update = new ParameterBag();
      const where = keyCondition(key, update);
      const text = changes.length > 0 ? updateStatement(table, changes, where, update, true) : buildSelect({ table, columns: table.columns, conditions: [where] });
      const existing = (await ctx.db.run({ text, parameters: update }, transaction)).recordset?.[0];
      if (existing) return { row: existing, created: false };
      if (key.some((k) => k.column.identity)) {
        throw new HcmError('ItemNotFound', `No row in '${table.name}' has the key ${formatKey(key)}, and an identity key cannot be chosen: create rows with POST.`, {
          table: table.name,
          key: formatKey(key),
        });
      }
      const insert = new ParameterBag();
      const values = [...key.map((k) => ({ column: k.column.name, value: k.value as unknown })), ...changes];
      const inserted = (await ctx.db.run({ text: insertStatement(table, values, insert), parameters: insert }, transaction)).recordset?.[0];
      return { row: inserted, created: true };
    });
    res.status(created ? 201 : 200).json(formatRow(row as Record<string, unknown>, byName(table)));
  });

  router.delete('/tables/:table/items/:key', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const key = parseKeySegment(String(req.params.key), table);
    const bag = new ParameterBag();
    const result = await ctx.db.run({ text: deleteStatement(table, keyCondition(key, bag)), parameters: bag });
    if ((result.rowsAffected?.[0] ?? 0) === 0) throw errors.itemNotFound(table.name, formatKey(key));
    res.status(204).end();
  });

  return router;
}

/** The parsed JSON body; a missing or non-JSON body is a 400 naming what is expected. */
export function requireBody(req: Request): unknown {
  if (req.body === undefined || !req.is('application/json')) throw sqlErrors.badBody('Send a JSON body with Content-Type: application/json.');
  return req.body;
}

function byName(table: TableInfo) {
  return new Map(table.columns.map((c) => [c.name, c]));
}

/** A key column in a PUT body must repeat the key in the URL. */
function checkKeyColumns(key: KeyValue[], assignments: Array<{ column: string; value: unknown }>): void {
  for (const a of assignments) {
    const k = key.find((item) => item.column.name === a.column);
    if (k && String(a.value) !== k.value) throw sqlErrors.badBody(`Column '${a.column}' is part of the key; it must match the URL or be left out.`);
  }
}
