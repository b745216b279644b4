/**
 * Translates a T-SQL expression into SQLite SQL and works out its SQL Server type on the way.
 * The type decides what the operators mean: `+` concatenates strings and adds numbers, `/`
 * divides integers as integers, dates compare as dates; CAST, LIKE and division go through
 * functions that raise SQL Server's errors (245, 8134, …) where SQLite would quietly go on.
 */
import type { Expr, Query } from '../ast';
import { dominantType, formatType, INT, MAX_LENGTH, SqlType, typeFamily, BIT, VARIANT } from '../../sql-type';
import { sqlErrors } from '../sql-error';
import { literalSql, ParameterList, quoteString, TranslationContext } from './context';
import type { Scope } from './scope';
import { emitFunctionCall } from './functions';

export interface Typed {
  sql: string;
  type: SqlType | null;
  nullable?: boolean;
}

export interface ExpressionContext {
  tc: TranslationContext;
  params: ParameterList;
  scope: Scope;
  /** Compiles a subquery against an enclosing scope; returns its SQL and first column's type. */
  subquery(query: Query, outer: Scope): { sql: string; type: SqlType | null };
}

export function emitExpression(expr: Expr, ctx: ExpressionContext): Typed {
  switch (expr.kind) {
    case 'literal':
      return { sql: literalSql(expr.value, expr.type !== null && ['exact', 'approximate'].includes(typeFamily(expr.type))), type: expr.type, nullable: expr.value === null };
    case 'column': {
      const resolved = ctx.scope.resolve(expr.parts);
      return { sql: resolved.sql, type: resolved.type, nullable: resolved.nullable };
    }
    case 'variable': return emitVariable(expr.name, ctx);
    case 'sysvar': return emitSystemValue(expr.name, ctx);
    case 'keyword': return { sql: quoteString(expr.word.toLowerCase()), type: null };
    case 'unary': return emitUnary(expr, ctx);
    case 'binary': return emitBinary(expr, ctx);
    case 'like': {
      const value = emitExpression(expr.expr, ctx);
      const pattern = emitExpression(expr.pattern, ctx);
      const escape = expr.escape ? `, ${emitExpression(expr.escape, ctx).sql}` : '';
      return { sql: `(${expr.not ? 'NOT ' : ''}hcm_like(${value.sql}, ${pattern.sql}${escape}))`, type: BIT };
    }
    case 'between': {
      const value = emitExpression(expr.expr, ctx);
      const low = coerceTo(emitExpression(expr.low, ctx), value.type);
      const high = coerceTo(emitExpression(expr.high, ctx), value.type);
      if (comparedByFunction(value, low) || comparedByFunction(value, high)) {
        return { sql: `(${expr.not ? 'NOT ' : ''}(${comparisonSql(value, low, '>=')} AND ${comparisonSql(value, high, '<=')}))`, type: BIT };
      }
      return { sql: `(${value.sql} ${expr.not ? 'NOT ' : ''}BETWEEN ${low.sql} AND ${high.sql})`, type: BIT };
    }
    case 'in': return emitIn(expr, ctx);
    case 'isNull': return { sql: `(${emitExpression(expr.expr, ctx).sql} IS ${expr.not ? 'NOT ' : ''}NULL)`, type: BIT };
    case 'exists': return { sql: `(EXISTS ${subquerySql(expr.query, ctx)})`, type: BIT };
    case 'subquery': {
      // hcm_single raises 512 when a scalar subquery returns more than one row, as SQL Server does.
      const compiled = ctx.subquery(expr.query, ctx.scope);
      return { sql: `(SELECT hcm_single("__c0") FROM (${compiled.sql}))`, type: compiled.type, nullable: true };
    }
    case 'call': return emitFunctionCall(expr, ctx);
    case 'cast': return emitCast(expr, ctx);
    case 'case': return emitCase(expr, ctx);
    case 'collate': {
      const inner = emitExpression(expr.expr, ctx);
      const collation = /_CS_|_BIN/i.test(expr.collation) ? 'BINARY' : 'NOCASE';
      return { sql: `(${inner.sql} COLLATE ${collation})`, type: inner.type ? { ...inner.type, collation: expr.collation } : inner.type, nullable: inner.nullable };
    }
  }
}

function subquerySql(query: Query, ctx: ExpressionContext): string {
  return `(${ctx.subquery(query, ctx.scope).sql})`;
}

function emitVariable(name: string, ctx: ExpressionContext): Typed {
  const slot = ctx.tc.variable(name);
  if (!slot) throw sqlErrors.mustDeclareVariable(name);
  return { sql: ctx.params.bind(() => slot.value), type: slot.type, nullable: true };
}

