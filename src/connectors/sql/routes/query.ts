/**
 * POST /query {"query","parameters"} → {"resultSets":[…],"rowsAffected":[…]}: off unless the
 * connector's allowQuery is true (403 QueryDisabled), and limited by the allow-list filter
 * (400 QueryNotAllowed): one SELECT/INSERT/UPDATE/DELETE over allowed tables, or one EXEC of an
 * allowed procedure. Parameters are bound by name; values never become SQL text.
 */
import { Router } from 'express';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { queryParameter } from '../db/rpc-types';
import { sqlErrors } from '../errors';
import { checkQuery } from '../query/query-filter';
import { requireBody } from './items-write';
import { streamResultSets } from './result-sets';

const PARAMETER_NAME = /^@?[\p{L}_][\p{L}\p{N}_]{0,127}$/u;

export function queryRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.post('/query', async (req, res) => {
    if (!ctx.settings.allowQuery) throw sqlErrors.queryDisabled();
    const body = requireBody(req) as { query?: unknown; parameters?: unknown };
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw sqlErrors.badBody('Send {"query":"…","parameters":{…}}.');
    const { catalog, tables, procedures } = await ctx.allowed();
    checkQuery(body.query, { tables, procedures, allTables: catalog.tables, allProcedures: catalog.procedures });
    const parameters = body.parameters ?? {};
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw sqlErrors.badBody('parameters must be a JSON object.');
    const bound = Object.entries(parameters as Record<string, unknown>).map(([rawName, value]) => {
      if (!PARAMETER_NAME.test(rawName)) throw sqlErrors.badBody(`'${rawName.slice(0, 64)}' is not a parameter name.`);
      const name = rawName.replace(/^@/, '');
      return { name, ...queryParameter(name, value) };
    });
    await streamResultSets(ctx, res, { text: body.query as string, parameters: new ParameterBag() }, {
      mode: 'query',
      prepare: (request) => {
        for (const p of bound) request.input(p.name, p.type, p.value);
      },
      tail: (result) => `,"rowsAffected":${JSON.stringify(result.rowsAffected ?? [])}`,
    });
  });
  return router;
}
