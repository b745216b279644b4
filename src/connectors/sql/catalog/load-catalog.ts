/**
 * Reads the catalog from INFORMATION_SCHEMA (plain, standard queries that SQL Server and the
 * stand-in both run). Identity and computed columns are not in INFORMATION_SCHEMA: they come from
 * sys.columns, else COLUMNPROPERTY, and when neither is available (a limited server) the columns are
 * reported as plain ones and the logger says so.
 */
import type { Logger } from '../../../common/logger';
import { Database } from '../db/database';
import { ParameterBag } from '../db/parameters';
import { Catalog, ColumnInfo, ParameterInfo, ProcedureInfo, TableInfo } from './model';

type Row = Record<string, unknown>;

const TABLES_SQL = `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES ORDER BY TABLE_SCHEMA, TABLE_NAME;
SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE,
  CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION
FROM INFORMATION_SCHEMA.COLUMNS ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION;
SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.COLUMN_NAME, k.ORDINAL_POSITION
FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c
JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME
WHERE c.CONSTRAINT_TYPE = 'PRIMARY KEY' ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.ORDINAL_POSITION;`;

const SPECIAL_COLUMNS_SQL = [
  `SELECT OBJECT_SCHEMA_NAME(object_id) AS TABLE_SCHEMA, OBJECT_NAME(object_id) AS TABLE_NAME, name AS COLUMN_NAME,
  is_identity AS IS_IDENTITY, is_computed AS IS_COMPUTED FROM sys.columns WHERE is_identity = 1 OR is_computed = 1;`,
  `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME,
  COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'IsIdentity') AS IS_IDENTITY,
  COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'IsComputed') AS IS_COMPUTED
FROM INFORMATION_SCHEMA.COLUMNS;`,
];

const PROCEDURES_SQL = `SELECT ROUTINE_SCHEMA, ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_TYPE = 'PROCEDURE' ORDER BY ROUTINE_SCHEMA, ROUTINE_NAME;
SELECT SPECIFIC_SCHEMA, SPECIFIC_NAME, PARAMETER_NAME, PARAMETER_MODE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, ORDINAL_POSITION
FROM INFORMATION_SCHEMA.PARAMETERS ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION;`;

const key = (schema: unknown, name: unknown) => `${String(schema)}\u0000${String(name)}`;
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const truthy = (value: unknown): boolean => value === true || value === 1 || value === '1';

export async function loadCatalog(db: Database, logger: Logger): Promise<Catalog> {
  const result = await db.run({ text: TABLES_SQL, parameters: new ParameterBag() });
  const [tableRows = [], columnRows = [], keyRows = []] = result.recordsets as unknown as Row[][];
  const special = await loadSpecialColumns(db, logger);
  const tables = new Map<string, TableInfo>();
  for (const row of tableRows) {
    tables.set(key(row.TABLE_SCHEMA, row.TABLE_NAME), {
      schema: String(row.TABLE_SCHEMA),
      name: String(row.TABLE_NAME),
      kind: String(row.TABLE_TYPE).toUpperCase() === 'VIEW' ? 'view' : 'table',
      columns: [],
      primaryKey: [],
    });
  }
  for (const row of columnRows) {
    const table = tables.get(key(row.TABLE_SCHEMA, row.TABLE_NAME));
    if (table) table.columns.push(toColumn(row, special.get(key(key(row.TABLE_SCHEMA, row.TABLE_NAME), row.COLUMN_NAME))));
  }
  for (const row of keyRows) tables.get(key(row.TABLE_SCHEMA, row.TABLE_NAME))?.primaryKey.push(String(row.COLUMN_NAME));
  return { tables: [...tables.values()], procedures: await loadProcedures(db) };
}

function toColumn(row: Row, special: { identity: boolean; computed: boolean } | undefined): ColumnInfo {
  const dataType = String(row.DATA_TYPE).toLowerCase();
  const temporalScale = ['datetime2', 'datetimeoffset', 'time'].includes(dataType) ? num(row.DATETIME_PRECISION) : null;
  return {
    name: String(row.COLUMN_NAME),
    dataType,
    maxLength: num(row.CHARACTER_MAXIMUM_LENGTH),
    precision: num(row.NUMERIC_PRECISION),
    scale: temporalScale ?? num(row.NUMERIC_SCALE),
    nullable: String(row.IS_NULLABLE).toUpperCase() === 'YES',
    identity: special?.identity ?? false,
    computed: special?.computed ?? false,
    hasDefault: row.COLUMN_DEFAULT !== null && row.COLUMN_DEFAULT !== undefined,
  };
}

async function loadSpecialColumns(db: Database, logger: Logger): Promise<Map<string, { identity: boolean; computed: boolean }>> {
  for (const text of SPECIAL_COLUMNS_SQL) {
    try {
      const result = await db.run({ text, parameters: new ParameterBag() });
      const map = new Map<string, { identity: boolean; computed: boolean }>();
      for (const row of result.recordset as unknown as Row[]) {
        map.set(key(key(row.TABLE_SCHEMA, row.TABLE_NAME), row.COLUMN_NAME), { identity: truthy(row.IS_IDENTITY), computed: truthy(row.IS_COMPUTED) });
      }
      return map;
    } catch (error) {
      if ((error as { code?: string }).code === 'DatabaseUnavailable') throw error;
      logger.debug({ err: error }, 'identity columns: this query is not supported here, trying the next');
    }
  }
  logger.warn('the database reports no identity or computed columns (neither sys.columns nor COLUMNPROPERTY answered)');
  return new Map();
}

async function loadProcedures(db: Database): Promise<ProcedureInfo[]> {
  const result = await db.run({ text: PROCEDURES_SQL, parameters: new ParameterBag() });
  const [routineRows = [], parameterRows = []] = result.recordsets as unknown as Row[][];
  const procedures = new Map<string, ProcedureInfo>();
  for (const row of routineRows) {
    procedures.set(key(row.ROUTINE_SCHEMA, row.ROUTINE_NAME), { schema: String(row.ROUTINE_SCHEMA), name: String(row.ROUTINE_NAME), parameters: [] });
  }
  for (const row of parameterRows) {
    const procedure = procedures.get(key(row.SPECIFIC_SCHEMA, row.SPECIFIC_NAME));
    const name = String(row.PARAMETER_NAME ?? '').replace(/^@/, '');
    if (!procedure || name === '') continue;
    const parameter: ParameterInfo = {
      name,
      dataType: String(row.DATA_TYPE).toLowerCase(),
      maxLength: num(row.CHARACTER_MAXIMUM_LENGTH),
      precision: num(row.NUMERIC_PRECISION),
      scale: num(row.NUMERIC_SCALE),
      direction: String(row.PARAMETER_MODE).toUpperCase() === 'IN' ? 'in' : 'inout',
    };
    procedure.parameters.push(parameter);
  }
  return [...procedures.values()];
}
