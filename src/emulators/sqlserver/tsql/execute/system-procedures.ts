/**
 * System procedures that answer with result sets read from the catalog, in SQL Server's column
 * names and types: sp_help (no argument: the objects; a table or view: its description, columns,
 * identity, indexes and constraints; a procedure: its parameters; a type: the type) and
 * sp_procedure_params_100_managed (what SqlCommandBuilder.DeriveParameters asks, the return value
 * first as PARAMETER_TYPE 4, then each parameter, 1 input or 2 input/output).
 */
import type { Executor } from './executor';
import type { CallArgument, CallResult } from './run-procedure';
import type { CatalogObject, ProcedureDefinition, TableDefinition } from '../../engine/catalog';
import { CurrentCommand } from '../../protocol/tokens/done';
import { canonicalTypeName, INT, isUnicode, makeType, MAX_LENGTH, SqlType, StoredValue, SYSNAME, typeFamily } from '../../sql-type';
import { dataTypeName, typeFacets } from '../translate/virtual-tables';
import { SqlError } from '../sql-error';
import { tokenize } from '../lexer';
import { Cursor } from '../parser/cursor';

type Column = [string, SqlType];

const NV = (length: number): SqlType => ({ name: 'nvarchar', length });
const SMALLINT: SqlType = { name: 'smallint' };
const BIT: SqlType = { name: 'bit' };

function resultSet(ex: Executor, columns: Column[], rows: StoredValue[][]): void {
  ex.sink.columns(columns.map(([name, type]) => ({ name, type, nullable: true })));
  for (const row of rows) void ex.sink.row(row);
  // SQL Server's system procedures run with NOCOUNT ON: their DONEINPROC carries no row count.
  ex.sink.done({ inProc: true, rowCount: undefined, command: CurrentCommand.Select });
}

function argument(args: CallArgument[], name: string, position: number): StoredValue {
  const named = args.find((a) => a.name?.replace(/^@/, '').toLowerCase() === name);
  const value = named ?? args.filter((a) => a.name === undefined)[position];
  return value && !value.useDefault ? value.value : null;
}

/** The last part of a possibly qualified name ('dbo.Orders', '[dbo].[Orders]'). */
function objectPart(text: string): string {
  try {
    const parts = new Cursor(tokenize(text), text).objectName().parts;
    return parts[parts.length - 1];
  } catch {
    return text;
  }
}

/** SqlDbType's numbers (System.Data), which MANAGED_DATA_TYPE carries. */
const SQL_DB_TYPE: Record<string, number> = {
  bigint: 0, binary: 1, bit: 2, char: 3, datetime: 4, decimal: 5, numeric: 5, float: 6, image: 7, int: 8, money: 9, nchar: 10, ntext: 11,
  nvarchar: 12, real: 13, uniqueidentifier: 14, smalldatetime: 15, smallint: 16, smallmoney: 17, text: 18, rowversion: 19, tinyint: 20,
  varbinary: 21, varchar: 22, sql_variant: 23, xml: 25, date: 31, time: 32, datetime2: 33, datetimeoffset: 34,
};

const PROCEDURE_PARAMS_COLUMNS: Column[] = [
  ['PROCEDURE_CATALOG', SYSNAME], ['PROCEDURE_SCHEMA', SYSNAME], ['PROCEDURE_NAME', NV(134)], ['PARAMETER_NAME', SYSNAME], ['ORDINAL_POSITION', SMALLINT],
  ['PARAMETER_TYPE', SMALLINT], ['PARAMETER_HASDEFAULT', BIT], ['PARAMETER_DEFAULT', NV(255)], ['IS_NULLABLE', BIT], ['DATA_TYPE', SMALLINT],
  ['MANAGED_DATA_TYPE', SMALLINT], ['CHARACTER_MAXIMUM_LENGTH', INT], ['CHARACTER_OCTET_LENGTH', INT], ['NUMERIC_PRECISION', SMALLINT],
  ['NUMERIC_SCALE', SMALLINT], ['DESCRIPTION', NV(1)], ['TYPE_CATALOG_NAME', SYSNAME], ['TYPE_SCHEMA_NAME', SYSNAME], ['TYPE_NAME', SYSNAME],
  ['XML_CATALOGNAME', SYSNAME], ['XML_SCHEMANAME', SYSNAME], ['XML_SCHEMACOLLECTIONNAME', SYSNAME], ['SS_DATETIME_PRECISION', SMALLINT],
];

function parameterRow(ex: Executor, procedure: ProcedureDefinition, name: string, ordinal: number, kind: number, type: SqlType, hasDefault: boolean): StoredValue[] {
  const f = typeFacets(type);
  const temporal = typeFamily(type) === 'temporal' && type.name !== 'date' && type.name !== 'datetime' && type.name !== 'smalldatetime';
  return [ex.session.database, procedure.schema, `${procedure.name};1`, name, ordinal, kind, hasDefault ? 1 : 0, null, 1, null,
    SQL_DB_TYPE[dataTypeName(type)] ?? null, f.charMax, f.octets, f.precision, f.scale, null, ex.session.database, 'sys', dataTypeName(type),
    null, null, null, temporal ? type.scale ?? 7 : null];
}

