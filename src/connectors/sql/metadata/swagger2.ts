/**
 * The 2015 API-app metadata: /apiapp.json (pointing at the API definition) and a Swagger 2.0
 * document at /swagger/docs/v1 with the 2015 connector's actions per table (Insert Into, Update,
 * Select From, Delete From), Call Stored Procedure, and the Poll Data trigger marked
 * "x-ms-scheduler-trigger": "poll" as 2015 Logic Apps designers expected.
 */
import { ProcedureInfo, TableInfo } from '../catalog/model';
import { tableSegment } from './openapi';
import { Schema, rowSchema, safeName, valueSchema } from './json-schema';

export const API_APP_ID = 'MicrosoftSqlConnector';
export const API_VERSION = '1.0.0';

export function apiAppDocument(apiDefinition: string): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/schemas/2014-11-01/apiapp.json#',
    id: API_APP_ID,
    namespace: 'microsoft.com',
    gateway: '2015-01-14',
    version: API_VERSION,
    title: 'Microsoft SQL Connector',
    summary: 'Insert, update, select and delete table rows, call stored procedures and poll for data in one on-premises SQL Server database.',
    author: 'Hybrid Connection Manager',
    endpoints: { apiDefinition, status: null },
  };
}

export interface SwaggerInput {
  host?: string;
  scheme?: string;
  basePath: string;
  tables: TableInfo[];
  procedures: ProcedureInfo[];
  pollConfigured: boolean;
}

const ERROR = { description: 'Error', schema: { $ref: '#/definitions/Error' } };

function bodyOperation(operationId: string, summary: string, properties: Record<string, Schema>, response: Schema, status = '200') {
  return {
    post: {
      operationId,
      summary,
      consumes: ['application/json'],
      produces: ['application/json'],
      parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object', properties } }],
      responses: { [status]: { description: 'OK', schema: response }, default: ERROR },
    },
  };
}

export function swaggerDocument(input: SwaggerInput): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, Schema> = {
    Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
  };
  for (const table of input.tables) {
    const name = safeName(table.name);
    const definition = `${safeName(`${table.schema}_${table.name}`)}_Row`;
    definitions[definition] = rowSchema(table, 'x-nullable');
    const row = { $ref: `#/definitions/${definition}` };
    const rows = { type: 'object', properties: { value: { type: 'array', items: row } } };
    const count = { type: 'object', properties: { rowsAffected: { type: 'integer' } } };
    const base = `/tables/${tableSegment(table, input.tables)}`;
    paths[`${base}/insert`] = bodyOperation(`InsertInto${name}`, `Insert Into ${table.name} (JSON)`, { rows: { type: 'array', items: row } }, rows, '201');
    paths[`${base}/update`] = bodyOperation(`Update${name}`, `Update ${table.name} (JSON)`, { set: row, whereClause: { type: 'string' } }, count);
    paths[`${base}/select`] = bodyOperation(`SelectFrom${name}`, `Select From ${table.name} (JSON)`, { fields: { type: 'string' }, whereClause: { type: 'string' } }, rows);
    paths[`${base}/delete`] = bodyOperation(`DeleteFrom${name}`, `Delete From ${table.name} (JSON)`, { whereClause: { type: 'string' } }, count);
  }
  for (const procedure of input.procedures) {
    const unique = input.procedures.filter((p) => p.name.toLowerCase() === procedure.name.toLowerCase()).length === 1;
    const segment = encodeURIComponent(unique ? procedure.name : `${procedure.schema}.${procedure.name}`);
    const properties = Object.fromEntries(procedure.parameters.map((p) => [p.name, valueSchema(p)]));
    paths[`/procedures/${segment}`] = bodyOperation(`CallStoredProcedure_${safeName(procedure.name)}`, `Call Stored Procedure ${procedure.name} (JSON)`, properties, {
      type: 'object',
      properties: { resultSets: { type: 'array', items: { type: 'array', items: { type: 'object' } } }, outputParameters: { type: 'object' }, returnValue: { type: 'integer' } },
    });
  }
  if (input.pollConfigured) {
    paths['/poll'] = {
      get: {
        operationId: 'PollData',
        summary: 'Poll Data (JSON)',
        produces: ['application/json'],
        'x-ms-scheduler-trigger': 'poll',
        parameters: [
          { name: 'triggerState', in: 'query', required: false, type: 'string', 'x-ms-visibility': 'internal', 'x-ms-scheduler-recommendation': "@coalesce(triggers()?.outputs?.body?['triggerState'], '')" },
        ],
        responses: { 200: { description: 'Data', schema: { type: 'object', properties: { value: { type: 'array', items: { type: 'object' } } } } }, 202: { description: 'No data' }, default: ERROR },
      },
    };
  }
  return {
    swagger: '2.0',
    info: { title: 'Microsoft SQL Connector', version: API_VERSION },
    ...(input.host ? { host: input.host, schemes: [input.scheme ?? 'https'] } : {}),
    basePath: input.basePath || '/',
    paths,
    definitions,
  };
}
