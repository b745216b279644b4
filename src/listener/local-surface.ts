/**
 * The listener site's own port (the IIS binding, or PORT under the standalone host): GET /status
 * (JSON), GET / (the status page), GET /warmup (for IIS Application Initialization). Anything
 * else answers the catalogue's JSON errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, HcmError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { ListenerService } from './listener-service';
import { renderStatusPage } from './status-page';

export interface LocalSurfaceOptions {
  siteName: string;
  service: ListenerService;
  logger?: Logger;
}

type Page = (options: LocalSurfaceOptions) => { type: string; body: string };

const PAGES: Record<string, Page> = {
  '/status': ({ service }) => ({
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ hybridConnections: service.status() }),
  }),
  '/': ({ siteName, service }) => ({ type: 'text/html; charset=utf-8', body: renderStatusPage(siteName, service.status()) }),
  '/warmup': ({ service }) => ({
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ status: 'warm', hybridConnections: service.status().length }),
  }),
};

export function createLocalSurface(options: LocalSurfaceOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const page = PAGES[path];
    try {
      if (!page) return sendJsonError(response, errors.notFound(path.slice(0, 200)));
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD');
        return sendJsonError(response, errors.methodNotAllowed(String(request.method), path));
      }
      const { type, body } = page(options);
      response.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      options.logger?.error({ event: 'local-surface-error', err: error }, 'The status surface failed.');
      if (!response.headersSent) sendJsonError(response, errors.internal());
    } finally {
      options.logger?.debug({ method: request.method, path }, 'local request');
    }
  };
}

function sendJsonError(response: ServerResponse, error: HcmError): void {
  response.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', ...error.headers });
  response.end(JSON.stringify(error.toJSON()));
}
