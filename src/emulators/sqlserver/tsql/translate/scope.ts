/**
 * Name resolution, as SQL Server binds names: a FROM clause makes sources (tables, views, derived
 * tables, CTEs), each with its columns and declared types; a column reference resolves to one of
 * them (error 209 when two match, 207 when none does, 4104 for an unknown qualifier), looking
 * outwards through enclosing queries for correlated subqueries.
 */
import type { SqlType } from '../../sql-type';
import { sqlErrors } from '../sql-error';
import { quoteIdentifier } from './context';

export interface SourceColumn {
  name: string;
  /** The column's name in the SQLite text when it differs (derived tables use positional names). */
  sqlName?: string;
  type: SqlType | null;
  nullable: boolean;
  identity?: boolean;
  readOnly?: boolean;
}

export interface Source {
  /** What qualifies its columns: the alias when there is one, else the object name. */
  alias: string;
  explicitAlias: boolean;
  objectName?: string;
  schema?: string;
  /** The name used in the SQLite text. */
  sqlAlias: string;
  columns: SourceColumn[];
  /** Table rows the source reads (for error messages and OUTPUT). */
  table?: string;
}

export interface Resolved {
  sql: string;
  type: SqlType | null;
  nullable: boolean;
  column: SourceColumn;
  source: Source;
}

export class Scope {
  constructor(
    readonly sources: Source[],
    readonly parent?: Scope,
    /** Select-list aliases, visible to ORDER BY. */
    readonly aliases?: Map<string, { sql: string; type: SqlType | null }>,
  ) {}

  resolve(parts: string[]): Resolved {
    const found = this.find(parts);
    if (found) return found;
    const display = parts.join('.');
    if (parts.length === 1) throw sqlErrors.invalidColumnName(parts[0]);
    if (this.anyQualifierMatches(parts.slice(0, -1))) throw sqlErrors.invalidColumnName(parts[parts.length - 1]);
    throw sqlErrors.multiPartNotBound(display);
  }

  /** Resolution without errors; undefined when nothing matches here or outside. */
  find(parts: string[]): Resolved | undefined {
    const column = parts[parts.length - 1].toLowerCase();
    const qualifier = parts.slice(0, -1);
    const matches: Resolved[] = [];
    for (const source of this.sources) {
      if (qualifier.length > 0 && !qualifies(source, qualifier)) continue;
      const match = source.columns.find((c) => c.name.toLowerCase() === column);
      if (match) matches.push({ sql: columnSql(source, match), type: match.type, nullable: match.nullable, column: match, source });
    }
    if (matches.length > 1) throw sqlErrors.ambiguousColumnName(parts[parts.length - 1]);
    if (matches.length === 1) return matches[0];
    if (parts.length === 1 && this.aliases?.has(column)) {
      const alias = this.aliases.get(column)!;
      return { sql: alias.sql, type: alias.type, nullable: true, column: { name: parts[0], type: alias.type, nullable: true }, source: this.sources[0] };
    }
    return this.parent?.find(parts);
  }

  private anyQualifierMatches(qualifier: string[]): boolean {
    return this.sources.some((s) => qualifies(s, qualifier)) || (this.parent?.anyQualifierMatches(qualifier) ?? false);
  }

  /** Sources a qualified star (t.*) names. */
  sourcesFor(qualifier: string[] | undefined): Source[] {
    if (!qualifier) return this.sources;
    return this.sources.filter((s) => qualifies(s, qualifier));
  }
}

/** A column as SQLite text; sources with an empty SQL alias (RETURNING, CHECK) are unqualified. */
export function columnSql(source: Source, column: SourceColumn): string {
  const name = quoteIdentifier(column.sqlName ?? column.name);
  return source.sqlAlias === '' ? name : `${quoteIdentifier(source.sqlAlias)}.${name}`;
}

function qualifies(source: Source, qualifier: string[]): boolean {
  const last = qualifier[qualifier.length - 1].toLowerCase();
  if (source.explicitAlias) return qualifier.length === 1 && source.alias.toLowerCase() === last;
  if ((source.objectName ?? source.alias).toLowerCase() !== last) return false;
  if (qualifier.length >= 2) return (source.schema ?? 'dbo').toLowerCase() === qualifier[qualifier.length - 2].toLowerCase();
  return true;
}
