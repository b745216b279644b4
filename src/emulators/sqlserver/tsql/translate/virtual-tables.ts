/**
 * INFORMATION_SCHEMA and sys catalog views, answered from the stand-in's catalog with SQL
 * Server's column names and types, so metadata queries (the connector's, SSMS-style scripts')
 * see what a real server shows. Each view becomes an inline VALUES list in the SQLite query.
 */
import type { Catalog, CatalogColumn, TableDefinition } from '../../engine/catalog';
import { formatType, INT, MAX_LENGTH, SqlType, StoredValue, SYSNAME, typeFamily, BIT } from '../../sql-type';
import { DEFAULT_COLLATION_NAME } from '../../protocol/types/collation';
import type { SourceColumn } from './scope';
import { literalSql, quoteIdentifier } from './context';
import { TYPE_VIEWS } from './virtual-type-tables';
import { DM_EXEC_CONNECTIONS_COLUMNS, DM_EXEC_SESSIONS_COLUMNS, DM_TRAN_LOCKS_COLUMNS } from '../../engine/session-views';

interface VirtualTable {
  columns: Array<[string, SqlType]>;
  rows(catalog: Catalog, database: string, sessions: () => StoredValue[][], connections: () => StoredValue[][], locks: () => StoredValue[][]): StoredValue[][];
}

const NV128: SqlType = { name: 'nvarchar', length: 128 };
const V3: SqlType = { name: 'varchar', length: 3 };
const SMALLINT: SqlType = { name: 'smallint' };
const TINYINT: SqlType = { name: 'tinyint' };
const DATETIME: SqlType = { name: 'datetime' };

/** INFORMATION_SCHEMA.COLUMNS' numeric and character facets of a type. */
export function typeFacets(type: SqlType): { charMax: number | null; octets: number | null; precision: number | null; radix: number | null; scale: number | null; datetimePrecision: number | null; charset: string | null; collation: string | null } {
  const none = { charMax: null, octets: null, precision: null, radix: null, scale: null, datetimePrecision: null, charset: null, collation: null };
  const integerPrecision: Record<string, number> = { tinyint: 3, smallint: 5, int: 10, bigint: 19 };
  if (type.variant) return none;
  switch (typeFamily(type)) {
    case 'integer': return { ...none, precision: integerPrecision[type.name], radix: 10, scale: 0 };
    case 'exact':
      if (type.name === 'money') return { ...none, precision: 19, radix: 10, scale: 4 };
      if (type.name === 'smallmoney') return { ...none, precision: 10, radix: 10, scale: 4 };
      return { ...none, precision: type.precision ?? 18, radix: 10, scale: type.scale ?? 0 };
    case 'approximate': return { ...none, precision: type.name === 'real' ? 24 : 53, radix: 2 };
    case 'temporal': {
      const precision = type.name === 'datetime' ? 3 : type.name === 'date' || type.name === 'smalldatetime' ? 0 : type.scale ?? 7;
      return { ...none, datetimePrecision: precision };
    }
    case 'string': {
      const unicode = type.name.startsWith('n') || type.name === 'xml';
      const max = type.name === 'text' || type.name === 'ntext' ? 2_147_483_647 : type.length === MAX_LENGTH ? -1 : type.length ?? 1;
      const octets = max === -1 ? -1 : type.name === 'ntext' ? 2_147_483_646 : unicode ? max * 2 : max;
      return { ...none, charMax: max, octets, charset: unicode ? 'UNICODE' : 'iso_1', collation: DEFAULT_COLLATION_NAME };
    }
    case 'binary': {
      if (type.name === 'rowversion') return none;
      const max = type.name === 'image' ? 2_147_483_647 : type.length === MAX_LENGTH ? -1 : type.length ?? 1;
      return { ...none, charMax: max, octets: max };
    }
    default: return none;
  }
}

export function dataTypeName(type: SqlType): string {
  if (type.variant) return 'sql_variant';
  return type.name === 'rowversion' ? 'timestamp' : type.name;
}

