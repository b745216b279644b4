/**
 * T-SQL built-in functions: what each becomes in SQLite (a native function, an expression, or
 * one of the stand-in's registered functions, named hcm_*) and the SQL Server type it returns.
 * Aggregates and window functions map onto SQLite's own, with SQL Server's result types
 * (SUM(int) is int, AVG(int) is int, COUNT_BIG is bigint, ROW_NUMBER is bigint).
 */
import type { Expr, OrderItem } from '../ast';
import { BIGINT, dominantType, formatType, INT, isUnicode, MAX_LENGTH, NVARCHAR_4000, SqlType, SYSNAME, typeFamily, VARIANT } from '../../sql-type';
import { collationInfo } from '../../protocol/types/code-page';
import { SqlError, sqlErrors } from '../sql-error';
import { quoteString } from './context';
import { coerceTo, emitExpression, exact, ExpressionContext, orderKeySql, Typed } from './emit-expression';

type Handler = (args: Typed[], ctx: ExpressionContext, call: Expr & { kind: 'call' }) => Typed;

const NUMERIC_38_0: SqlType = { name: 'numeric', precision: 38, scale: 0 };
const DATETIME: SqlType = { name: 'datetime' };
const DATETIME2: SqlType = { name: 'datetime2', scale: 7 };
const DATE: SqlType = { name: 'date' };

const call = (name: string, type: SqlType | null | ((args: Typed[]) => SqlType | null)): Handler => (args) => ({
  sql: `${name}(${args.map((a) => a.sql).join(', ')})`,
  type: typeof type === 'function' ? type(args) : type,
  nullable: true,
});
const sameAs = (index: number) => (args: Typed[]) => args[index]?.type ?? null;
const stringOf = (args: Typed[], fallbackLength = 4000): SqlType => {
  const type = args[0]?.type;
  if (type && typeFamily(type) === 'string') return type.name === 'char' ? { name: 'varchar', length: type.length } : type.name === 'nchar' ? { name: 'nvarchar', length: type.length } : type;
  return { name: 'varchar', length: fallbackLength };
};
const arity = (name: string, args: Typed[], min: number, max = min) => {
  if (args.length < min || args.length > max) {
    throw new SqlError(174, `The ${name.toLowerCase()} function requires ${min === max ? min : `${min} to ${max}`} argument(s).`, 15);
  }
};

