/**
 * The connector's Prometheus metrics (docs/metrics.md): requests by route template and status,
 * their duration, the SQL pool (size, in use, callers waiting) and SQL errors by number, all
 * labelled with the site. Served at GET /metrics to this machine only: a request carrying the
 * forwarding headers the listener adds to every relayed call gets 404.
 */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { errors, HcmError } from '../../../common/errors';
import { cameThroughProxy, DURATION_BUCKETS_SECONDS, METRICS_CONTENT_TYPE } from '../../../common/metrics-endpoint';


/** What the metrics read from the pool at each scrape. */
export interface PoolStats {
  size: number;
  inUse: number;
  waiters: number;
}

export class ConnectorMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route' | 'method'>;
  private readonly sqlErrors: Counter<'number' | 'code'>;

  constructor(siteName: string, pool: () => PoolStats) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ site: siteName });
    this.requests = new Counter({
      name: 'hcm_connector_requests_total',
      help: 'Requests answered, by route template (unmatched: no route), method and HTTP status (499: the caller went away).',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'hcm_connector_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by route template and method.',
      labelNames: ['route', 'method'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    const gauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read(pool())); } });
    gauge('hcm_connector_sql_pool_size', 'Connections open in the SQL pool (idle and in use).', (s) => s.size);
    gauge('hcm_connector_sql_pool_in_use', 'Pool connections running a statement now.', (s) => s.inUse);
    gauge('hcm_connector_sql_pool_waiters', 'Requests waiting for a pool connection.', (s) => s.waiters);
    this.sqlErrors = new Counter({
      name: 'hcm_connector_sql_errors_total',
      help: 'Database failures, by SQL Server error number ("none" when the failure had none, e.g. a network error) and the error code answered.',
      labelNames: ['number', 'code'],
      registers,
    });
  }

  /** prom-client's process_* and nodejs_* metrics as well (the site turns this on). */
  includeProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  sqlError(error: HcmError): void {
    const number = error.details.sqlErrorNumber;
    this.sqlErrors.inc({ number: typeof number === 'number' ? String(number) : 'none', code: error.code });
  }

  /** Middleware: one observation per request, labelled with the route template Express matched. */
  measure() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stop = this.duration.startTimer();
      res.on('close', () => {
        // req.route is the matched route (its template, never the raw path: bounded label values).
        const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        const method = req.method;
        stop({ route, method });
        this.requests.inc({ route, method, status: String(res.writableFinished ? res.statusCode : 499) });
      });
      next();
    };
  }

  /** GET /metrics, for a scraper on this machine; 404 to anything relayed. */
  handler() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (cameThroughProxy(req.headers)) return next(errors.notFound('/metrics'));
      this.registry.metrics().then(
        (text) => {
          res.setHeader('Cache-Control', 'no-store');
          res.type(METRICS_CONTENT_TYPE).send(text);
        },
        (error: unknown) => next(error),
      );
    };
  }
}
