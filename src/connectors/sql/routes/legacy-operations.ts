/**
 * The 2015 connector's table actions: POST /tables/{t}/select {"fields","whereClause"} →
 * {"value":[…]} (streamed, every matching row); /insert {"rows":[…]} → 201 {"value":[stored rows]};
 * /update {"set":{…},"whereClause"} and /delete {"whereClause"} → {"rowsAffected":n}. The
 * whereClause follows the 2015 grammar and is regenerated with parameters (legacy/where-clause.ts);
 * update and delete require one, so a missing clause cannot touch every row.
 */
import { Router } from 'express';
import { formatRow } from '../catalog/row-format';
import { buildSelect, columnsWithExtras } from '../catalog/select-builder';
import { bodyAssignments, deleteStatement, updateStatement } from '../catalog/write-builder';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { sqlErrors } from '../errors';
import { arrayItems, streamJsonRows } from '../http/stream-query';
import { parseFields } from '../legacy/fields';
import { compileWhereClause } from '../legacy/where-clause';
import { requireBody } from './items-write';
import { insertRows } from './table-writes';

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw sqlErrors.badBody('The body must be a JSON object.');
  return body as Record<string, unknown>;
}

function optionalClause(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw sqlErrors.invalidWhereClause('must be a string.');
  return value;
}

export function legacyRoutes(ctx: ConnectorContext): Router {
  const router = Router();

  router.post('/tables/:table/select', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const body = objectBody(requireBody(req));
    const fields = parseFields(body.fields, table);
    const bag = new ParameterBag();
    const clause = optionalClause(body.whereClause);
    const conditions = clause === undefined ? [] : [compileWhereClause(clause, table, bag)];
    const { columns } = columnsWithExtras(table, fields, []);
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const item = arrayItems();
    await streamJsonRows(ctx, res, { text: buildSelect({ table, columns, conditions }), parameters: bag }, {
      head: '{"value":[',
      row: (row) => item(JSON.stringify(formatRow(row, byName))),
      tail: () => ']}',
    });
  });

  router.post('/tables/:table/insert', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const body = objectBody(requireBody(req));
    if (!Array.isArray(body.rows)) throw sqlErrors.badBody('insert takes {"rows":[{…}, …]}.');
    res.status(201).json({ value: await insertRows(ctx, table, body.rows) });
  });

  router.post('/tables/:table/update', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const body = objectBody(requireBody(req));
    const clause = optionalClause(body.whereClause);
    if (clause === undefined) throw sqlErrors.invalidWhereClause('is required for update (it picks the rows to change).');
    const assignments = bodyAssignments(table, body.set, '"set"');
    const bag = new ParameterBag();
    const text = updateStatement(table, assignments, compileWhereClause(clause, table, bag), bag, false);
    const result = await ctx.db.run({ text, parameters: bag });
    res.json({ rowsAffected: result.rowsAffected?.[0] ?? 0 });
  });

  router.post('/tables/:table/delete', async (req, res) => {
    const table = await ctx.table(String(req.params.table));
    const body = objectBody(requireBody(req));
    const clause = optionalClause(body.whereClause);
    if (clause === undefined) throw sqlErrors.invalidWhereClause('is required for delete (it picks the rows to delete).');
    const bag = new ParameterBag();
    const result = await ctx.db.run({ text: deleteStatement(table, compileWhereClause(clause, table, bag)), parameters: bag });
    res.json({ rowsAffected: result.rowsAffected?.[0] ?? 0 });
  });

  return router;
}

