/**
 * The write operations shared by the REST routes and the 2015 operations: inserting rows in one
 * transaction, and updating/deleting by a compiled condition.
 */
import { TableInfo } from '../catalog/model';
import { formatRow } from '../catalog/row-format';
import { insertBatches } from '../catalog/write-builder';
import { ConnectorContext } from '../context';
import { sqlErrors } from '../errors';

export const MAX_ROWS_PER_CALL = 100_000;

/** Inserts every row in one transaction and returns the stored rows (identities, defaults) in order. */
export async function insertRows(ctx: ConnectorContext, table: TableInfo, rows: unknown[]): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) throw sqlErrors.badBody('Give at least one row.');
  if (rows.length > MAX_ROWS_PER_CALL) throw sqlErrors.badBody(`Give at most ${MAX_ROWS_PER_CALL} rows per call.`);
  const batches = insertBatches(table, rows);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  return ctx.db.inTransaction(async (transaction) => {
    const stored: Array<Record<string, unknown>> = [];
    for (const batch of batches) {
      const result = await ctx.db.run(batch, transaction);
      for (const recordset of result.recordsets as unknown as Array<Array<Record<string, unknown>>>) {
        for (const row of recordset) stored.push(formatRow(row, byName));
      }
    }
    return stored;
  });
}
