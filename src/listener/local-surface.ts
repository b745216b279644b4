/**
 * The listener site's own port (the IIS binding, or PORT under the standalone host): GET /status
 * (JSON), GET / (the status page), GET /warmup (for IIS Application Initialization), GET /metrics
 * (Prometheus text, for this machine only). Anything else answers the catalogue's JSON errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, HcmError } from '../common/errors';
import type { Logger } from '../common/logger';
import { cameThroughProxy, METRICS_CONTENT_TYPE } from '../common/metrics-endpoint';
import type { ListenerService } from './listener-service';
import { renderStatusPage } from './status-page';

export interface LocalSurfaceOptions {
  siteName: string;
  service: ListenerService;
  logger?: Logger;
  /** How often the status page reloads itself (default 5 s). */
  refreshSeconds?: number;
}

type Page = (options: LocalSurfaceOptions, request: IncomingMessage) => Promise<{ type: string; body: string } | HcmError>;

const PAGES: Record<string, Page> = {
  '/status': async ({ service }) => ({
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ hybridConnections: service.status() }),
  }),
  '/': async ({ siteName, service, refreshSeconds }) => ({
    type: 'text/html; charset=utf-8',
    body: renderStatusPage(siteName, service.status(), { refreshSeconds }),
  }),
  '/warmup': async ({ service }) => ({
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ status: 'warm', hybridConnections: service.status().length }),
  }),
  // Through a proxy (forwarding headers), /metrics does not exist.
  '/metrics': async ({ service }, request) =>
    cameThroughProxy(request.headers) ? errors.notFound('/metrics') : { type: METRICS_CONTENT_TYPE, body: await service.metrics.registry.metrics() },
};

export function createLocalSurface(options: LocalSurfaceOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    void serve(options, request, response, path).finally(() => options.logger?.debug({ method: request.method, path }, 'local request'));
  };
}

async function serve(options: LocalSurfaceOptions, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const page = PAGES[path];
  try {
    if (!page) return sendJsonError(response, errors.notFound(path.slice(0, 200)));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return sendJsonError(response, errors.methodNotAllowed(String(request.method), path));
    }
    const answer = await page(options, request);
    if (answer instanceof HcmError) return sendJsonError(response, answer);
    response.writeHead(200, {
      'content-type': answer.type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  } catch (error) {
    options.logger?.error({ event: 'local-surface-error', err: error }, 'The status surface failed.');
    if (!response.headersSent) sendJsonError(response, errors.internal());
  }
}

function sendJsonError(response: ServerResponse, error: HcmError): void {
  response.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', ...error.headers });
  response.end(JSON.stringify(error.toJSON()));
}
