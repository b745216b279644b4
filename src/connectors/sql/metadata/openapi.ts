/**
 * The OpenAPI 3.0 description at /openapi.json, generated from the catalog: one row schema per
 * allowed table and a path per operation, so a designer (or a client generator) sees real columns
 * and types. Servers follow the forwarding headers (absolute behind the listener, relative otherwise).
 */
import { ProcedureInfo, TableInfo, isRowversion } from '../catalog/model';
import { Schema, rowSchema, safeName, valueSchema } from './json-schema';

export interface ApiDescriptionInput {
  title: string;
  version: string;
  serverUrl: string;
  tables: TableInfo[];
  procedures: ProcedureInfo[];
  allowQuery: boolean;
  pollConfigured: boolean;
}

const ERROR_RESPONSE = { description: 'An error in the connector\'s JSON shape', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (schema: Schema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: Schema) => ({ description, content: json(schema) });
const query = (name: string, description: string, schema: Schema = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });

/** The path segment for a table: its name, or schema.name when the name is not unique. */
export function tableSegment(table: TableInfo, all: TableInfo[]): string {
  const namesakes = all.filter((t) => t.name.toLowerCase() === table.name.toLowerCase());
  return encodeURIComponent(namesakes.length > 1 ? `${table.schema}.${table.name}` : table.name);
}

function tablePaths(table: TableInfo, all: TableInfo[]): Record<string, unknown> {
  const segment = tableSegment(table, all);
  const op = safeName(`${table.schema}_${table.name}`);
  const row = { $ref: `#/components/schemas/${op}_Row` };
  const rows = { type: 'object', properties: { value: { type: 'array', items: row } } };
  const defaults = { default: ERROR_RESPONSE };
  const paths: Record<string, unknown> = {
    [`/tables/${segment}/items`]: {
      get: {
        operationId: `${op}_List`, summary: `Rows of ${table.schema}.${table.name}`,
        parameters: [
          query('$select', 'Columns, comma-separated'), query('$filter', 'OData filter: eq ne gt ge lt le, and or not, null, startswith endswith contains'),
          query('$orderby', 'col [asc|desc], …'), query('$top', 'At most this many rows in all', { type: 'integer', minimum: 0 }),
          query('$skip', 'Rows to skip', { type: 'integer', minimum: 0 }), query('$skiptoken', 'From nextLink; use the link as given'),
        ],
        responses: { 200: ok('A page of rows', { ...rows, properties: { ...rows.properties, nextLink: { type: 'string' } } }), ...defaults },
      },
      post: {
        operationId: `${op}_Insert`, summary: 'Insert one row or an array of rows (one transaction)',
        requestBody: { required: true, content: json({ oneOf: [row, { type: 'array', items: row }] }) },
        responses: { 201: ok('The stored rows, with identities and defaults', rows), ...defaults },
      },
    },
    [`/tables/${segment}/select`]: legacy(`SelectFrom${op}`, { fields: { type: 'string' }, whereClause: { type: 'string' } }, ok('Matching rows', rows)),
    [`/tables/${segment}/insert`]: legacy(`InsertInto${op}`, { rows: { type: 'array', items: row } }, ok('The stored rows', rows), 201),
    [`/tables/${segment}/update`]: legacy(`Update${op}`, { set: row, whereClause: { type: 'string' } }, ok('Rows changed', { type: 'object', properties: { rowsAffected: { type: 'integer' } } })),
    [`/tables/${segment}/delete`]: legacy(`DeleteFrom${op}`, { whereClause: { type: 'string' } }, ok('Rows deleted', { type: 'object', properties: { rowsAffected: { type: 'integer' } } })),
  };
  if (table.primaryKey.length > 0) {
    const key = { name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: table.primaryKey.length === 1 ? `${table.primaryKey[0]} value` : `${table.primaryKey.map((k) => `${k}=…`).join(',')}` };
    paths[`/tables/${segment}/items/{key}`] = {
      parameters: [key],
      get: { operationId: `${op}_Get`, responses: { 200: ok('The row', row), ...defaults } },
      patch: { operationId: `${op}_Update`, requestBody: { required: true, content: json(row) }, responses: { 200: ok('The changed row', row), ...defaults } },
      put: { operationId: `${op}_Upsert`, requestBody: { required: true, content: json(row) }, responses: { 200: ok('Updated', row), 201: ok('Created', row), ...defaults } },
      delete: { operationId: `${op}_Delete`, responses: { 204: { description: 'Deleted' }, ...defaults } },
    };
  }
  const trigger = (kind: string, summary: string) => ({
    get: {
      operationId: `${op}_On${kind === 'new' ? 'New' : 'Changed'}Items`, summary, 'x-ms-trigger': 'batch',
      parameters: [query('triggerState', 'State from the previous answer (empty: from the start)'), query('$filter', 'OData filter'), query('$select', 'Columns')],
      responses: { 200: ok('New rows and the next state', { ...rows, properties: { ...rows.properties, triggerState: { type: 'string' } } }), 202: { description: 'Nothing new' }, ...defaults },
    },
  });
  if (table.columns.some((c) => c.identity)) paths[`/tables/${segment}/triggers/new`] = trigger('new', 'Rows inserted since the state (IDENTITY)');
  if (table.columns.some(isRowversion)) paths[`/tables/${segment}/triggers/changed`] = trigger('changed', 'Rows inserted or changed since the state (ROWVERSION)');
  return paths;
}