function emitSystemValue(name: string, ctx: ExpressionContext): Typed {
  const system = ctx.tc.system(name);
  if (!system) throw sqlErrors.mustDeclareVariable(name);
  return { sql: ctx.params.bind(system.get), type: system.type };
}

function emitUnary(expr: Expr & { kind: 'unary' }, ctx: ExpressionContext): Typed {
  const operand = emitExpression(expr.operand, ctx);
  switch (expr.op) {
    case 'NOT': return { sql: `(NOT ${operand.sql})`, type: BIT };
    case '+': return operand;
    default:
      // SQLite's minus would turn a decimal kept as exact text into a double.
      if (expr.op === '-' && operand.type && typeFamily(operand.type) === 'exact') return { sql: `hcm_dec_neg(${operand.sql})`, type: operand.type, nullable: operand.nullable };
      return { sql: `(${expr.op}${operand.sql})`, type: operand.type };
  }
}

const COMPARISON_SQL: Record<string, string> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '!<': '>=', '!>': '<=' };

function emitBinary(expr: Expr & { kind: 'binary' }, ctx: ExpressionContext): Typed {
  if (expr.op === 'AND' || expr.op === 'OR') {
    return { sql: `(${emitExpression(expr.left, ctx).sql} ${expr.op} ${emitExpression(expr.right, ctx).sql})`, type: BIT };
  }
  const left = emitExpression(expr.left, ctx);
  const right = emitExpression(expr.right, ctx);
  const comparison = COMPARISON_SQL[expr.op];
  if (comparison) {
    const [l, r] = alignForComparison(left, right);
    return { sql: comparisonSql(l, r, comparison), type: BIT };
  }
  return emitArithmetic(expr.op, left, right);
}

const EXACT_OPERANDS = new Set(['exact', 'integer', 'bit']);

/** True when `left op right` cannot be left to SQLite: exact numbers (one may be stored as text) or datetimeoffset (compared as UTC). */
function comparedByFunction(left: Typed, right: Typed): boolean {
  if (!left.type || !right.type) return false;
  if (left.type.name === 'datetimeoffset' || right.type.name === 'datetimeoffset') return true;
  const lf = typeFamily(left.type);
  const rf = typeFamily(right.type);
  return (lf === 'exact' || rf === 'exact') && EXACT_OPERANDS.has(lf) && EXACT_OPERANDS.has(rf);
}

/**
 * A comparison of two aligned values. Decimals compare through hcm_dec_cmp, which reads a REAL
 * and an exact text alike (see exact-decimal.ts); datetimeoffset values compare by their UTC instant.
 */
export function comparisonSql(left: Typed, right: Typed, op: string): string {
  if (left.type?.variant || right.type?.variant) return `(hcm_variant_cmp(${left.sql}, ${right.sql}) ${op} 0)`;
  if (!comparedByFunction(left, right)) return `(${left.sql} ${op} ${right.sql})`;
  if (left.type!.name === 'datetimeoffset' || right.type!.name === 'datetimeoffset') return `(hcm_dto_utc(${left.sql}) ${op} hcm_dto_utc(${right.sql}))`;
  return `(hcm_dec_cmp(${left.sql}, ${right.sql}) ${op} 0)`;
}

/** The SQL to ORDER BY for a value: a sortable key for exact numbers and datetimeoffset, the value itself otherwise. */
export function orderKeySql(value: Typed): string {
  if (value.type?.variant) return `hcm_variant_key(${value.sql})`;
  if (value.type?.name === 'datetimeoffset') return `hcm_dto_utc(${value.sql})`;
  if (value.type && typeFamily(value.type) === 'exact') return `hcm_dec_key(${value.sql})`;
  return value.sql;
}

/** Makes both sides comparable the way SQL Server's implicit conversion would. */
export function alignForComparison(left: Typed, right: Typed): [Typed, Typed] {
  // Against a sql_variant the other side becomes one too; compareVariants then applies the family rules.
  if (left.type?.variant || right.type?.variant) return [coerceTo(left, VARIANT), coerceTo(right, VARIANT)];
  if (!left.type || !right.type) return [left, right];
  const lf = typeFamily(left.type);
  const rf = typeFamily(right.type);
  if (lf === rf && lf !== 'temporal') return [left, right];
  const target = dominantType(left.type, right.type)!;
  if (target === left.type) return [left, coerceTo(right, target)];
  return [coerceTo(left, target), right];
}