function columnDefault(column: CatalogColumn): string | null {
  if (!column.defaultSource) return null;
  const source = column.defaultSource.trim();
  return /^[-+]?\d+(\.\d+)?$/.test(source) ? `((${source}))` : `(${source.replace(/^\((.*)\)$/s, '$1')})`;
}

function tableRows(catalog: Catalog): TableDefinition[] {
  return catalog.tables().filter((t) => !t.temporary);
}

const VIEWS: Record<string, VirtualTable> = {
  ...TYPE_VIEWS,
  'information_schema.tables': {
    columns: [['TABLE_CATALOG', NV128], ['TABLE_SCHEMA', NV128], ['TABLE_NAME', SYSNAME], ['TABLE_TYPE', { name: 'varchar', length: 10 }]],
    rows: (catalog, db) => catalog.all().filter((o) => o.kind !== 'procedure').map((o) => [db, o.schema, o.name, o.kind === 'view' ? 'VIEW' : 'BASE TABLE']),
  },
  'information_schema.columns': {
    columns: [['TABLE_CATALOG', NV128], ['TABLE_SCHEMA', NV128], ['TABLE_NAME', SYSNAME], ['COLUMN_NAME', SYSNAME], ['ORDINAL_POSITION', INT],
      ['COLUMN_DEFAULT', { name: 'nvarchar', length: 4000 }], ['IS_NULLABLE', V3], ['DATA_TYPE', NV128], ['CHARACTER_MAXIMUM_LENGTH', INT],
      ['CHARACTER_OCTET_LENGTH', INT], ['NUMERIC_PRECISION', TINYINT], ['NUMERIC_PRECISION_RADIX', SMALLINT], ['NUMERIC_SCALE', INT],
      ['DATETIME_PRECISION', SMALLINT], ['CHARACTER_SET_CATALOG', SYSNAME], ['CHARACTER_SET_SCHEMA', SYSNAME], ['CHARACTER_SET_NAME', SYSNAME],
      ['COLLATION_CATALOG', SYSNAME], ['COLLATION_SCHEMA', SYSNAME], ['COLLATION_NAME', SYSNAME], ['DOMAIN_CATALOG', SYSNAME], ['DOMAIN_SCHEMA', SYSNAME], ['DOMAIN_NAME', SYSNAME]],
    rows: (catalog, db) => catalog.all().flatMap((o) => (o.kind === 'procedure' ? [] : o.columns.map((c, i) => {
      const f = typeFacets(c.type);
      return [db, o.schema, o.name, c.name, i + 1, columnDefault(c), c.nullable ? 'YES' : 'NO', dataTypeName(c.type), f.charMax, f.octets, f.precision, f.radix, f.scale,
        f.datetimePrecision, null, null, f.charset, null, null, f.collation, null, null, null];
    }))),
  },
  'information_schema.table_constraints': {
    columns: [['CONSTRAINT_CATALOG', NV128], ['CONSTRAINT_SCHEMA', NV128], ['CONSTRAINT_NAME', SYSNAME], ['TABLE_CATALOG', NV128], ['TABLE_SCHEMA', NV128],
      ['TABLE_NAME', SYSNAME], ['CONSTRAINT_TYPE', { name: 'varchar', length: 11 }], ['IS_DEFERRABLE', { name: 'varchar', length: 2 }], ['INITIALLY_DEFERRED', { name: 'varchar', length: 2 }]],
    rows: (catalog, db) => tableRows(catalog).flatMap((t) => [
      ...(t.primaryKey ? [[t.primaryKey.name, 'PRIMARY KEY']] : []),
      ...t.uniques.map((u) => [u.name, 'UNIQUE']),
      ...t.foreignKeys.map((f) => [f.name, 'FOREIGN KEY']),
      ...t.checks.map((c) => [c.name, 'CHECK']),
    ].map(([name, type]) => [db, t.schema, name, db, t.schema, t.name, type, 'NO', 'NO'])),
  },
  'information_schema.key_column_usage': {
    columns: [['CONSTRAINT_CATALOG', NV128], ['CONSTRAINT_SCHEMA', NV128], ['CONSTRAINT_NAME', SYSNAME], ['TABLE_CATALOG', NV128], ['TABLE_SCHEMA', NV128],
      ['TABLE_NAME', SYSNAME], ['COLUMN_NAME', SYSNAME], ['ORDINAL_POSITION', INT]],
    rows: (catalog, db) => tableRows(catalog).flatMap((t) => [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques, ...t.foreignKeys]
      .flatMap((k) => k.columns.map((column, i) => [db, t.schema, k.name, db, t.schema, t.name, column, i + 1]))),
  },
  'information_schema.referential_constraints': {
    columns: [['CONSTRAINT_CATALOG', NV128], ['CONSTRAINT_SCHEMA', NV128], ['CONSTRAINT_NAME', SYSNAME], ['UNIQUE_CONSTRAINT_CATALOG', NV128],
      ['UNIQUE_CONSTRAINT_SCHEMA', NV128], ['UNIQUE_CONSTRAINT_NAME', SYSNAME], ['MATCH_OPTION', { name: 'varchar', length: 7 }],
      ['UPDATE_RULE', { name: 'varchar', length: 11 }], ['DELETE_RULE', { name: 'varchar', length: 11 }]],
    rows: (catalog, db) => tableRows(catalog).flatMap((t) => t.foreignKeys.map((f) => {
      const referenced = catalog.table(f.refTable);
      const key = referenced?.primaryKey ?? referenced?.uniques[0];
      return [db, t.schema, f.name, db, 'dbo', key?.name ?? null, 'SIMPLE', f.onUpdate, f.onDelete];
    })),
  },
  'information_schema.routines': {
    columns: [['SPECIFIC_CATALOG', NV128], ['SPECIFIC_SCHEMA', NV128], ['SPECIFIC_NAME', SYSNAME], ['ROUTINE_CATALOG', NV128], ['ROUTINE_SCHEMA', NV128],
      ['ROUTINE_NAME', SYSNAME], ['ROUTINE_TYPE', { name: 'nvarchar', length: 20 }], ['DATA_TYPE', SYSNAME], ['ROUTINE_BODY', { name: 'nvarchar', length: 30 }],
      ['ROUTINE_DEFINITION', { name: 'nvarchar', length: 4000 }], ['CREATED', DATETIME], ['LAST_ALTERED', DATETIME]],
    rows: (catalog, db) => catalog.all().filter((o) => o.kind === 'procedure')
      .map((p) => [db, p.schema, p.name, db, p.schema, p.name, 'PROCEDURE', null, 'SQL', (p as { source: string }).source.slice(0, 4000), p.createdAt, p.createdAt]),
  },
  'information_schema.parameters': {
    columns: [['SPECIFIC_CATALOG', NV128], ['SPECIFIC_SCHEMA', NV128], ['SPECIFIC_NAME', SYSNAME], ['ORDINAL_POSITION', INT], ['PARAMETER_MODE', { name: 'nvarchar', length: 10 }],
      ['IS_RESULT', { name: 'nvarchar', length: 10 }], ['AS_LOCATOR', { name: 'nvarchar', length: 10 }], ['PARAMETER_NAME', SYSNAME], ['DATA_TYPE', NV128],
      ['CHARACTER_MAXIMUM_LENGTH', INT], ['CHARACTER_OCTET_LENGTH', INT], ['NUMERIC_PRECISION', TINYINT], ['NUMERIC_PRECISION_RADIX', SMALLINT],
      ['NUMERIC_SCALE', INT], ['DATETIME_PRECISION', SMALLINT]],
    rows: (catalog, db) => catalog.all().flatMap((o) => (o.kind !== 'procedure' ? [] : o.parameters.map((p, i) => {
      const f = typeFacets(p.type);
      if (p.type.userType && catalog.type(p.type.userType.split('.').pop()!)?.table) {
        return [db, o.schema, o.name, i + 1, 'IN', 'NO', 'NO', p.name, 'table type', null, null, null, null, null, null];
      }
      return [db, o.schema, o.name, i + 1, p.output ? 'INOUT' : 'IN', 'NO', 'NO', p.name, dataTypeName(p.type), f.charMax, f.octets, f.precision, f.radix, f.scale, f.datetimePrecision];
    }))),
  },
  'information_schema.views': {
    columns: [['TABLE_CATALOG', NV128], ['TABLE_SCHEMA', NV128], ['TABLE_NAME', SYSNAME], ['VIEW_DEFINITION', { name: 'nvarchar', length: 4000 }],
      ['CHECK_OPTION', { name: 'varchar', length: 7 }], ['IS_UPDATABLE', { name: 'varchar', length: 2 }]],
    rows: (catalog, db) => catalog.all().filter((o) => o.kind === 'view').map((v) => [db, v.schema, v.name, (v as { source: string }).source.slice(0, 4000), 'NONE', 'NO']),
  },
  'information_schema.schemata': {
    columns: [['CATALOG_NAME', SYSNAME], ['SCHEMA_NAME', NV128], ['SCHEMA_OWNER', NV128]],
    rows: (_catalog, db) => [[db, 'dbo', 'dbo']],
  },
  'sys.tables': {
    columns: [['name', SYSNAME], ['object_id', INT], ['schema_id', INT], ['type', { name: 'char', length: 2 }], ['type_desc', { name: 'nvarchar', length: 60 }], ['create_date', DATETIME], ['modify_date', DATETIME]],
    rows: (catalog) => tableRows(catalog).map((t) => [t.name, t.objectId, 1, 'U ', 'USER_TABLE', t.createdAt, t.createdAt]),
  },
  'sys.views': {
    columns: [['name', SYSNAME], ['object_id', INT], ['schema_id', INT], ['type', { name: 'char', length: 2 }], ['type_desc', { name: 'nvarchar', length: 60 }]],
    rows: (catalog) => catalog.all().filter((o) => o.kind === 'view').map((v) => [v.name, v.objectId, 1, 'V ', 'VIEW']),
  },
  'sys.procedures': {
    columns: [['name', SYSNAME], ['object_id', INT], ['schema_id', INT], ['type', { name: 'char', length: 2 }], ['type_desc', { name: 'nvarchar', length: 60 }], ['create_date', DATETIME]],
    rows: (catalog) => catalog.all().filter((o) => o.kind === 'procedure').map((p) => [p.name, p.objectId, 1, 'P ', 'SQL_STORED_PROCEDURE', p.createdAt]),
  },
  'sys.objects': {
    columns: [['name', SYSNAME], ['object_id', INT], ['schema_id', INT], ['parent_object_id', INT], ['type', { name: 'char', length: 2 }], ['type_desc', { name: 'nvarchar', length: 60 }], ['create_date', DATETIME], ['modify_date', DATETIME]],
    rows: (catalog) => [
      ...catalog.all().map((o) => {
        const [type, desc] = o.kind === 'table' ? ['U ', 'USER_TABLE'] : o.kind === 'view' ? ['V ', 'VIEW'] : ['P ', 'SQL_STORED_PROCEDURE'];
        return [o.name, o.objectId, 1, 0, type, desc, o.createdAt, o.createdAt];
      }),
      ...catalog.triggers().map((t) => [t.name, t.objectId, 1, catalog.table(t.table)?.objectId ?? 0, 'TR', 'SQL_TRIGGER', t.createdAt, t.createdAt]),
      // A table type's table: TT_<type>_<object id in hex>, as SQL Server names it.
      ...catalog.types().filter((t) => t.table).map((t) => [`TT_${t.name}_${t.table!.objectId.toString(16).toUpperCase()}`, t.table!.objectId, 1, 0, 'TT', 'TYPE_TABLE', t.createdAt, t.createdAt]),
    ],
  },
  'sys.schemas': {
    columns: [['name', SYSNAME], ['schema_id', INT], ['principal_id', INT]],
    rows: () => [['dbo', 1, 1]],
  },
  'sys.columns': {
    columns: [['object_id', INT], ['name', SYSNAME], ['column_id', INT], ['system_type_id', TINYINT], ['user_type_id', INT], ['max_length', SMALLINT],
      ['precision', TINYINT], ['scale', TINYINT], ['is_nullable', BIT], ['is_identity', BIT], ['is_computed', BIT], ['is_rowguidcol', BIT]],
    rows: (catalog) => catalog.all().flatMap((o) => (o.kind === 'procedure' ? [] : o.columns.map((c, i) => {
      const f = typeFacets(c.type);
      // 8016: the largest sql_variant (MS-TDS 2.2.5.4.3), as sys.columns reports it.
      const maxLength = c.type.variant ? 8016 : f.octets ?? (typeFamily(c.type) === 'integer' ? { tinyint: 1, smallint: 2, int: 4, bigint: 8 }[c.type.name as 'int'] : 8);
      return [o.objectId, c.name, i + 1, 0, 0, maxLength, f.precision ?? 0, f.scale ?? 0, c.nullable ? 1 : 0, c.identity ? 1 : 0, c.computedSource ? 1 : 0, 0];
    }))),
  },
  // Every column of every object; the stand-in has no system objects of its own to add (SqlBulkCopy reads this one).
  get 'sys.all_columns'() {
    return VIEWS['sys.columns'];
  },
  'sys.identity_columns': {
    columns: [['object_id', INT], ['name', SYSNAME], ['column_id', INT], ['seed_value', { name: 'bigint' }], ['increment_value', { name: 'bigint' }]],
    rows: (catalog) => tableRows(catalog).flatMap((t) => t.columns.map((c, i) => [c, i] as const).filter(([c]) => c.identity)
      .map(([c, i]) => [t.objectId, c.name, i + 1, c.identity!.seed, c.identity!.increment])),
  },
  'sys.dm_exec_sessions': {
    columns: DM_EXEC_SESSIONS_COLUMNS,
    rows: (_catalog, _db, sessions) => sessions(),
  },
  'sys.dm_exec_connections': {
    columns: DM_EXEC_CONNECTIONS_COLUMNS,
    rows: (_catalog, _db, _sessions, connections) => connections(),
  },
  'sys.dm_tran_locks': {
    columns: DM_TRAN_LOCKS_COLUMNS,
    rows: (_catalog, _db, _sessions, _connections, locks) => locks(),
  },
  'sys.databases': {
    columns: [['name', SYSNAME], ['database_id', INT], ['is_read_committed_snapshot_on', BIT], ['snapshot_isolation_state', TINYINT]],
    // Readers see the last committed data and never wait for writers: READ_COMMITTED_SNAPSHOT ON.
    rows: (_catalog, db) => [['master', 1, 0, 0], ['tempdb', 2, 0, 0], [db, 5, 1, 0]],
  },
};

