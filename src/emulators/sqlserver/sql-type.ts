/**
 * The SQL Server data types the stand-in knows: one model shared by the T-SQL layer (declared
 * column, variable and parameter types) and the TDS layer (TYPE_INFO and value encoding,
 * MS-TDS 2.2.5.4). Values travel between the layers in SQLite's storage domain (`StoredValue`).
 */

export const SQL_TYPE_NAMES = [
  'tinyint', 'smallint', 'int', 'bigint', 'bit', 'decimal', 'numeric', 'money', 'smallmoney', 'float', 'real',
  'char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'binary', 'varbinary', 'image',
  'date', 'time', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset', 'uniqueidentifier', 'rowversion', 'xml',
] as const;

export type SqlTypeName = (typeof SQL_TYPE_NAMES)[number];

/** `length` counts characters for (n)char types and bytes for binary types; MAX_LENGTH means (max). */
export interface SqlType {
  name: SqlTypeName;
  length?: number;
  precision?: number;
  scale?: number;
  /**
   * A sql_variant holding a value of this (base) type: CAST(x AS sql_variant) keeps x's type
   * and value; the wire then sends SSVARIANT (MS-TDS 2.2.5.5.4). `int` when only NULL is known.
   */
  variant?: boolean;
  /** A COLLATE other than the database's (char types): decides the code page varchar travels in. */
  collation?: string;
}

export const MAX_LENGTH = -1;

/** What a value is while it sits in SQLite or moves between layers. */
export type StoredValue = null | number | bigint | string | Buffer;

export type TypeFamily = 'integer' | 'bit' | 'exact' | 'approximate' | 'string' | 'binary' | 'temporal' | 'guid';

const FAMILY: Record<SqlTypeName, TypeFamily> = {
  tinyint: 'integer', smallint: 'integer', int: 'integer', bigint: 'integer', bit: 'bit',
  decimal: 'exact', numeric: 'exact', money: 'exact', smallmoney: 'exact', float: 'approximate', real: 'approximate',
  char: 'string', varchar: 'string', nchar: 'string', nvarchar: 'string', text: 'string', ntext: 'string', xml: 'string',
  binary: 'binary', varbinary: 'binary', image: 'binary', rowversion: 'binary',
  date: 'temporal', time: 'temporal', datetime: 'temporal', datetime2: 'temporal', smalldatetime: 'temporal', datetimeoffset: 'temporal',
  uniqueidentifier: 'guid',
};

export function typeFamily(type: SqlType): TypeFamily {
  return FAMILY[type.name];
}

export function isSqlTypeName(name: string): name is SqlTypeName {
  return (SQL_TYPE_NAMES as readonly string[]).includes(name);
}

/** Aliases SQL Server accepts in declarations. */
const ALIASES: Record<string, SqlTypeName> = {
  integer: 'int', dec: 'decimal', timestamp: 'rowversion', 'double precision': 'float', sysname: 'nvarchar',
  'character varying': 'varchar', character: 'char', 'national character varying': 'nvarchar', 'national character': 'nchar',
  'national char varying': 'nvarchar', 'national char': 'nchar', 'char varying': 'varchar',
};

export function canonicalTypeName(name: string): SqlTypeName | undefined {
  const lower = name.toLowerCase();
  if (isSqlTypeName(lower)) return lower;
  return ALIASES[lower];
}

/**
 * Builds a type from a name and its arguments, applying SQL Server's defaults. `inCast` selects
 * the CAST/CONVERT default length of 30 for character types instead of a declaration's 1.
 */
export function makeType(name: SqlTypeName, args: Array<number | 'max'> = [], inCast = false, alias?: string): SqlType {
  const [first, second] = args;
  switch (name) {
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'binary': case 'varbinary':
      if (alias === 'sysname') return { name: 'nvarchar', length: 128 };
      return { name, length: first === 'max' ? MAX_LENGTH : first ?? (inCast ? 30 : 1) };
    case 'decimal': case 'numeric':
      return { name, precision: numberArg(first, 18), scale: numberArg(second, 0) };
    case 'float':
      return numberArg(first, 53) <= 24 ? { name: 'real' } : { name: 'float' };
    case 'time': case 'datetime2': case 'datetimeoffset':
      return { name, scale: numberArg(first, 7) };
    case 'text': case 'ntext': case 'image': case 'xml':
      return { name, length: MAX_LENGTH };
    default:
      return { name };
  }
}

