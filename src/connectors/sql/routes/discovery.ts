/**
 * Discovery: GET /tables (allowed tables with columns, types, nullability, identity and primary key),
 * GET /tables/{t}, and GET /procedures (allowed procedures with their parameters).
 */
import { Router } from 'express';
import { ProcedureInfo, TableInfo, declaredType } from '../catalog/model';
import { ConnectorContext } from '../context';

export function describeTable(table: TableInfo) {
  return {
    name: table.name,
    schema: table.schema,
    kind: table.kind,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: declaredType(c),
      nullable: c.nullable,
      identity: c.identity,
      ...(c.computed ? { computed: true } : {}),
      ...(c.hasDefault ? { hasDefault: true } : {}),
    })),
    primaryKey: table.primaryKey,
  };
}

export function describeProcedure(procedure: ProcedureInfo) {
  return {
    name: procedure.name,
    schema: procedure.schema,
    parameters: procedure.parameters.map((p) => ({ name: p.name, type: declaredType(p), direction: p.direction })),
  };
}

export function discoveryRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/tables', async (_req, res) => {
    res.json({ value: (await ctx.allowed()).tables.map(describeTable) });
  });
  router.get('/tables/:table', async (req, res) => {
    res.json(describeTable(await ctx.table(String(req.params.table))));
  });
  router.get('/procedures', async (_req, res) => {
    res.json({ value: (await ctx.allowed()).procedures.map(describeProcedure) });
  });
  return router;
}