export function isVirtualTable(schema: string, name: string): boolean {
  return `${schema}.${name}`.toLowerCase() in VIEWS;
}

/** The inline SQL of a catalog view and its columns. */
export function virtualTable(
  schema: string, name: string, catalog: Catalog, database: string, sessions: () => StoredValue[][] = () => [], connections: () => StoredValue[][] = () => [],
  locks: () => StoredValue[][] = () => [],
): { sql: string; columns: SourceColumn[] } | undefined {
  const view = VIEWS[`${schema}.${name}`.toLowerCase()];
  if (!view) return undefined;
  const columns = view.columns.map(([columnName, type]) => ({ name: columnName, type, nullable: true }));
  const rows = view.rows(catalog, database, sessions, connections, locks);
  const names = view.columns.map(([columnName], i) => `column${i + 1} AS ${quoteIdentifier(columnName)}`).join(', ');
  if (rows.length === 0) {
    const nulls = view.columns.map(([columnName]) => `NULL AS ${quoteIdentifier(columnName)}`).join(', ');
    return { sql: `(SELECT ${nulls} WHERE 0)`, columns };
  }
  const values = rows.map((row) => `(${row.map((value) => literalSql(value)).join(', ')})`).join(', ');
  return { sql: `(SELECT ${names} FROM (VALUES ${values}))`, columns };
}

export { formatType };