function legacy(operationId: string, properties: Record<string, Schema>, response: unknown, status = 200) {
  return { post: { operationId, requestBody: { required: true, content: json({ type: 'object', properties }) }, responses: { [status]: response, default: ERROR_RESPONSE } } };
}

const RESULT_SETS: Schema = { type: 'array', items: { type: 'array', items: { type: 'object', additionalProperties: true } } };

function procedurePath(procedure: ProcedureInfo, all: ProcedureInfo[]): Record<string, unknown> {
  const unique = all.filter((p) => p.name.toLowerCase() === procedure.name.toLowerCase()).length === 1;
  const segment = encodeURIComponent(unique ? procedure.name : `${procedure.schema}.${procedure.name}`);
  const properties = Object.fromEntries(procedure.parameters.map((p) => [p.name, { ...valueSchema(p), ...(p.direction === 'inout' ? { description: 'input/output' } : {}) }]));
  return {
    [`/procedures/${segment}`]: {
      post: {
        operationId: `Call_${safeName(`${procedure.schema}_${procedure.name}`)}`,
        requestBody: { required: false, content: json({ type: 'object', properties }) },
        responses: {
          200: ok('All result sets, output parameters and the return value', {
            type: 'object', properties: { resultSets: RESULT_SETS, outputParameters: { type: 'object' }, returnValue: { type: 'integer', nullable: true } },
          }),
          default: ERROR_RESPONSE,
        },
      },
    },
  };
}

export function openApiDocument(input: ApiDescriptionInput): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/tables': { get: { operationId: 'GetTables', responses: { 200: ok('Allowed tables', { type: 'object' }) } } },
    '/procedures': { get: { operationId: 'GetProcedures', responses: { 200: ok('Allowed procedures', { type: 'object' }) } } },
    '/health': { get: { operationId: 'Health', responses: { 200: ok('The site answers', { type: 'object' }) } } },
    '/health/ready': { get: { operationId: 'Ready', responses: { 200: ok('The database answers', { type: 'object' }), 503: ok('The database does not answer', { type: 'object' }) } } },
  };
  for (const table of input.tables) Object.assign(paths, tablePaths(table, input.tables));
  for (const procedure of input.procedures) Object.assign(paths, procedurePath(procedure, input.procedures));
  if (input.allowQuery) {
    paths['/query'] = legacy('ExecuteQuery', { query: { type: 'string' }, parameters: { type: 'object' } }, ok('Result sets and row counts', {
      type: 'object', properties: { resultSets: RESULT_SETS, rowsAffected: { type: 'array', items: { type: 'integer' } } },
    }));
  }
  if (input.pollConfigured) {
    paths['/poll'] = { get: { operationId: 'PollData', 'x-ms-trigger': 'batch', responses: { 200: ok('Polled rows', { type: 'object' }), 202: { description: 'No data available' }, default: ERROR_RESPONSE } } };
  }
  const schemas: Record<string, Schema> = {
    Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } },
  };
  for (const table of input.tables) schemas[`${safeName(`${table.schema}_${table.name}`)}_Row`] = rowSchema(table);
  return { openapi: '3.0.3', info: { title: input.title, version: input.version }, servers: [{ url: input.serverUrl || '/' }], paths, components: { schemas } };
}
