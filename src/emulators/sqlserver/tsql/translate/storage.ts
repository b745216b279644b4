/**
 * How values are written into columns: the conversion SQL Server applies on INSERT and UPDATE
 * (a string into an int column is parsed or fails with 245; a number into decimal(10,2) is
 * rounded; text into a datetime column becomes the stored date form), and the values SQL
 * Server supplies itself — IDENTITY, ROWVERSION and DEFAULT.
 */
import type { CatalogColumn, TableDefinition } from '../../engine/catalog';
import { formatType, typeFamily } from '../../sql-type';
import { sqlErrors } from '../sql-error';
import { parseBatch } from '../parser/parser';
import type { Expr } from '../ast';
import { quoteString } from './context';
import { castSql, emitExpression, ExpressionContext, Typed } from './emit-expression';
import { Scope } from './scope';

const INTEGER_RANK: Partial<Record<string, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };

/** The value converted for storage in `column`, unless it already has the column's exact type. */
export function storeAs(value: Typed, column: CatalogColumn): string {
  if (value.sql === 'NULL') return 'NULL';
  const target = column.type;
  const from = value.type;
  // Into sql_variant any value converts implicitly; out of it only an explicit CAST/CONVERT may (257).
  if (from?.variant && !target.variant) throw sqlErrors.implicitFromVariant(formatType(target));
  if (target.variant) return from?.variant ? value.sql : castSql(value.sql, from, target);
  if (from && from.name === target.name && from.scale === target.scale && from.precision === target.precision) return value.sql;
  const family = typeFamily(target);
  const narrower = family === 'integer' && from !== null && typeFamily(from) === 'integer' && INTEGER_RANK[from.name]! > INTEGER_RANK[target.name]!;
  if (from && typeFamily(from) === family && !narrower && (family === 'string' || family === 'integer' || family === 'approximate')) return value.sql;
  if (family === 'binary' && from && typeFamily(from) === 'binary') return value.sql;
  if (target.name === 'rowversion') return value.sql;
  return castSql(value.sql, from, target);
}

/** The SQL that produces a column's value when the statement does not give one (DEFAULT, or left out). */
export function defaultValueSql(table: TableDefinition, column: CatalogColumn, ctx: ExpressionContext): string {
  if (column.identity) return `hcm_identity(${quoteString(table.name)}, ${column.identity.increment})`;
  if (column.type.name === 'rowversion') return 'hcm_rowversion()';
  if (column.defaultSource) {
    const expr = parseDefault(column.defaultSource);
    return storeAs(emitExpression(expr, { ...ctx, scope: new Scope([]) }), column);
  }
  return 'NULL';
}

const parsedDefaults = new Map<string, Expr>();

function parseDefault(source: string): Expr {
  let expr = parsedDefaults.get(source);
  if (!expr) {
    const [statement] = parseBatch(`SELECT ${source}`);
    if (statement.kind !== 'select' || statement.query.body.kind !== 'select' || statement.query.body.items[0].kind !== 'expr') {
      throw new Error(`Unreadable default ${source}`);
    }
    expr = statement.query.body.items[0].expr;
    parsedDefaults.set(source, expr);
  }
  return expr;
}

/** Columns a statement may not name: computed ones always; identity ones unless IDENTITY_INSERT is ON. */
export function isGenerated(column: CatalogColumn): boolean {
  return !!column.computedSource;
}