function procedureParams(ex: Executor, args: CallArgument[]): CallResult {
  const name = argument(args, 'procedure_name', 0);
  const wanted = argument(args, 'parameter_name', 3);
  const procedure = name === null ? undefined : ex.session.procedure(objectPart(String(name)).replace(/;\d+$/, ''));
  const rows: StoredValue[][] = [];
  if (procedure) {
    rows.push(parameterRow(ex, procedure, '@RETURN_VALUE', 0, 4, INT, false));
    procedure.parameters.forEach((p, i) => rows.push(parameterRow(ex, procedure, p.name.startsWith('@') ? p.name : `@${p.name}`, i + 1, p.output ? 2 : 1, p.type, p.hasDefault)));
  }
  const selected = wanted === null ? rows : rows.filter((row) => String(row[3]).toLowerCase() === String(wanted).toLowerCase());
  resultSet(ex, PROCEDURE_PARAMS_COLUMNS, selected);
  return { returnStatus: 0, outputs: [] };
}

function objectType(object: CatalogObject): string {
  return object.kind === 'table' ? 'user table' : object.kind === 'view' ? 'view' : 'stored procedure';
}

function lengthOf(type: SqlType): number {
  const f = typeFacets(type);
  if (type.variant) return 8016;
  if (f.octets !== null) return f.octets;
  return { tinyint: 1, smallint: 2, int: 4, bigint: 8, bit: 1, real: 4, float: 8, money: 8, smallmoney: 4, datetime: 8, smalldatetime: 4,
    date: 3, uniqueidentifier: 16, rowversion: 8 }[type.name as string] ?? (type.name === 'decimal' || type.name === 'numeric' ? 9 : 8);
}

/** sp_help shows Prec and Scale as char(5) text, blank where they do not apply. */
function facet(value: number | null): string {
  return value === null ? '     ' : String(value).padEnd(5, ' ');
}

function describeObject(ex: Executor, object: CatalogObject): void {
  resultSet(ex, [['Name', SYSNAME], ['Owner', SYSNAME], ['Type', NV(31)], ['Created_datetime', { name: 'datetime' }]],
    [[object.name, object.schema, objectType(object), object.createdAt]]);
  if (object.kind === 'procedure') {
    resultSet(ex, [['Parameter_name', SYSNAME], ['Type', SYSNAME], ['Length', SMALLINT], ['Prec', INT], ['Scale', INT], ['Param_order', INT], ['Collation', SYSNAME]],
      object.parameters.map((p, i) => {
        const f = typeFacets(p.type);
        return [p.name.startsWith('@') ? p.name : `@${p.name}`, dataTypeName(p.type), lengthOf(p.type), f.precision ?? f.charMax, f.scale, i + 1, f.collation];
      }));
    return;
  }
  resultSet(ex, [['Column_name', SYSNAME], ['Type', SYSNAME], ['Computed', { name: 'varchar', length: 35 }], ['Length', INT], ['Prec', { name: 'char', length: 5 }],
    ['Scale', { name: 'char', length: 5 }], ['Nullable', { name: 'varchar', length: 35 }], ['TrimTrailingBlanks', { name: 'varchar', length: 35 }],
    ['FixedLenNullInSource', { name: 'varchar', length: 35 }], ['Collation', SYSNAME]],
  object.columns.map((c) => {
    const f = typeFacets(c.type);
    const character = f.collation !== null;
    return [c.name, dataTypeName(c.type), c.computedSource ? 'yes' : 'no', lengthOf(c.type), facet(f.precision), facet(f.scale), c.nullable ? 'yes' : 'no',
      character || typeFamily(c.type) === 'binary' ? 'no' : '(n/a)', character || typeFamily(c.type) === 'binary' ? (c.nullable ? 'yes' : 'no') : '(n/a)', f.collation];
  }));
  if (object.kind !== 'table') return;
  describeTable(ex, object);
}

