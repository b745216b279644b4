/**
 * Metadata and identity functions that read the session's catalog or the database's counters:
 * OBJECT_ID, OBJECT_NAME, COLUMNPROPERTY, OBJECTPROPERTY, IDENT_CURRENT, SERVERPROPERTY, the
 * identity and rowversion generators, JSON_VALUE and JSON_QUERY.
 */
import type { Catalog, CatalogObject } from '../catalog';
import type { StandInDatabase } from '../database';
import { tokenize } from '../../tsql/lexer';
import { Cursor } from '../../tsql/parser/cursor';
import type { DateSessionHost } from './date-functions';
import { typeId } from '../../tsql/translate/virtual-type-tables';

type Value = null | number | bigint | string | Buffer;

export interface FunctionHost extends DateSessionHost {
  database: StandInDatabase;
  catalog(): Catalog;
  tempObject(name: string): CatalogObject | undefined;
  databaseName: string;
  serverName: string;
  /** An identity value was generated for `table` (SCOPE_IDENTITY, @@IDENTITY). */
  recordIdentity(value: bigint): void;
}

/** 'dbo.Customers', '[dbo].[Customers]', 'HcmDemo.dbo.Customers', 'tempdb..#t' → the object, when it exists. */
export function findObject(host: FunctionHost, name: string): CatalogObject | undefined {
  let parts: string[];
  try {
    parts = new Cursor(tokenize(name), name).objectName().parts;
  } catch {
    return undefined;
  }
  const object = parts[parts.length - 1];
  if (object.startsWith('#')) return host.tempObject(object);
  const schema = parts.length >= 2 && parts[parts.length - 2] !== '' ? parts[parts.length - 2] : 'dbo';
  // An empty database part ('.dbo.t', 'db..t' aside) means the current database.
  const database = parts.length >= 3 && parts[parts.length - 3] !== '' ? parts[parts.length - 3] : host.databaseName;
  if (schema.toLowerCase() !== 'dbo' || database.toLowerCase() !== host.databaseName.toLowerCase()) return undefined;
  return host.catalog().object(object);
}

const TYPE_CODES: Record<CatalogObject['kind'], string[]> = { table: ['U'], view: ['V'], procedure: ['P'] };

function jsonPath(json: Value, path: Value): unknown {
  if (json === null || path === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(String(json));
  } catch {
    return undefined;
  }
  const steps = String(path).replace(/^\s*(lax|strict)\s+/i, '').replace(/^\$/, '').match(/\.("[^"]*"|[^.[]+)|\[\d+\]/g) ?? [];
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1).replace(/^"(.*)"$/, '$1');
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

export function catalogFunctions(host: FunctionHost): Record<string, (...args: Value[]) => Value> {
  const byId = (id: Value) => (id === null ? undefined : host.catalog().byObjectId(Number(id)));
  return {
    hcm_type_id: (name) => (name === null ? null : typeId(host.catalog(), String(name))),
    hcm_object_id: (name, type) => {
      if (name === null) return null;
      const object = findObject(host, String(name));
      if (!object) {
        // Triggers are objects too (type TR), kept apart from tables in the catalog.
        const trigger = host.catalog().trigger(String(name).replace(/^.*\./, '').replace(/^\[(.*)\]$/, '$1'));
        return trigger && (type === undefined || type === null || String(type).trim().toUpperCase() === 'TR') ? trigger.objectId : null;
      }
      if (type !== undefined && type !== null && !TYPE_CODES[object.kind].includes(String(type).trim().toUpperCase())) return null;
      return object.objectId;
    },
    hcm_object_name: (id) => byId(id)?.name ?? null,
    hcm_object_schema_name: (id) => (byId(id) ? 'dbo' : null),
    hcm_columnproperty: (id, columnName, property) => {
      const object = byId(id);
      if (!object || object.kind === 'procedure' || columnName === null) return null;
      const column = object.columns.find((c) => c.name.toLowerCase() === String(columnName).toLowerCase());
      if (!column) return null;
      switch (String(property).toLowerCase()) {
        case 'isidentity': return column.identity ? 1 : 0;
        case 'iscomputed': return column.computedSource ? 1 : 0;
        case 'allowsnull': return column.nullable ? 1 : 0;
        case 'isrowguidcol': return 0;
        case 'precision': return column.type.precision ?? null;
        case 'scale': return column.type.scale ?? null;
        default: return null;
      }
    },
    hcm_objectproperty: (id, property) => {
      const object = byId(id);
      if (!object) return null;
      switch (String(property).toLowerCase()) {
        case 'isusertable': return object.kind === 'table' ? 1 : 0;
        case 'isview': return object.kind === 'view' ? 1 : 0;
        case 'isprocedure': return object.kind === 'procedure' ? 1 : 0;
        case 'tablehasidentity': return object.kind === 'table' && object.columns.some((c) => c.identity) ? 1 : 0;
        default: return null;
      }
    },
    hcm_type_name: () => null,
    hcm_ident_current: (name) => {
      const object = name === null ? undefined : findObject(host, String(name));
      if (!object || object.kind !== 'table') return null;
      const identity = object.columns.find((c) => c.identity);
      if (!identity) return null;
      return host.database.identityCounters.get(object.name.toLowerCase()) ?? BigInt(identity.identity!.seed);
    },
    hcm_identity: (table, increment) => {
      const key = String(table).toLowerCase();
      const next = (host.database.identityCounters.get(key) ?? 0n) + BigInt(typeof increment === 'bigint' || typeof increment === 'number' ? increment : 1);
      host.database.identityCounters.set(key, next);
      host.recordIdentity(next);
      return next;
    },
    hcm_rowversion: () => {
      host.database.rowversion += 1n;
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64BE(host.database.rowversion);
      return bytes;
    },
    hcm_serverproperty: (property) => {
      switch (String(property).toLowerCase()) {
        case 'productversion': return '16.0.1000.6';
        case 'productlevel': return 'RTM';
        case 'edition': return 'Developer Edition (64-bit)';
        case 'engineedition': return 3;
        case 'servername': case 'machinename': return host.serverName;
        case 'collation': return 'SQL_Latin1_General_CP1_CI_AS';
        case 'isintegratedsecurityonly': return 0;
        default: return null;
      }
    },
    hcm_json_value: (json, path) => {
      const value = jsonPath(json, path);
      if (value === undefined || value === null || typeof value === 'object') return null;
      return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
    },
    hcm_json_query: (json, path) => {
      const value = jsonPath(json, path ?? '$');
      return value !== null && typeof value === 'object' ? JSON.stringify(value) : null;
    },
  };
}