/** Wraps a value in a conversion to `type` unless it already has a compatible type. */
export function coerceTo(value: Typed, type: SqlType | null): Typed {
  if (type && !!type.variant !== !!value.type?.variant && value.sql !== 'NULL') return { sql: castSql(value.sql, value.type, type), type };
  if (!type || !value.type) return value;
  const from = typeFamily(value.type);
  const to = typeFamily(type);
  if (from === to && (to !== 'temporal' || value.type.name === type.name)) return value;
  if ((from === 'integer' || from === 'bit') && (to === 'integer' || to === 'exact' || to === 'approximate')) return value;
  if ((from === 'exact' || from === 'approximate') && (to === 'exact' || to === 'approximate')) return value;
  if (value.sql === 'NULL') return value;
  return { sql: castSql(value.sql, value.type, type), type };
}

export function castSql(sql: string, from: SqlType | null, to: SqlType, style?: string, tryCast = false): string {
  const target = to.collation ? `${formatType(to)} COLLATE ${to.collation}` : formatType(to);
  return `hcm_cast(${sql}, ${quoteString(target)}, ${from ? quoteString(formatType(from)) : 'NULL'}, ${style ?? 'NULL'}, ${tryCast ? 1 : 0})`;
}

function emitArithmetic(op: string, left: Typed, right: Typed): Typed {
  if (left.type?.variant || right.type?.variant) throw sqlErrors.variantOperand(op);
  const lf = left.type ? typeFamily(left.type) : null;
  const rf = right.type ? typeFamily(right.type) : null;
  if (op === '+' && (lf === 'string' || rf === 'string')) {
    const other = lf === 'string' ? rf : lf;
    if (other === null || other === 'string') {
      const type = concatenationType(left.type, right.type);
      return { sql: `(${left.sql} || ${right.sql})`, type };
    }
  }
  if (op === '+' && (lf === null || rf === null)) return { sql: `hcm_add(${left.sql}, ${right.sql})`, type: left.type ?? right.type };
  if ((op === '+' || op === '-') && (lf === 'temporal' || rf === 'temporal')) {
    const date = lf === 'temporal' ? left : right;
    const days = lf === 'temporal' ? right : left;
    return { sql: `hcm_dateadd('day', ${op === '-' ? `-(${days.sql})` : days.sql}, ${date.sql}, ${quoteString(formatType(date.type!))})`, type: date.type };
  }
  const type = arithmeticType(op, left.type, right.type);
  const integer = type !== null && (typeFamily(type) === 'integer' || typeFamily(type) === 'bit');
  switch (op) {
    case '/': return exact({ sql: `hcm_div(${left.sql}, ${right.sql}, ${integer ? 1 : 0})`, type });
    case '%': return { sql: `hcm_mod(${left.sql}, ${right.sql})`, type };
    case '^': return { sql: `((${left.sql} | ${right.sql}) - (${left.sql} & ${right.sql}))`, type };
    default: {
      // Decimal arithmetic in decimal, so values wider than a double stay exact (see exact-decimal.ts).
      if (type && typeFamily(type) === 'exact' && lf && rf && EXACT_OPERANDS.has(lf) && EXACT_OPERANDS.has(rf) && (op === '+' || op === '-' || op === '*')) {
        return exact({ sql: `hcm_dec_arith('${op}', ${left.sql}, ${right.sql})`, type });
      }
      // Exact and approximate operands may sit in SQLite as integers; make the arithmetic real.
      const l = !integer && lf !== 'exact' && lf !== 'approximate' ? `CAST(${left.sql} AS REAL)` : left.sql;
      return exact({ sql: `(${l} ${op} ${right.sql})`, type });
    }
  }
}

/**
 * Arithmetic on decimal and money runs in SQLite as doubles (exact only while the operands fit a
 * double; see exact-decimal.ts). Rounding every exact result to its type's scale, in decimal
 * (hcm_dec_round), keeps it the decimal SQL Server would compute, so equal decimals compare
 * equal (SUM(qty * price) = Total) instead of differing in the 15th digit, and leaves exact
 * text (a wide SUM) untouched.
 */
export function exact(value: Typed): Typed {
  if (!value.type || typeFamily(value.type) !== 'exact') return value;
  const scale = value.type.name === 'money' || value.type.name === 'smallmoney' ? 4 : value.type.scale ?? 0;
  return { ...value, sql: `hcm_dec_round(${value.sql}, ${scale})` };
}

function concatenationType(left: SqlType | null, right: SqlType | null): SqlType {
  const unicode = left?.name.startsWith('n') || right?.name.startsWith('n');
  const lengthOf = (t: SqlType | null) => (t?.length === MAX_LENGTH ? Infinity : t?.length ?? 30);
  const total = lengthOf(left) + lengthOf(right);
  const limit = unicode ? 4000 : 8000;
  return { name: unicode ? 'nvarchar' : 'varchar', length: total > limit ? MAX_LENGTH : total };
}

