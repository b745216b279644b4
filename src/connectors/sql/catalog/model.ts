/**
 * What the connector knows about the database: its tables (columns, primary key, identity and
 * rowversion columns) and stored procedures (parameters), read from INFORMATION_SCHEMA. Every
 * identifier that reaches generated SQL comes from here, never from the request.
 */

export interface ColumnInfo {
  name: string;
  /** The SQL type name in lower case, as INFORMATION_SCHEMA.COLUMNS.DATA_TYPE gives it. */
  dataType: string;
  /** Character or byte length; -1 for (max); null when not a string or binary type. */
  maxLength: number | null;
  precision: number | null;
  scale: number | null;
  nullable: boolean;
  identity: boolean;
  computed: boolean;
  hasDefault: boolean;
}

export interface TableInfo {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: ColumnInfo[];
  /** Primary-key column names in key order; empty when the table has none. */
  primaryKey: string[];
}

export interface ParameterInfo {
  /** Without the leading @. */
  name: string;
  dataType: string;
  maxLength: number | null;
  precision: number | null;
  scale: number | null;
  direction: 'in' | 'inout';
}

export interface ProcedureInfo {
  schema: string;
  name: string;
  parameters: ParameterInfo[];
}

export interface Catalog {
  tables: TableInfo[];
  procedures: ProcedureInfo[];
}

/** The declared type as SQL Server writes it: int, nvarchar(50), nvarchar(max), decimal(18,2). */
export function declaredType(column: Pick<ColumnInfo, 'dataType' | 'maxLength' | 'precision' | 'scale'>): string {
  const type = column.dataType.toLowerCase();
  if (['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary'].includes(type)) {
    if (column.maxLength === null) return type;
    return `${type}(${column.maxLength === -1 ? 'max' : column.maxLength})`;
  }
  if (type === 'decimal' || type === 'numeric') return `${type}(${column.precision ?? 18},${column.scale ?? 0})`;
  if (['datetime2', 'datetimeoffset', 'time'].includes(type) && column.scale !== null) return `${type}(${column.scale})`;
  return type;
}

export function findColumn(table: TableInfo, name: string): ColumnInfo | undefined {
  return table.columns.find((c) => c.name === name) ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export function isRowversion(column: ColumnInfo): boolean {
  return column.dataType === 'timestamp' || column.dataType === 'rowversion';
}

/** Columns a caller may not write: identity, computed and rowversion columns. */
export function isWritable(column: ColumnInfo): boolean {
  return !column.identity && !column.computed && !isRowversion(column);
}

/** Types SQL Server cannot compare or sort (so they are refused in $filter, $orderby and keys). */
export function isComparable(column: ColumnInfo): boolean {
  return !['text', 'ntext', 'image', 'xml', 'geography', 'geometry'].includes(column.dataType);
}

export function qualifiedName(table: { schema: string; name: string }): string {
  return `${table.schema}.${table.name}`;
}