const HANDLERS: Record<string, Handler> = {
  // Strings
  LEN: (args) => { arity('LEN', args, 1); return { sql: `hcm_len(${args[0].sql})`, type: args[0].type?.length === MAX_LENGTH ? BIGINT : INT }; },
  // varchar counts the bytes of its collation's code page (two for most East Asian characters), nvarchar UTF-16's.
  DATALENGTH: (args) => {
    arity('DATALENGTH', args, 1);
    const type = args[0].type;
    // char(n) and nchar(n) are fixed-length: n bytes (2n for nchar) whatever the value, NULL aside.
    if (type && (type.name === 'char' || type.name === 'nchar') && type.length !== undefined && type.length !== MAX_LENGTH) {
      return { sql: `(CASE WHEN ${args[0].sql} IS NULL THEN NULL ELSE ${type.name === 'nchar' ? type.length * 2 : type.length} END)`, type: INT, nullable: true };
    }
    const codePage = type && typeFamily(type) === 'string' && !isUnicode(type) ? collationInfo(type.collation).codePage : 0;
    return { sql: `hcm_datalength(${args[0].sql}, ${codePage})`, type: INT, nullable: true };
  },
  SQL_VARIANT_PROPERTY: (args) => { arity('SQL_VARIANT_PROPERTY', args, 2); return { sql: `hcm_variant_property(${coerceTo(args[0], VARIANT).sql}, ${args[1].sql})`, type: VARIANT, nullable: true }; },
  UPPER: call('upper', (a) => stringOf(a)),
  LOWER: call('lower', (a) => stringOf(a)),
  LTRIM: call('hcm_ltrim', (a) => stringOf(a)),
  RTRIM: call('hcm_rtrim', (a) => stringOf(a)),
  TRIM: call('hcm_trim', (a) => stringOf(a)),
  SUBSTRING: (args) => { arity('SUBSTRING', args, 3); return { sql: `hcm_substring(${args.map((a) => a.sql).join(', ')})`, type: stringOf(args) }; },
  LEFT: call('hcm_left', (a) => stringOf(a)),
  RIGHT: call('hcm_right', (a) => stringOf(a)),
  REPLACE: call('hcm_replace', (a) => stringOf(a)),
  REPLICATE: call('hcm_replicate', (a) => ({ ...stringOf(a), length: MAX_LENGTH })),
  SPACE: (args) => ({ sql: `hcm_replicate(' ', ${args[0].sql})`, type: { name: 'varchar', length: 8000 } }),
  REVERSE: call('hcm_reverse', (a) => stringOf(a)),
  CHARINDEX: call('hcm_charindex', INT),
  PATINDEX: call('hcm_patindex', INT),
  STUFF: call('hcm_stuff', (a) => stringOf(a)),
  CONCAT: (args) => ({ sql: `hcm_concat(${args.map((a) => a.sql).join(', ')})`, type: concatType(args) }),
  CONCAT_WS: (args) => ({ sql: `hcm_concat_ws(${args.map((a) => a.sql).join(', ')})`, type: concatType(args) }),
  QUOTENAME: call('hcm_quotename', { name: 'nvarchar', length: 258 }),
  STR: call('hcm_str', { name: 'varchar', length: 10 }),
  FORMAT: call('hcm_format', NVARCHAR_4000),
  NCHAR: call('char', { name: 'nchar', length: 1 }),
  CHAR: call('char', { name: 'char', length: 1 }),
  ASCII: call('unicode', INT),
  UNICODE: call('unicode', INT),
  STRING_ESCAPE: call('hcm_string_escape', NVARCHAR_4000),
  // Nulls and choices
  ISNULL: (args) => { arity('ISNULL', args, 2); return { sql: `coalesce(${args[0].sql}, ${coerceTo(args[1], args[0].type).sql})`, type: args[0].type ?? args[1].type }; },
  COALESCE: (args) => {
    const type = args.reduce<SqlType | null>((t, a) => dominantType(t, a.type), null);
    return { sql: args.length === 1 ? args[0].sql : `coalesce(${args.map((a) => coerceTo(a, type).sql).join(', ')})`, type, nullable: true };
  },
  NULLIF: call('nullif', sameAs(0)),
  IIF: (args) => {
    const type = dominantType(args[1]?.type ?? null, args[2]?.type ?? null);
    return { sql: `(CASE WHEN ${args[0].sql} THEN ${coerceTo(args[1], type).sql} ELSE ${coerceTo(args[2], type).sql} END)`, type };
  },
  CHOOSE: (args) => ({ sql: `(CASE ${args[0].sql} ${args.slice(1).map((a, i) => `WHEN ${i + 1} THEN ${a.sql}`).join(' ')} END)`, type: args.slice(1).reduce<SqlType | null>((t, a) => dominantType(t, a.type), null) }),
  // Numbers
  ABS: call('abs', sameAs(0)),
  CEILING: call('hcm_ceiling', (a) => roundedType(a[0]?.type ?? null)),
  FLOOR: call('hcm_floor', (a) => roundedType(a[0]?.type ?? null)),
  ROUND: call('hcm_round', sameAs(0)),
  POWER: call('hcm_power', (a) => (a[0]?.type && typeFamily(a[0].type) === 'integer' ? a[0].type : { name: 'float' })),
  SQRT: (args) => ({ sql: `hcm_math('sqrt', ${args[0].sql})`, type: { name: 'float' } }),
  SQUARE: (args) => ({ sql: `(CAST(${args[0].sql} AS REAL) * ${args[0].sql})`, type: { name: 'float' } }),
  SIGN: call('sign', sameAs(0)),
  PI: () => ({ sql: String(Math.PI), type: { name: 'float' } }),
  RAND: () => ({ sql: '(abs(random()) / 9223372036854775807.0)', type: { name: 'float' } }),
  EXP: (args) => ({ sql: `hcm_math('exp', ${args[0].sql})`, type: { name: 'float' } }),
  LOG: (args) => ({ sql: `hcm_math('log', ${args.map((a) => a.sql).join(', ')})`, type: { name: 'float' } }),
  LOG10: (args) => ({ sql: `hcm_math('log10', ${args[0].sql})`, type: { name: 'float' } }),
  ISNUMERIC: call('hcm_isnumeric', INT),
  // Dates
  GETDATE: () => ({ sql: "hcm_now('datetime', 0)", type: DATETIME }),
  CURRENT_TIMESTAMP: () => ({ sql: "hcm_now('datetime', 0)", type: DATETIME }),
  GETUTCDATE: () => ({ sql: "hcm_now('datetime', 1)", type: DATETIME }),
  SYSDATETIME: () => ({ sql: "hcm_now('datetime2', 0)", type: DATETIME2 }),
  SYSUTCDATETIME: () => ({ sql: "hcm_now('datetime2', 1)", type: DATETIME2 }),
  SYSDATETIMEOFFSET: () => ({ sql: "hcm_now('datetimeoffset', 0)", type: { name: 'datetimeoffset', scale: 7 } }),
  CURRENT_DATE: () => ({ sql: "hcm_now('date', 0)", type: DATE }),
  DATEADD: (args) => ({ sql: `hcm_dateadd(${args[0].sql}, ${args[1].sql}, ${args[2].sql}, ${args[2].type ? quoteString(formatType(temporalOrDatetime(args[2].type))) : 'NULL'})`, type: temporalOrDatetime(args[2].type) }),
  DATEDIFF: call('hcm_datediff', INT),
  DATEDIFF_BIG: call('hcm_datediff', BIGINT),
  DATEPART: call('hcm_datepart', INT),
  DATENAME: call('hcm_datename', { name: 'nvarchar', length: 30 }),
  YEAR: (args) => ({ sql: `hcm_datepart('year', ${args[0].sql})`, type: INT }),
  MONTH: (args) => ({ sql: `hcm_datepart('month', ${args[0].sql})`, type: INT }),
  DAY: (args) => ({ sql: `hcm_datepart('day', ${args[0].sql})`, type: INT }),
  EOMONTH: call('hcm_eomonth', DATE),
  DATEFROMPARTS: call('hcm_datefromparts', DATE),
  ISDATE: call('hcm_isdate', INT),
  // Identity, metadata, session
  NEWID: () => ({ sql: 'hcm_newid()', type: { name: 'uniqueidentifier' } }),
  NEWSEQUENTIALID: () => ({ sql: 'hcm_newid()', type: { name: 'uniqueidentifier' } }),
  SCOPE_IDENTITY: (_args, ctx) => sessionValue('SCOPE_IDENTITY', ctx, NUMERIC_38_0),
  IDENT_CURRENT: call('hcm_ident_current', NUMERIC_38_0),
  OBJECT_ID: call('hcm_object_id', INT),
  OBJECT_NAME: call('hcm_object_name', SYSNAME),
  OBJECT_SCHEMA_NAME: call('hcm_object_schema_name', SYSNAME),
  COLUMNPROPERTY: call('hcm_columnproperty', INT),
  OBJECTPROPERTY: call('hcm_objectproperty', INT),
  SCHEMA_NAME: (args) => ({ sql: args.length ? `(CASE ${args[0].sql} WHEN 1 THEN 'dbo' END)` : "'dbo'", type: SYSNAME }),
  SCHEMA_ID: () => ({ sql: '1', type: INT }),
  TYPE_NAME: call('hcm_type_name', SYSNAME),
  DB_NAME: (_args, ctx) => ({ sql: quoteString(ctx.tc.database), type: SYSNAME }),
  DB_ID: () => ({ sql: '5', type: { name: 'smallint' } }),
  SUSER_SNAME: (_args, ctx) => sessionValue('LOGIN', ctx, SYSNAME),
  SUSER_NAME: (_args, ctx) => sessionValue('LOGIN', ctx, SYSNAME),
  SYSTEM_USER: (_args, ctx) => sessionValue('LOGIN', ctx, SYSNAME),
  USER_NAME: () => ({ sql: "'dbo'", type: SYSNAME }),
  CURRENT_USER: () => ({ sql: "'dbo'", type: SYSNAME }),
  SESSION_USER: () => ({ sql: "'dbo'", type: SYSNAME }),
  USER: () => ({ sql: "'dbo'", type: SYSNAME }),
  HOST_NAME: (_args, ctx) => sessionValue('HOST_NAME', ctx, SYSNAME),
  APP_NAME: (_args, ctx) => sessionValue('APP_NAME', ctx, SYSNAME),
  SERVERPROPERTY: call('hcm_serverproperty', { name: 'nvarchar', length: 128 }),
  // The stand-in's one login owns the database: every permission check passes (SqlBulkCopy asks first).
  HAS_PERMS_BY_NAME: () => ({ sql: '1', type: INT }),
  ERROR_NUMBER: (_args, ctx) => sessionValue('ERROR_NUMBER', ctx, INT),
  ERROR_MESSAGE: (_args, ctx) => sessionValue('ERROR_MESSAGE', ctx, NVARCHAR_4000),
  ERROR_SEVERITY: (_args, ctx) => sessionValue('ERROR_SEVERITY', ctx, INT),
  ERROR_STATE: (_args, ctx) => sessionValue('ERROR_STATE', ctx, INT),
  ERROR_LINE: (_args, ctx) => sessionValue('ERROR_LINE', ctx, INT),
  ERROR_PROCEDURE: (_args, ctx) => sessionValue('ERROR_PROCEDURE', ctx, SYSNAME),
  XACT_STATE: (_args, ctx) => sessionValue('XACT_STATE', ctx, { name: 'smallint' }),
  // JSON
  JSON_VALUE: call('hcm_json_value', NVARCHAR_4000),
  JSON_QUERY: call('hcm_json_query', { name: 'nvarchar', length: MAX_LENGTH }),
  ISJSON: (args) => ({ sql: `json_valid(${args[0].sql})`, type: INT }),
  JSON_MODIFY: call('json_set', { name: 'nvarchar', length: MAX_LENGTH }),
};

