/**
 * One HTTP request to the relay, as a cloud sender makes it (`hcm call`, `hcm doctor`): over
 * https:// with the same trust (and, later, proxy) as the listener's WebSockets — the options come
 * from relay-websocket-options.ts — or over http:// to the emulator's plain mode. Bounded in time.
 */
import http from 'node:http';
import https from 'node:https';
import { relayTlsOptions } from './relay-websocket-options';

export interface RelayHttpAnswer {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RelayHttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export function relayHttpRequest(url: string, request: RelayHttpRequest = {}): Promise<RelayHttpAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const headers = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const options = { method: request.method ?? 'GET', headers, ...(secure ? relayTlsOptions() : {}) };
    const req = (secure ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(request.timeoutMs ?? 70_000, () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** A short reason for a failed request (no secrets: the URL is not part of it). */
export function describeRelayHttpError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (not running?)';
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return `${code}: the relay's certificate is not trusted (give it with --relay-certificate FILE or HCM_RELAY_CA_FILE)`;
  }
  return code ? `${code}: ${(error as Error).message}` : (error as Error).message;
}
