/**
 * Queries to SQLite: CTEs (recursive ones get WITH RECURSIVE), select lists with `*` expanded
 * from the catalog, WHERE/GROUP BY/HAVING, UNION/EXCEPT/INTERSECT, ORDER BY (select-list
 * aliases first, as SQL Server binds them), TOP and OFFSET … FETCH as LIMIT/OFFSET, FOR JSON.
 * Every output column is named positionally (__c0, __c1, …) in the SQLite text; its SQL Server
 * name and type travel alongside in `columns`, for COLMETADATA.
 */
import type { Query, QueryBody, SelectCore, OrderItem, Expr } from '../ast';
import { dominantType, MAX_LENGTH, SqlType, typeFamily } from '../../sql-type';
import { SqlError, sqlErrors } from '../sql-error';
import { ParameterList, quoteIdentifier, quoteString, TranslationContext } from './context';
import { columnSql, Scope, SourceColumn } from './scope';
import { compileFrom } from './emit-from';
import { emitExpression, ExpressionContext, orderKeySql } from './emit-expression';

export type OutputColumn = SourceColumn;

export interface CompiledQuery {
  sql: string;
  columns: OutputColumn[];
  /** SELECT @a = x, @b = y: the variables each column assigns (the query returns no rows to the client). */
  assignments?: Array<{ variable: string; op: string }>;
}

interface CompiledBody extends CompiledQuery {
  scope?: Scope;
  limit?: string;
}

export const FOR_JSON_COLUMN = 'JSON_F52E2B61-18A1-11d1-B105-00805F49916B';

export function positionalName(index: number): string {
  return `__c${index}`;
}

interface CteEntry {
  sqlName: string;
  columns: OutputColumn[];
}

export class QueryCompiler {
  private readonly cteFrames: Array<Map<string, CteEntry>> = [];

  constructor(readonly tc: TranslationContext, readonly params: ParameterList) {}

  expressionContext(scope: Scope): ExpressionContext {
    return {
      tc: this.tc,
      params: this.params,
      scope,
      subquery: (query, outer) => {
        const compiled = this.compile(query, outer, true);
        return { sql: compiled.sql, type: compiled.columns[0]?.type ?? null };
      },
    };
  }

  cte(name: string): (CteEntry & OutputColumn[]) | undefined {
    for (let i = this.cteFrames.length - 1; i >= 0; i--) {
      const entry = this.cteFrames[i].get(name.toLowerCase());
      if (entry) return Object.assign([...entry.columns], entry);
    }
    return undefined;
  }

  compile(query: Query, outer?: Scope, nested = false): CompiledQuery {
    this.cteFrames.push(new Map());
    try {
      const withSql = this.compileCtes(query, outer);
      const body = this.compileBody(query.body, outer);
      const order = this.compileOrderBy(query.orderBy, body);
      let limit = '';
      if (query.offset) {
        const ctx = this.expressionContext(new Scope([], outer));
        const fetch = query.fetch ? emitExpression(query.fetch, ctx).sql : '-1';
        limit = ` LIMIT ${fetch} OFFSET ${emitExpression(query.offset, ctx).sql}`;
      } else if (body.limit) limit = ` LIMIT ${body.limit}`;
      if (nested && query.orderBy.length > 0 && !limit && !query.forJson) throw sqlErrors.orderByInView();
      const sql = `${withSql}${body.sql}${order}${limit}`;
      if (query.forJson) return forJson(sql, body.columns, query.forJson);
      return { sql, columns: body.columns, assignments: body.assignments };
    } finally {
      this.cteFrames.pop();
    }
  }

  private compileCtes(query: Query, outer: Scope | undefined): string {
    if (query.ctes.length === 0) return '';
    const frame = this.cteFrames[this.cteFrames.length - 1];
    let recursive = false;
    const parts = query.ctes.map((cte) => {
      if (mentions(cte.query, cte.name)) {
        recursive = true;
        const anchor = this.compileCore(leftmostCore(cte.query.body), outer);
        frame.set(cte.name.toLowerCase(), { sqlName: cte.name, columns: renameColumns(anchor.columns, cte.columns) });
      }
      const compiled = this.compile(cte.query, outer, true);
      const columns = renameColumns(compiled.columns, cte.columns);
      frame.set(cte.name.toLowerCase(), { sqlName: cte.name, columns });
      return `${quoteIdentifier(cte.name)}(${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) AS (${compiled.sql})`;
    });
    return `WITH ${recursive ? 'RECURSIVE ' : ''}${parts.join(', ')} `;
  }

