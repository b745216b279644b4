/**
 * Parameters of one generated statement. Every value a caller gives reaches SQL Server as a typed
 * parameter (@p0, @p1, …) of an sp_executesql call; the statement text only ever holds names
 * taken from the catalog and the parameter placeholders made here.
 */
import sql from 'mssql';

export type SqlType = sql.ISqlType | (() => sql.ISqlType);

export interface BoundParameter {
  name: string;
  type: SqlType;
  value: unknown;
}

export class ParameterBag {
  private readonly items: BoundParameter[] = [];

  constructor(private readonly prefix = 'p') {}

  /** Adds a parameter and returns its placeholder ("@p3"). */
  add(type: SqlType, value: unknown): string {
    const name = `${this.prefix}${this.items.length}`;
    this.items.push({ name, type, value });
    return `@${name}`;
  }

  get size(): number {
    return this.items.length;
  }

  get parameters(): readonly BoundParameter[] {
    return this.items;
  }

  applyTo(request: sql.Request): sql.Request {
    for (const item of this.items) request.input(item.name, item.type, item.value);
    return request;
  }
}

/** A statement and its parameters, ready to run. */
export interface Statement {
  text: string;
  parameters: ParameterBag;
}