const AGGREGATES = new Set(['COUNT', 'COUNT_BIG', 'SUM', 'AVG', 'MIN', 'MAX', 'STRING_AGG', 'STDEV', 'STDEVP', 'VAR', 'VARP', 'CHECKSUM_AGG']);
const WINDOW_ONLY: Record<string, (args: Typed[]) => SqlType | null> = {
  ROW_NUMBER: () => BIGINT, RANK: () => BIGINT, DENSE_RANK: () => BIGINT, NTILE: () => BIGINT,
  LAG: (a) => a[0]?.type ?? null, LEAD: (a) => a[0]?.type ?? null,
  FIRST_VALUE: (a) => a[0]?.type ?? null, LAST_VALUE: (a) => a[0]?.type ?? null,
  PERCENT_RANK: () => ({ name: 'float' }), CUME_DIST: () => ({ name: 'float' }),
};

function sessionValue(name: string, ctx: ExpressionContext, type: SqlType): Typed {
  const value = ctx.tc.sessionValue(name);
  if (!value) return { sql: 'NULL', type };
  return { sql: ctx.params.bind(value.get), type: value.type ?? type };
}

function concatType(args: Typed[]): SqlType {
  const unicode = args.some((a) => a.type?.name.startsWith('n'));
  return { name: unicode ? 'nvarchar' : 'varchar', length: unicode ? 4000 : 8000 };
}