  private compileBody(body: QueryBody, outer: Scope | undefined): CompiledBody {
    switch (body.kind) {
      case 'select': return this.compileCore(body, outer);
      case 'parenthesized': {
        const inner = this.compile(body.query, outer, true);
        return { sql: `SELECT * FROM (${inner.sql})`, columns: inner.columns };
      }
      default: {
        const left = this.compoundMember(body.left, outer);
        const right = this.compoundMember(body.right, outer);
        if (left.columns.length !== right.columns.length) {
          throw new SqlError(205, 'All queries combined using a UNION, INTERSECT or EXCEPT operator must have an equal number of expressions in their target lists.');
        }
        const columns = left.columns.map((c, i) => ({ ...c, type: dominantType(c.type, right.columns[i].type), nullable: c.nullable || right.columns[i].nullable }));
        return { sql: `${left.sql} ${body.op} ${right.sql}`, columns };
      }
    }
  }

  /** A member of a compound select; SQLite allows no LIMIT inside one, so those are wrapped. */
  private compoundMember(body: QueryBody, outer: Scope | undefined): CompiledBody {
    const compiled = this.compileBody(body, outer);
    if (compiled.limit) return { ...compiled, sql: `SELECT * FROM (${compiled.sql} LIMIT ${compiled.limit})`, limit: undefined };
    return compiled;
  }

  compileCore(core: SelectCore, outer: Scope | undefined): CompiledBody {
    const from = core.from.length > 0 ? compileFrom(core.from, this, outer) : { sql: '', sources: [] };
    const scope = new Scope(from.sources, outer);
    const ctx = this.expressionContext(scope);
    const columns: OutputColumn[] = [];
    const selectSql: string[] = [];
    const assignments: Array<{ variable: string; op: string }> = [];
    for (const item of core.items) {
      if (item.kind === 'star') {
        const sources = scope.sourcesFor(item.qualifier);
        if (sources.length === 0) {
          if (item.qualifier) throw sqlErrors.multiPartNotBound(item.qualifier.join('.'));
          throw new SqlError(263, 'Must specify table to select from.');
        }
        for (const source of sources) {
          for (const column of source.columns) {
            selectSql.push(columnSql(source, column));
            columns.push({ ...column, sqlName: undefined });
          }
        }
        continue;
      }
      const typed = emitExpression(item.expr, ctx);
      if (item.kind === 'assign') assignments.push({ variable: item.variable, op: item.op });
      const name = item.kind === 'assign' ? item.variable : item.alias ?? (item.expr.kind === 'column' ? item.expr.parts[item.expr.parts.length - 1] : '');
      const column = item.expr.kind === 'column' ? scope.find(item.expr.parts)?.column : undefined;
      selectSql.push(typed.sql);
      columns.push({ name, type: typed.type, nullable: typed.nullable ?? true, identity: column?.identity, readOnly: column?.readOnly });
    }
    if (assignments.length > 0 && assignments.length !== columns.length) {
      throw new SqlError(141, 'A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.', 15);
    }
    let sql = `SELECT ${core.distinct ? 'DISTINCT ' : ''}${selectSql.map((s, i) => `${s} AS ${quoteIdentifier(positionalName(i))}`).join(', ')}`;
    if (from.sql) sql += ` FROM ${from.sql}`;
    const where = core.where ? emitExpression(core.where, ctx).sql : undefined;
    if (where) sql += ` WHERE ${where}`;
    if (core.groupBy.length) sql += ` GROUP BY ${core.groupBy.map((e) => emitExpression(e, ctx).sql).join(', ')}`;
    if (core.having) sql += ` HAVING ${emitExpression(core.having, ctx).sql}`;
    let limit: string | undefined;
    if (core.top) {
      if (core.top.percent) throw sqlErrors.notSupported('TOP … PERCENT');
      if (core.top.withTies) throw sqlErrors.notSupported('TOP … WITH TIES');
      limit = emitExpression(core.top.expr, this.expressionContext(new Scope([], outer))).sql;
    }
    return { sql, columns, scope, limit, assignments: assignments.length ? assignments : undefined };
  }

