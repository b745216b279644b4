/**
 * The connector's composition root: one Express app, its middleware and routes wired in a fixed
 * order (one line of why per step). Everything else receives the ConnectorContext.
 */
import express, { NextFunction, Request, Response } from 'express';
import { errors } from '../../common/errors';
import { ConnectorContext } from './context';
import { correlation } from './http/correlation';
import { errorHandler } from './http/error-handler';
import { iisnodeRawUrl } from './http/iisnode-raw-url';
import { discoveryRoutes } from './routes/discovery';
import { healthRoutes } from './routes/health';
import { itemReadRoutes } from './routes/items-read';
import { itemWriteRoutes } from './routes/items-write';
import { legacyRoutes } from './routes/legacy-operations';
import { metadataRoutes } from './routes/metadata';
import { pollRoutes } from './routes/poll';
import { procedureRoutes } from './routes/procedures';
import { queryRoutes } from './routes/query';
import { rootRoutes } from './routes/root';
import { triggerRoutes } from './routes/triggers';

/** Paths the connector serves, to tell 405 (known path, other method) from 404. */
const KNOWN_PATHS = [
  /^\/$/, /^\/health(\/ready)?$/, /^\/openapi\.json$/, /^\/apiapp\.json$/, /^\/swagger\/docs\/v1$/, /^\/tables$/, /^\/tables\/[^/]+$/,
  /^\/tables\/[^/]+\/items(\/[^/]+)?$/, /^\/tables\/[^/]+\/(select|insert|update|delete)$/, /^\/tables\/[^/]+\/triggers\/(new|changed)$/,
  /^\/procedures(\/[^/]+)?$/, /^\/query$/, /^\/poll$/,
];

export interface AppOptions {
  /** Answer 503 ShuttingDown to new calls (set while the site stops). */
  isStopping?: () => boolean;
  /** Route on iisnode's raw URL (X-iisnode-UNENCODED_URL); set when running under iisnode. */
  rawUrlFromIisnode?: boolean;
}

export function createConnectorApp(ctx: ConnectorContext, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // 0. Under iisnode, route on the raw URL the client sent, as the standalone host does.
  if (options.rawUrlFromIisnode) app.use(iisnodeRawUrl());
  // 1. Correlation id on every response and one access-log line per call.
  app.use(correlation(ctx.logger));
  // 2. Metrics: every request measured by its route template; /metrics for this machine only.
  app.use(ctx.metrics.measure());
  app.get('/metrics', ctx.metrics.handler());
  // 3. A stopping site takes no new calls.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (options.isStopping?.()) {
      res.setHeader('Connection', 'close');
      next(errors.shuttingDown(ctx.siteName));
    } else next();
  });
  // 4. The root is IIS's 403.14 page, as in 2015.
  app.use(rootRoutes());
  // 5. Health answers without a body parser or the catalog.
  app.use(healthRoutes(ctx));
  // 6. JSON bodies up to the connector's maxRequestBytes (413 PayloadTooLarge beyond).
  app.use(jsonBody(ctx));
  // 7. Metadata and discovery.
  app.use(metadataRoutes(ctx));
  app.use(discoveryRoutes(ctx));
  // 8. Table operations: REST items, the 2015 actions, triggers.
  app.use(itemReadRoutes(ctx));
  app.use(itemWriteRoutes(ctx));
  app.use(legacyRoutes(ctx));
  app.use(triggerRoutes(ctx));
  app.use(pollRoutes(ctx));
  // 9. Stored procedures and the allow-listed /query.
  app.use(procedureRoutes(ctx));
  app.use(queryRoutes(ctx));
  // 10. Nothing matched: 405 for a known path, else 404.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(KNOWN_PATHS.some((p) => p.test(req.path)) ? errors.methodNotAllowed(req.method, req.path) : errors.notFound(req.path.slice(0, 256)));
  });
  // 11. Every error in the catalogue's JSON shape.
  app.use(errorHandler(ctx.logger, () => (ctx.hasSettings ? ctx.settings.maxRequestBytes : 10 * 1024 * 1024)));
  return app;
}

/** express.json with the limit of the current settings (they can change while the site runs). */
function jsonBody(ctx: ConnectorContext) {
  const parsers = new Map<number, ReturnType<typeof express.json>>();
  return (req: Request, res: Response, next: NextFunction) => {
    const limit = ctx.hasSettings ? ctx.settings.maxRequestBytes : 10 * 1024 * 1024;
    let parser = parsers.get(limit);
    if (!parser) {
      parser = express.json({ limit, strict: true });
      parsers.clear();
      parsers.set(limit, parser);
    }
    parser(req, res, next);
  };
}
