/**
 * GET /metrics for a site's own loopback port: Prometheus text from a prom-client registry, never
 * to a call that came through a proxy. The listener adds X-Forwarded-Prefix/-Proto/-Host to every
 * relayed call (it overwrites whatever the caller sent), so a request carrying any forwarding
 * header did not come from this machine's scraper directly: it is answered 404, as if /metrics did
 * not exist, so a relayed caller cannot even learn that it does.
 */
import type { IncomingHttpHeaders } from 'node:http';

const FORWARDING_HEADERS = ['x-forwarded-prefix', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded'];

/** True when a proxy (the listener, or another) relayed this request. */
export function cameThroughProxy(headers: IncomingHttpHeaders): boolean {
  return FORWARDING_HEADERS.some((name) => headers[name] !== undefined);
}

/**
 * True when a path (after the hybrid connection's name was removed) means /metrics to a site:
 * Express matches case-insensitively and ignores a trailing slash, and a path may hide the word in
 * percent-escapes, dot segments or repeated slashes.
 */
export function isMetricsPath(pathAndQuery: string): boolean {
  const path = pathAndQuery.split(/[?#]/)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(new URL(path.replace(/\/{2,}/g, '/'), 'http://site').pathname);
  } catch {
    return false;
  }
  const normal = new URL(decoded.replace(/\\/g, '/').replace(/\/{2,}/g, '/'), 'http://site').pathname;
  return normal.toLowerCase().replace(/\/+$/, '') === '/metrics';
}

/** Call-duration histogram buckets (seconds), shared by the listener and the connectors so their histograms line up. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
