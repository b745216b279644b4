/**
 * GET /poll, the 2015 "Poll Data" trigger: the Data Available Query counts waiting rows; 0 → 202
 * with Retry-After. Otherwise the Poll Data Query (which also marks, moves or deletes what it read)
 * runs in a transaction whose rows stream back as 200 {"value":[…]}; the transaction commits once
 * the response was sent in full and rolls back if the client went away or anything failed, so rows
 * are never lost — at worst delivered again.
 */
import { Router } from 'express';
import sql from 'mssql';
import { errors } from '../../../common/errors';
import { formatDriverValue } from '../catalog/row-format';
import { ConnectorContext } from '../context';
import { ParameterBag } from '../db/parameters';
import { arrayItems, streamJsonRows } from '../http/stream-query';

export const POLL_RETRY_AFTER_SECONDS = 15;

export function pollRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/poll', async (_req, res) => {
    const settings = ctx.settings;
    if (!settings.dataAvailableQuery || !settings.pollDataQuery) {
      throw errors.badRequest('The poll trigger is not set up: give this connector a dataAvailableQuery and a pollDataQuery.');
    }
    const available = await ctx.db.run({ text: settings.dataAvailableQuery, parameters: new ParameterBag() });
    if (waitingCount(available.recordset?.[0]) <= 0) {
      res.setHeader('Retry-After', String(POLL_RETRY_AFTER_SECONDS));
      res.status(202).end();
      return;
    }
    const pool = await ctx.db.pool();
    const transaction = new sql.Transaction(pool);
    try {
      await transaction.begin();
    } catch (error) {
      throw ctx.db.fail(pool, error).error;
    }
    let settled = false;
    const settle = (commit: boolean) => {
      if (settled) return;
      settled = true;
      const outcome = commit ? transaction.commit() : transaction.rollback();
      outcome
        .then(() => ctx.logger.info({ committed: commit }, commit ? 'poll data committed after the response was sent' : 'poll data rolled back'))
        .catch((error) => {
          ctx.db.fail(pool, error);
          ctx.logger.error({ err: error }, commit ? 'poll data commit failed; the rows will be polled again' : 'poll data rollback failed');
        });
    };
    const item = arrayItems();
    try {
      await streamJsonRows(ctx, res, { text: settings.pollDataQuery, parameters: new ParameterBag() }, {
        head: '{"value":[',
        transaction,
        row: (row, index) => (index === 0 ? item(JSON.stringify(pollRow(row))) : undefined),
        tail: () => ']}',
        finished: settle,
      });
    } catch (error) {
      settle(false);
      throw error;
    }
  });
  return router;
}

/** The Data Available Query's answer: the first column of its first row, as a number. */
function waitingCount(row: Record<string, unknown> | undefined): number {
  if (!row) return 0;
  const first = Object.values(row)[0];
  const n = Number(Array.isArray(first) ? first[0] : first);
  return Number.isFinite(n) ? n : 0;
}

function pollRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) out[name] = formatDriverValue(value);
  return out;
}