function describeTable(ex: Executor, table: TableDefinition): void {
  const identity = table.columns.find((c) => c.identity);
  resultSet(ex, [['Identity', SYSNAME], ['Seed', { name: 'numeric', precision: 38, scale: 0 }], ['Increment', { name: 'numeric', precision: 38, scale: 0 }], ['Not For Replication', INT]],
    [identity ? [identity.name, String(identity.identity!.seed), String(identity.identity!.increment), 0] : ['No identity column defined.', null, null, null]]);
  resultSet(ex, [['RowGuidCol', SYSNAME]], [['No rowguidcol column defined.']]);
  resultSet(ex, [['Data_located_on_filegroup', SYSNAME]], [['PRIMARY']]);
  const indexes: StoredValue[][] = [];
  if (table.primaryKey) indexes.push([table.primaryKey.name, 'clustered, unique, primary key located on PRIMARY', table.primaryKey.columns.join(', ')]);
  for (const unique of table.uniques) indexes.push([unique.name, 'nonclustered, unique, unique key located on PRIMARY', unique.columns.join(', ')]);
  for (const index of table.indexes) indexes.push([index.name, `nonclustered${index.unique ? ', unique' : ''} located on PRIMARY`, index.columns.join(', ')]);
  if (indexes.length > 0) resultSet(ex, [['index_name', SYSNAME], ['index_description', { name: 'varchar', length: 210 }], ['index_keys', NV(2126)]], indexes);
  const constraints: StoredValue[][] = [];
  const row = (type: string, name: string, keys: string, del = '(n/a)', upd = '(n/a)') => constraints.push([type, name, del, upd, 'Enabled', 'Is_For_Replication', keys]);
  for (const c of table.columns) if (c.defaultName) row(`DEFAULT on column ${c.name}`, c.defaultName, c.defaultSource ?? '');
  for (const check of table.checks) row('CHECK Table Level', check.name, check.source);
  for (const fk of table.foreignKeys) row('FOREIGN KEY', fk.name, `${fk.columns.join(', ')} REFERENCES dbo.${fk.refTable} (${fk.refColumns.join(', ')})`, fk.onDelete, fk.onUpdate);
  if (table.primaryKey) row('PRIMARY KEY (clustered)', table.primaryKey.name, table.primaryKey.columns.join(', '));
  for (const unique of table.uniques) row('UNIQUE (non-clustered)', unique.name, unique.columns.join(', '));
  if (constraints.length > 0) {
    resultSet(ex, [['constraint_type', NV(146)], ['constraint_name', SYSNAME], ['delete_action', NV(9)], ['update_action', NV(9)], ['status_enabled', { name: 'varchar', length: 8 }],
      ['status_for_replication', { name: 'varchar', length: 19 }], ['constraint_keys', NV(2078)]], constraints);
  } else {
    ex.sink.info(0, 'No constraints are defined on object \'dbo.' + table.name + '\', or you do not have permissions.', 'sp_help', 1);
  }
}

function describeType(ex: Executor, name: string, type: SqlType): void {
  const f = typeFacets(type);
  const fixed = !['varchar', 'nvarchar', 'varbinary', 'text', 'ntext', 'image'].includes(type.name);
  resultSet(ex, [['Type_name', SYSNAME], ['Storage_type', SYSNAME], ['Length', SMALLINT], ['Prec', INT], ['Scale', INT], ['Nullable', { name: 'varchar', length: 35 }],
    ['Default_name', SYSNAME], ['Rule_name', SYSNAME], ['Collation', SYSNAME]],
  [[name, dataTypeName(type), lengthOf(type), f.precision ?? (isUnicode(type) ? (f.charMax ?? 0) : f.charMax), f.scale, fixed ? 'yes' : 'yes', 'none', 'none', f.collation]]);
}

function help(ex: Executor, args: CallArgument[]): CallResult {
  const name = argument(args, 'objname', 0);
  if (name === null) {
    const objects = [...ex.session.catalog().all(), ...ex.session.tempTables.values()];
    resultSet(ex, [['Name', SYSNAME], ['Owner', SYSNAME], ['Object_type', NV(31)]], objects.map((o) => [o.name, o.schema, objectType(o)]));
    return { returnStatus: 0, outputs: [] };
  }
  const text = String(name);
  const typeName = canonicalTypeName(text.toLowerCase());
  if (typeName && !text.includes('.')) {
    const type = makeType(typeName, typeName === 'varchar' || typeName === 'nvarchar' || typeName === 'char' || typeName === 'nchar' || typeName === 'binary' || typeName === 'varbinary' ? [typeName.startsWith('n') ? 4000 : 8000] : []);
    describeType(ex, text.toLowerCase(), type.length === MAX_LENGTH ? { ...type, length: 8000 } : type);
    return { returnStatus: 0, outputs: [] };
  }
  const object = objectPart(text);
  const found = object.startsWith('#') ? ex.session.tempTables.get(object.toLowerCase()) ?? ex.session.procedure(object) : ex.session.catalog().object(object);
  if (!found) throw new SqlError(15009, `The object '${text}' does not exist in database '${ex.session.database}' or is invalid for this operation.`, 16, 1);
  describeObject(ex, found);
  return { returnStatus: 0, outputs: [] };
}

/** The system procedures answered here, by lower-case name. */
export const SYSTEM_PROCEDURES: Record<string, (ex: Executor, args: CallArgument[]) => CallResult> = {
  sp_help: help,
  sp_procedure_params_100_managed: procedureParams,
};
