/**
 * POST /procedures/{name} with a JSON object of parameters → {"resultSets":[[…],…],
 * "outputParameters":{…},"returnValue":n}: every result set, every output parameter and the
 * return code, which the Logic Apps connector drops when it goes through the gateway. Only the
 * procedures in the connector's "procedures" list can be called.
 */
import { Router } from 'express';
import { ProcedureInfo } from '../catalog/model';
import { quoteQualified } from '../catalog/identifiers';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { declaredSqlType, inputParameter } from '../db/rpc-types';
import { sqlErrors } from '../errors';
import { requireBody } from './items-write';
import { driverValues, streamResultSets } from './result-sets';
import sql from 'mssql';

export function procedureRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.post('/procedures/:name', async (req, res) => {
    const procedure = await ctx.procedure(String(req.params.name));
    // As table writes: a JSON object, {} when the procedure takes no parameters. A parameter it
    // needs and the body leaves out is SQL Server's error 201, answered 400 naming it (error-map).
    const body = requireBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw sqlErrors.badBody('Send the parameters as a JSON object, e.g. {"CustomerId": 42}, or {} for none.');
    const prepare = parameterSetup(procedure, body as Record<string, unknown>);
    await streamResultSets(ctx, res, { text: quoteQualified(procedure), parameters: new ParameterBag() }, {
      mode: 'execute',
      prepare,
      tail: (result) => `,"outputParameters":${JSON.stringify(driverValues(result.output ?? {}))},"returnValue":${JSON.stringify(result.returnValue ?? null)}`,
    });
  });
  return router;
}

/** Declares the given inputs and every output parameter (given or not) on the request. */
function parameterSetup(procedure: ProcedureInfo, body: Record<string, unknown>): (request: sql.Request) => void {
  const given = new Map<string, unknown>();
  for (const [rawName, value] of Object.entries(body)) {
    const name = rawName.replace(/^@/, '');
    const parameter = procedure.parameters.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!parameter) throw sqlErrors.badBody(`Procedure '${procedure.name}' has no parameter '${name.slice(0, 64)}'.`);
    given.set(parameter.name, value);
  }
  const inputs = procedure.parameters
    .filter((p) => p.direction === 'in' && given.has(p.name))
    .map((p) => ({ name: p.name, ...inputParameter(p, given.get(p.name), p.name) }));
  const outputs = procedure.parameters.filter((p) => p.direction === 'inout').map((p) => ({ name: p.name, type: declaredSqlType(p), value: given.get(p.name) ?? null }));
  return (request) => {
    for (const input of inputs) request.input(input.name, input.type, input.value);
    for (const output of outputs) request.output(output.name, output.type, output.value);
  };
}