/** SQL Server's result types for arithmetic (decimal precision and scale per the documented rules, capped at 38). */
export function arithmeticType(op: string, left: SqlType | null, right: SqlType | null): SqlType | null {
  if (!left || !right) return left ?? right;
  const lf = typeFamily(left);
  const rf = typeFamily(right);
  if (lf === 'approximate' || rf === 'approximate') return { name: 'float' };
  if (lf === 'exact' || rf === 'exact') {
    if ((left.name === 'money' || right.name === 'money') && (op === '+' || op === '-')) return { name: 'money' };
    const p1 = left.precision ?? (lf === 'exact' ? 19 : integerPrecision(left));
    const s1 = left.scale ?? (left.name.endsWith('money') ? 4 : 0);
    const p2 = right.precision ?? (rf === 'exact' ? 19 : integerPrecision(right));
    const s2 = right.scale ?? (right.name.endsWith('money') ? 4 : 0);
    let precision: number;
    let scale: number;
    if (op === '*') { precision = p1 + p2 + 1; scale = s1 + s2; }
    else if (op === '/') { scale = Math.max(6, s1 + p2 + 1); precision = p1 - s1 + s2 + scale; }
    else { scale = Math.max(s1, s2); precision = Math.max(p1 - s1, p2 - s2) + scale + 1; }
    if (precision > 38) {
      scale = Math.max(Math.min(scale, 6), scale - (precision - 38));
      precision = 38;
    }
    return { name: 'decimal', precision, scale };
  }
  return dominantType(left.name === 'bit' ? INT : left, right.name === 'bit' ? INT : right);
}

function integerPrecision(type: SqlType): number {
  return { tinyint: 3, smallint: 5, int: 10, bigint: 19 }[type.name as string] ?? 10;
}

function emitIn(expr: Expr & { kind: 'in' }, ctx: ExpressionContext): Typed {
  const value = emitExpression(expr.expr, ctx);
  const not = expr.not ? 'NOT ' : '';
  if (expr.query) return { sql: `(${value.sql} ${not}IN ${subquerySql(expr.query, ctx)})`, type: BIT };
  const items = (expr.list ?? []).map((item) => coerceTo(emitExpression(item, ctx), value.type));
  // Exact decimals and datetimeoffset compare through functions (see comparisonSql); OR keeps IN's NULL logic.
  if (items.some((item) => comparedByFunction(value, item))) return { sql: `(${not}(${items.map((item) => comparisonSql(value, item, '=')).join(' OR ')}))`, type: BIT };
  return { sql: `(${value.sql} ${not}IN (${items.map((item) => item.sql).join(', ')}))`, type: BIT };
}

function emitCast(expr: Expr & { kind: 'cast' }, ctx: ExpressionContext): Typed {
  const value = emitExpression(expr.expr, ctx);
  // CAST(x AS sql_variant): the value packed with its own type (variant-value.ts).
  if (expr.type.variant) return { sql: value.type?.variant ? value.sql : castSql(value.sql, value.type, VARIANT), type: VARIANT, nullable: value.nullable !== false };
  const style = expr.style ? emitExpression(expr.style, ctx).sql : undefined;
  // A character result keeps its operand's collation (and so its code page on the wire).
  const type = value.type?.collation && typeFamily(expr.type) === 'string' ? { ...expr.type, collation: value.type.collation } : expr.type;
  // CAST keeps its operand's nullability (CAST(1 AS bit) is NOT NULL, so it travels as BIT); TRY_CAST may give NULL.
  return { sql: castSql(value.sql, value.type, type, style, expr.tryCast), type, nullable: expr.tryCast || value.nullable !== false };
}

function emitCase(expr: Expr & { kind: 'case' }, ctx: ExpressionContext): Typed {
  const operand = expr.operand ? emitExpression(expr.operand, ctx) : undefined;
  const branches = expr.whens.map((branch) => ({ when: emitExpression(branch.when, ctx), then: emitExpression(branch.then, ctx) }));
  const otherwise = expr.otherwise ? emitExpression(expr.otherwise, ctx) : undefined;
  let type: SqlType | null = null;
  for (const branch of branches) type = dominantType(type, branch.then.type);
  if (otherwise) type = dominantType(type, otherwise.type);
  const parts = branches.map((b) => {
    const when = operand ? alignForComparison(operand, b.when)[1].sql : b.when.sql;
    return `WHEN ${when} THEN ${coerceTo(b.then, type).sql}`;
  });
  const elseSql = otherwise ? ` ELSE ${coerceTo(otherwise, type).sql}` : '';
  return { sql: `(CASE${operand ? ` ${operand.sql}` : ''} ${parts.join(' ')}${elseSql} END)`, type, nullable: true };
}
