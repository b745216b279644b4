/**
 * sys.types, sys.table_types and sys.triggers: the system types with SQL Server 2022's ids and
 * sizes, then the database's user-defined types (CREATE TYPE, user_type_id from 257); triggers
 * with their table (parent_id).
 */
import type { Catalog, TypeDefinition } from '../../engine/catalog';
import { BIT, INT, SqlType, StoredValue, SYSNAME } from '../../sql-type';
import { DEFAULT_COLLATION_NAME } from '../../protocol/types/collation';

const SMALLINT: SqlType = { name: 'smallint' };
const TINYINT: SqlType = { name: 'tinyint' };
const DATETIME: SqlType = { name: 'datetime' };

/** name → [system_type_id, max_length, precision, scale, has collation]; sysname is user type 256 of nvarchar. */
export const SYSTEM_TYPES: Array<[string, number, number, number, number, boolean]> = [
  ['image', 34, 16, 0, 0, false], ['text', 35, 16, 0, 0, true], ['uniqueidentifier', 36, 16, 0, 0, false], ['date', 40, 3, 10, 0, false],
  ['time', 41, 5, 16, 7, false], ['datetime2', 42, 8, 27, 7, false], ['datetimeoffset', 43, 10, 34, 7, false], ['tinyint', 48, 1, 3, 0, false],
  ['smallint', 52, 2, 5, 0, false], ['int', 56, 4, 10, 0, false], ['smalldatetime', 58, 4, 16, 0, false], ['real', 59, 4, 24, 0, false],
  ['money', 60, 8, 19, 4, false], ['datetime', 61, 8, 23, 3, false], ['float', 62, 8, 53, 0, false], ['sql_variant', 98, 8016, 0, 0, false],
  ['ntext', 99, 16, 0, 0, true], ['bit', 104, 1, 1, 0, false], ['decimal', 106, 17, 38, 0, false], ['numeric', 108, 17, 38, 0, false],
  ['smallmoney', 122, 4, 10, 4, false], ['bigint', 127, 8, 19, 0, false], ['varbinary', 165, 8000, 0, 0, false], ['varchar', 167, 8000, 0, 0, true],
  ['binary', 173, 8000, 0, 0, false], ['char', 175, 8000, 0, 0, true], ['timestamp', 189, 8, 0, 0, false], ['nvarchar', 231, 8000, 0, 0, true],
  ['nchar', 239, 8000, 0, 0, true], ['xml', 241, -1, 0, 0, false], ['sysname', 231, 256, 0, 0, true],
];

/** The system_type_id of a table type. */
const TABLE_TYPE_ID = 243;

export const TYPE_COLUMNS: Array<[string, SqlType]> = [['name', SYSNAME], ['system_type_id', TINYINT], ['user_type_id', INT], ['schema_id', INT],
  ['principal_id', INT], ['max_length', SMALLINT], ['precision', TINYINT], ['scale', TINYINT], ['collation_name', SYSNAME], ['is_nullable', BIT],
  ['is_user_defined', BIT], ['is_assembly_type', BIT], ['default_object_id', INT], ['rule_object_id', INT], ['is_table_type', BIT]];

function userTypeRow(type: TypeDefinition): StoredValue[] {
  if (type.table) return [type.name, TABLE_TYPE_ID, type.objectId, 1, null, -1, 0, 0, null, 0, 1, 0, 0, 0, 1];
  const base = type.base!;
  const system = SYSTEM_TYPES.find(([name]) => name === (base.name === 'rowversion' ? 'timestamp' : base.name));
  const unicode = base.name === 'nchar' || base.name === 'nvarchar';
  const length = base.length === undefined ? system?.[2] ?? 0 : base.length === -1 ? -1 : unicode ? base.length * 2 : base.length;
  return [type.name, system?.[1] ?? 0, type.objectId, 1, null, length, base.precision ?? system?.[3] ?? 0, base.scale ?? system?.[4] ?? 0,
    system?.[5] ? DEFAULT_COLLATION_NAME : null, type.nullable ? 1 : 0, 1, 0, 0, 0, 0];
}

function systemRows(): StoredValue[][] {
  return SYSTEM_TYPES.map(([name, id, length, precision, scale, collated]) => [name, id, name === 'sysname' ? 256 : id, 4, null, length, precision, scale,
    collated ? DEFAULT_COLLATION_NAME : null, name === 'sysname' ? 0 : 1, 0, 0, 0, 0, 0]);
}

/** The user_type_id TYPE_ID() answers for a name: a system type's or a user-defined type's. */
export function typeId(catalog: Catalog, name: string): number | null {
  const bare = name.replace(/^\s*(\[?dbo\]?\.|\[?sys\]?\.)/i, '').replace(/^\[(.*)\]$/, '$1').trim().toLowerCase();
  const system = SYSTEM_TYPES.find(([n]) => n === bare);
  if (system) return system[0] === 'sysname' ? 256 : system[1];
  return catalog.type(bare)?.objectId ?? null;
}

interface TypeView {
  columns: Array<[string, SqlType]>;
  rows(catalog: Catalog): StoredValue[][];
}

export const TYPE_VIEWS: Record<string, TypeView> = {
  'sys.types': {
    columns: TYPE_COLUMNS,
    rows: (catalog) => [...systemRows(), ...catalog.types().map(userTypeRow)],
  },
  'sys.table_types': {
    columns: [...TYPE_COLUMNS, ['type_table_object_id', INT], ['is_memory_optimized', BIT]],
    rows: (catalog) => catalog.types().filter((t) => t.table).map((t) => [...userTypeRow(t), t.table!.objectId, 0]),
  },
  'sys.triggers': {
    columns: [['name', SYSNAME], ['object_id', INT], ['parent_class', TINYINT], ['parent_class_desc', { name: 'nvarchar', length: 60 }], ['parent_id', INT],
      ['type', { name: 'char', length: 2 }], ['type_desc', { name: 'nvarchar', length: 60 }], ['create_date', DATETIME], ['modify_date', DATETIME],
      ['is_ms_shipped', BIT], ['is_disabled', BIT], ['is_not_for_replication', BIT], ['is_instead_of_trigger', BIT]],
    rows: (catalog) => catalog.triggers().map((t) => [t.name, t.objectId, 1, 'OBJECT_OR_COLUMN', catalog.table(t.table)?.objectId ?? 0, 'TR', 'SQL_TRIGGER',
      t.createdAt, t.createdAt, 0, t.disabled ? 1 : 0, 0, t.timing === 'INSTEAD OF' ? 1 : 0]),
  },
};