function roundedType(type: SqlType | null): SqlType | null {
  if (type && (type.name === 'decimal' || type.name === 'numeric')) return { ...type, scale: 0 };
  return type;
}

function temporalOrDatetime(type: SqlType | null): SqlType {
  return type && typeFamily(type) === 'temporal' ? type : DATETIME;
}

export function emitFunctionCall(expr: Expr & { kind: 'call' }, ctx: ExpressionContext): Typed {
  const args = expr.args.map((arg) => emitExpression(arg, ctx));
  // exact() after OVER: round(sum(x) OVER (…), s), since OVER must follow the aggregate itself.
  if (AGGREGATES.has(expr.name)) return exact(withWindow(emitAggregate(expr, args, ctx), expr, ctx));
  const window = WINDOW_ONLY[expr.name];
  if (window) {
    if (!expr.over) throw new SqlError(10753, `The function '${expr.name.toLowerCase()}' must have an OVER clause.`, 15);
    return withWindow({ sql: `${expr.name.toLowerCase()}(${args.map((a) => a.sql).join(', ')})`, type: window(args) }, expr, ctx);
  }
  const handler = HANDLERS[expr.name];
  if (!handler) throw sqlErrors.unknownFunction(expr.name.toLowerCase());
  return handler(args, ctx, expr);
}