function numberArg(value: number | 'max' | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** The type as SQL Server writes it: `nvarchar(50)`, `decimal(10,2)`, `varbinary(max)`. */
export function formatType(type: SqlType): string {
  if (type.variant) return 'sql_variant';
  switch (type.name) {
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'binary': case 'varbinary':
      return `${type.name}(${type.length === MAX_LENGTH ? 'max' : type.length ?? 1})`;
    case 'decimal': case 'numeric':
      return `${type.name}(${type.precision ?? 18},${type.scale ?? 0})`;
    case 'time': case 'datetime2': case 'datetimeoffset':
      return `${type.name}(${type.scale ?? 7})`;
    case 'rowversion':
      return 'timestamp';
    default:
      return type.name;
  }
}

/** SQLite column declaration giving the affinity each type needs; strings compare case-insensitively like SQL Server's default collation. */
export function sqliteDeclaration(type: SqlType): string {
  // A sql_variant is a packed BLOB carrying its base type (variant-value.ts).
  if (type.variant) return 'BLOB';
  switch (typeFamily(type)) {
    case 'integer': case 'bit': return 'INTEGER';
    // No affinity: decimals too wide for a double are kept as exact text (see exact-decimal.ts).
    case 'exact': return 'BLOB';
    case 'approximate': return 'REAL';
    case 'string': case 'guid': return 'TEXT COLLATE NOCASE';
    case 'temporal': return 'TEXT';
    // rowversion too: 8 big-endian bytes compare in the same order as the numbers they hold.
    default: return 'BLOB';
  }
}

export function isUnicode(type: SqlType): boolean {
  return type.name === 'nchar' || type.name === 'nvarchar' || type.name === 'ntext' || type.name === 'xml';
}

export function isMax(type: SqlType): boolean {
  return type.length === MAX_LENGTH;
}

/** SQL Server's data type precedence (highest first) decides the type of mixed expressions. */
const PRECEDENCE: SqlTypeName[] = [
  'datetimeoffset', 'datetime2', 'datetime', 'smalldatetime', 'date', 'time', 'float', 'real', 'decimal', 'numeric',
  'money', 'smallmoney', 'bigint', 'int', 'smallint', 'tinyint', 'bit', 'xml', 'ntext', 'text', 'image', 'rowversion',
  'uniqueidentifier', 'nvarchar', 'nchar', 'varchar', 'char', 'varbinary', 'binary',
];

export function precedence(type: SqlType): number {
  return PRECEDENCE.length - PRECEDENCE.indexOf(type.name);
}

/** The type of a value that mixes two types (CASE branches, UNION columns, comparisons). */
export function dominantType(left: SqlType | null, right: SqlType | null): SqlType | null {
  if (!left) return right;
  if (!right) return left;
  // sql_variant ranks above every system type but the user-defined ones.
  if (left.variant) return left;
  if (right.variant) return right;
  if (left.name === right.name && typeFamily(left) === 'string') {
    const length = isMax(left) || isMax(right) ? MAX_LENGTH : Math.max(left.length ?? 1, right.length ?? 1);
    return { ...left, length };
  }
  if (typeFamily(left) === 'exact' && typeFamily(right) === 'exact' && left.name !== 'money' && right.name !== 'money') {
    const scale = Math.max(left.scale ?? 0, right.scale ?? 0);
    const integerDigits = Math.max((left.precision ?? 18) - (left.scale ?? 0), (right.precision ?? 18) - (right.scale ?? 0));
    return { name: 'decimal', precision: Math.min(38, integerDigits + scale), scale };
  }
  return precedence(left) >= precedence(right) ? left : right;
}

export const INT: SqlType = { name: 'int' };
export const BIGINT: SqlType = { name: 'bigint' };
export const BIT: SqlType = { name: 'bit' };
export const FLOAT: SqlType = { name: 'float' };
export const NVARCHAR_4000: SqlType = { name: 'nvarchar', length: 4000 };
export const NVARCHAR_MAX: SqlType = { name: 'nvarchar', length: MAX_LENGTH };
export const SYSNAME: SqlType = { name: 'nvarchar', length: 128 };
export const VARBINARY_MAX: SqlType = { name: 'varbinary', length: MAX_LENGTH };
export const DATETIME: SqlType = { name: 'datetime' };
/** sql_variant: values are packed with their base type (variant-value.ts); `int` is a placeholder. */
export const VARIANT: SqlType = { name: 'int', variant: true };
