/** What each suite of the integration test gets: the running target and a connected pool. */
import type sql from 'mssql';
import type { Target } from '../target';

export class SuiteContext {
  target!: Target;
  pool!: sql.ConnectionPool;

  get database(): string {
    return this.target.database;
  }

  get isStandIn(): boolean {
    return this.target.standIn !== undefined;
  }
}

/** A result's record sets as an array (mssql's typings also allow a keyed object). */
export function recordsets(result: { recordsets: unknown }): Array<Array<Record<string, unknown>>> {
  return result.recordsets as unknown as Array<Array<Record<string, unknown>>>;
}