  private compileOrderBy(items: OrderItem[], body: CompiledBody): string {
    if (items.length === 0) return '';
    const terms = items.map((item) => {
      const positional = orderTarget(item.expr, body.columns);
      let sql: string;
      // Sortable keys for decimals and datetimeoffset; a compound query's ORDER BY must name its columns bare.
      if (positional !== undefined) {
        const column = { sql: quoteIdentifier(positionalName(positional)), type: body.columns[positional].type };
        sql = body.scope ? orderKeySql(column) : column.sql;
      } else if (body.scope) sql = orderKeySql(emitExpression(item.expr, this.expressionContext(body.scope)));
      else throw new SqlError(104, 'ORDER BY items must appear in the select list if the statement contains a UNION, INTERSECT or EXCEPT operator.', 15);
      return `${sql}${item.descending ? ' DESC' : ''}`;
    });
    return ` ORDER BY ${terms.join(', ')}`;
  }
}

/** ORDER BY 2, or ORDER BY a select-list name: the output column it means. */
function orderTarget(expr: Expr, columns: OutputColumn[]): number | undefined {
  if (expr.kind === 'literal' && typeof expr.value === 'number' && Number.isInteger(expr.value)) {
    if (expr.value < 1 || expr.value > columns.length) {
      throw new SqlError(108, `The ORDER BY position number ${expr.value} is out of range of the number of items in the select list.`, 15);
    }
    return expr.value - 1;
  }
  if (expr.kind === 'column' && expr.parts.length === 1) {
    const index = columns.findIndex((c) => c.name.toLowerCase() === expr.parts[0].toLowerCase());
    return index >= 0 ? index : undefined;
  }
  return undefined;
}

function renameColumns(columns: OutputColumn[], names: string[] | undefined): OutputColumn[] {
  return columns.map((c, i) => ({ ...c, name: names?.[i] ?? c.name, sqlName: undefined }));
}

function leftmostCore(body: QueryBody): SelectCore {
  if (body.kind === 'select') return body;
  if (body.kind === 'parenthesized') return leftmostCore(body.query.body);
  return leftmostCore(body.left);
}

/** True when the query's text names `name` as a table (a recursive CTE). */
function mentions(query: Query, name: string): boolean {
  const target = name.toLowerCase();
  const seen = JSON.stringify(query, (key, value) => (key === 'parts' ? value : value));
  return seen.toLowerCase().includes(`"kind":"table","name":{"parts":["${target}"]`);
}

function forJson(inner: string, columns: OutputColumn[], options: NonNullable<Query['forJson']>): CompiledQuery {
  const members = columns.map((c, i) => {
    const value = quoteIdentifier(positionalName(i));
    let json = c.type?.name === 'bit' ? `json(CASE WHEN ${value} IS NULL THEN NULL WHEN ${value} THEN 'true' ELSE 'false' END)` : value;
    // A decimal is a JSON number written at its scale, as SQL Server writes it (exact text included).
    if (c.type && typeFamily(c.type) === 'exact') json = `json(hcm_dec_text(${value}, ${c.type.name.endsWith('money') ? 4 : c.type.scale ?? 0}))`;
    return `${quoteString(c.name)}, ${json}`;
  });
  const object = options.includeNulls ? `json_object(${members.join(', ')})` : `json_patch('{}', json_object(${members.join(', ')}))`;
  let aggregate = `json_group_array(json(${object}))`;
  if (options.withoutArrayWrapper) aggregate = `substr(${aggregate}, 2, length(${aggregate}) - 2)`;
  if (options.root) aggregate = `'{' || ${quoteString(JSON.stringify(options.root))} || ':' || ${aggregate} || '}'`;
  const type: SqlType = { name: 'nvarchar', length: MAX_LENGTH };
  return {
    sql: `SELECT CASE WHEN count(*) = 0 THEN NULL ELSE ${aggregate} END AS ${quoteIdentifier(positionalName(0))} FROM (${inner})`,
    columns: [{ name: FOR_JSON_COLUMN, type, nullable: true }],
  };
}
