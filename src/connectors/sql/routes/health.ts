/**
 * GET /health: the process answers (200 {"status":"ok"}). GET /health/ready: the database answers
 * a trivial query through the pool — 200 {"status":"ready","database"} or 503
 * {"status":"unavailable","database","error":{code,message}} with Retry-After.
 */
import { Router } from 'express';
import { HcmError } from '../../../common/errors';
import { ConnectorContext } from '../context';
import { mapDatabaseError } from '../db/error-map';
import { ParameterBag } from '../db/parameters';

export function healthRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const database = ctx.db.databaseName ?? null;
    try {
      void ctx.settings;
      await ctx.db.run({ text: 'SELECT 1 AS ready;', parameters: new ParameterBag() });
      res.json({ status: 'ready', database });
    } catch (thrown) {
      const error: HcmError = mapDatabaseError(thrown, ctx.db.requestTimeoutMs).error;
      res.setHeader('Retry-After', error.headers['Retry-After'] ?? '2');
      res.status(503).json({ status: 'unavailable', database, error: { code: error.code, message: error.message } });
    }
  });
  return router;
}