function emitAggregate(expr: Expr & { kind: 'call' }, args: Typed[], ctx: ExpressionContext): Typed {
  const distinct = expr.distinct ? 'DISTINCT ' : '';
  const inner = expr.star ? '*' : `${distinct}${args.map((a) => a.sql).join(', ')}`;
  const type = args[0]?.type ?? null;
  switch (expr.name) {
    case 'COUNT': return { sql: `count(${inner})`, type: INT };
    case 'COUNT_BIG': return { sql: `count(${inner})`, type: BIGINT };
    case 'MIN': case 'MAX': {
      // By numeric value: a column may hold REALs and exact texts (exact-decimal.ts). Not as window functions (no inverse).
      const prefix = expr.over || !type ? '' : type.variant ? 'hcm_variant_' : typeFamily(type) === 'exact' ? 'hcm_dec_' : type.name === 'datetimeoffset' ? 'hcm_dto_' : '';
      return { sql: `${prefix}${expr.name.toLowerCase()}(${inner})`, type, nullable: true };
    }
    case 'SUM': {
      const exactSum = type !== null && typeFamily(type) === 'exact';
      return { sql: `${exactSum ? 'hcm_dec_sum' : 'sum'}(${inner})`, type: sumType(type), nullable: true };
    }
    case 'AVG': {
      const result = avgType(type);
      const integer = result && typeFamily(result) === 'integer';
      return { sql: integer ? `CAST(avg(${inner}) AS INTEGER)` : `avg(${inner})`, type: result, nullable: true };
    }
    case 'STRING_AGG': {
      const order = expr.withinGroup?.length ? ` ORDER BY ${orderSql(expr.withinGroup, ctx)}` : '';
      return { sql: `group_concat(${args[0].sql}, ${args[1]?.sql ?? "','"}${order})`, type: stringOf(args, 8000), nullable: true };
    }
    default: return { sql: `hcm_${expr.name.toLowerCase()}(${inner})`, type: { name: 'float' }, nullable: true };
  }
}

function orderSql(items: OrderItem[], ctx: ExpressionContext): string {
  return items.map((item) => `${orderKeySql(emitExpression(item.expr, ctx))}${item.descending ? ' DESC' : ''}`).join(', ');
}

function sumType(type: SqlType | null): SqlType | null {
  if (!type) return null;
  switch (typeFamily(type)) {
    case 'integer': case 'bit': return type.name === 'bigint' ? BIGINT : INT;
    case 'exact': return type.name.endsWith('money') ? { name: 'money' } : { name: 'decimal', precision: 38, scale: type.scale ?? 0 };
    default: return { name: 'float' };
  }
}

function avgType(type: SqlType | null): SqlType | null {
  if (!type) return null;
  switch (typeFamily(type)) {
    case 'integer': case 'bit': return type.name === 'bigint' ? BIGINT : INT;
    case 'exact': return type.name.endsWith('money') ? { name: 'money' } : { name: 'decimal', precision: 38, scale: Math.max(6, type.scale ?? 0) };
    default: return { name: 'float' };
  }
}

function withWindow(result: Typed, expr: Expr & { kind: 'call' }, ctx: ExpressionContext): Typed {
  if (!expr.over) return result;
  const partition = expr.over.partitionBy.map((e) => emitExpression(e, ctx).sql);
  const order = expr.over.orderBy.map((item) => `${orderKeySql(emitExpression(item.expr, ctx))}${item.descending ? ' DESC' : ''}`);
  const parts = [
    partition.length ? `PARTITION BY ${partition.join(', ')}` : '',
    order.length ? `ORDER BY ${order.join(', ')}` : '',
    expr.over.frame ?? '',
  ].filter(Boolean);
  return { ...result, sql: `${result.sql} OVER (${parts.join(' ')})` };
}

