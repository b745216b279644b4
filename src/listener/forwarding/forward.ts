/**
 * Forwards one relayed call to its connector site and streams the answer back:
 * request passes → http.request to 127.0.0.1:<port> → stream.pipeline(body → connector) →
 * response passes → stream.pipeline(connector → relay). No body is buffered here (hyco-https
 * already delivers the request body as one message, B18). A connector slower than `timeoutMs` to
 * answer (or to continue its body) gets 504, a refusal 502; when the caller can no longer get
 * an answer, the upstream request is destroyed.
 */
import http from 'node:http';
import { pipeline } from 'node:stream';
import type { HcmError } from '../../common/errors';
import type { RelayedCall } from '../../relay/relayed-call';
import { ConnectorTarget, CONNECTOR_HOST } from './connector-target';
import { buildOutgoingRequest } from './request-passes';
import { buildResponseHeaders } from './response-passes';
import { ConnectorTimeoutError, toUpstreamError } from './upstream-error';

export interface ForwardOptions {
  /** Time allowed for the connector's response headers, and for each pause in its body. */
  timeoutMs: number;
  /** Agent for the loopback connections (default: kept-alive connections shared by all calls). */
  agent?: http.Agent;
}

export type ForwardOutcome = 'answered' | 'failed' | 'caller-gone';

export interface ForwardResult {
  outcome: ForwardOutcome;
  /** The status the caller got (499 when the caller was gone, as nginx logs it). */
  status: number;
  correlationId: string;
  /** The path sent to the connector (for the access log). */
  path: string;
  error?: HcmError;
  /** Body bytes that went each way (caller → connector, answer → caller), for the metrics. */
  bytes: { request: number; response: number };
}

export const CALLER_GONE_STATUS = 499;

/**
 * Connections to the connectors are kept alive: a new TCP connection per call cost the listener
 * more CPU than anything else of ours in a profile (connect, headers on a fresh socket, and the
 * connector's accept). Idle sockets are dropped after 4 s, before Node's 5 s server keep-alive
 * timeout can close them under a request.
 */
const defaultAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 64, timeout: 4000 });

export function forwardCall(call: RelayedCall, target: ConnectorTarget, options: ForwardOptions): Promise<ForwardResult> {
  const outgoing = buildOutgoingRequest(call, target);
  return new Promise((resolve) => {
    let settled = false;
    let callerGone = false;
    const bytes = { request: 0, response: 0 };
    const finish = (result: Omit<ForwardResult, 'correlationId' | 'path' | 'bytes'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(headerTimer);
      call.signal.removeEventListener('abort', onCallerGone);
      resolve({ ...result, correlationId: outgoing.correlationId, path: outgoing.path, bytes });
    };
    const upstream = http.request({
      host: CONNECTOR_HOST,
      port: target.port,
      method: outgoing.method,
      path: outgoing.path,
      headers: outgoing.headers,
      agent: options.agent ?? defaultAgent,
      setHost: false,
    });
    const headerTimer = setTimeout(() => upstream.destroy(new ConnectorTimeoutError(options.timeoutMs)), options.timeoutMs);
    const onCallerGone = () => {
      callerGone = true;
      upstream.destroy(new Error('The caller is gone.'));
    };
    call.signal.addEventListener('abort', onCallerGone, { once: true });
    if (call.signal.aborted) onCallerGone();

    upstream.on('error', (error) => {
      if (call.response.headersSent) return; // the response pipeline below reports it
      if (callerGone) return finish({ outcome: 'caller-gone', status: CALLER_GONE_STATUS });
      const failure = toUpstreamError(error, target.connector);
      bytes.response += sendError(call, failure, outgoing.correlationId);
      finish({ outcome: 'failed', status: failure.status, error: failure });
    });
    pipeline(call.body, upstream, () => undefined);
    call.body.on('data', (chunk: Buffer) => (bytes.request += chunk.length));

    upstream.on('response', (response) => {
      clearTimeout(headerTimer);
      const status = response.statusCode ?? 502;
      response.setTimeout(options.timeoutMs, () => response.destroy(new ConnectorTimeoutError(options.timeoutMs)));
      call.response.writeHead(status, response.statusMessage, buildResponseHeaders(response.headers, outgoing.correlationId));
      response.on('data', (chunk: Buffer) => (bytes.response += chunk.length));
      pipeline(response, call.response.writable(), (error) => {
        if (!error) return finish({ outcome: 'answered', status });
        call.response.abort();
        if (callerGone) return finish({ outcome: 'caller-gone', status: CALLER_GONE_STATUS });
        finish({ outcome: 'failed', status, error: toUpstreamError(error, target.connector) });
      });
    });
  });
}

/** Answers with the catalogue's JSON error shape (when nothing was sent yet); returns the body's size. */
export function sendError(call: Pick<RelayedCall, 'response'>, error: HcmError, correlationId: string): number {
  if (call.response.headersSent) {
    call.response.abort();
    return 0;
  }
  const body = Buffer.from(JSON.stringify(error.toJSON()));
  call.response.writeHead(error.status, undefined, {
    ...error.headers,
    'content-type': 'application/json; charset=utf-8',
    'x-correlation-id': correlationId,
  });
  call.response.end(body);
  return body.length;
}
