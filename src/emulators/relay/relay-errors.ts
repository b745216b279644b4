/**
 * The catalogue of answers the relay itself produces, rendered as Azure Relay renders them: the
 * HTTP status, the text as the reason phrase (that is where WebSocket clients find it) and a Service
 * Bus style body, each text followed by "TrackingId:…, SystemTracker:…, Timestamp:…".
 * Texts marked [seen] are copied from real service answers quoted in relay-protocol.md; the others
 * follow the service's "Code: sentence" style.
 */
import type { Duplex } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Right } from './model';

export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** false: the text is someone else's (a listener's rejection) and goes out exactly, with no tracking suffix. */
    readonly tracked = true,
  ) {
    super(detail);
    this.name = 'RelayError';
  }
}

export const relayErrors = {
  /** [seen] No hybrid connection has this path. */
  endpointNotFound: () => new RelayError(404, 'Endpoint does not exist.'),
  /** [seen] 404 for WebSocket senders; 502 for HTTP senders (the protocol document's "Bad Gateway"). */
  noListeners: (status: 404 | 502) => new RelayError(status, 'There are no listeners connected for the endpoint.'),
  /** [seen, the SDK's HybridRequestTests] Listeners are connected, but the routing headers exclude them all. */
  noListenerMeetsCriteria: () => new RelayError(404, 'None of the connected listeners meet the AllowedListeners/DisallowedListeners criteria.'),
  missingToken: () =>
    new RelayError(401, 'MissingToken: The request has no ServiceBusAuthorization header, sb-hc-token query parameter or Authorization header.'),
  malformedToken: (why: string) =>
    new RelayError(401, `MalformedToken: The credentials contained in the authorization header are not well-formed. ${why}`),
  /** [seen] A wrong key, or a rule name the namespace does not know. */
  invalidSignature: () => new RelayError(401, 'The token has an invalid signature.'),
  expiredToken: (expirySeconds: number) =>
    new RelayError(401, `ExpiredToken: The token is expired. Expiration time: '${new Date(expirySeconds * 1000).toISOString()}'`),
  /** [seen] The token is for another entity. */
  invalidAudience: () => new RelayError(403, 'InvalidAudience: The authorization header contains a token with a wrong audience.'),
  /** [seen] The rule lacks the right the operation needs. */
  missingClaim: (right: Right, resource: string) =>
    new RelayError(403, `Unauthorized access. '${right}' claim(s) are required to perform this operation. Resource: '${resource}'.`),
  listenerQuota: (limit: number) =>
    new RelayError(403, `QuotaExceeded: The hybrid connection already has the maximum of ${limit} connected listeners.`),
  responseTimeout: (seconds: number) =>
    new RelayError(504, `Gateway Timeout: The listener did not respond within ${seconds} seconds.`),
  acceptTimeout: (seconds: number) =>
    new RelayError(504, `Gateway Timeout: The listener did not accept the connection within ${seconds} seconds.`),
  listenerDisconnected: () =>
    new RelayError(502, 'Bad Gateway: The listener disconnected before it responded.'),
  invalidListenerResponse: (why: string) => new RelayError(502, `Bad Gateway: The listener sent an invalid response. ${why}`),
  rendezvousNotFound: () => new RelayError(403, 'The rendezvous address is invalid, already used or expired.'),
  badAction: () => new RelayError(400, "BadRequest: The sb-hc-action query parameter must be 'listen', 'connect', 'accept' or 'request'."),
  upgradeRequired: () => new RelayError(400, 'BadRequest: This address takes WebSocket connections only.'),
  /** Answer to a listener that rejected a WebSocket sender: its handshake on the accept address ends in 410. */
  rendezvousRejected: () => new RelayError(410, 'Gone: The sender was rejected.'),
  /** A listener's rejection of a WebSocket sender: its status and its description, exactly. */
  rejectedByListener: (status: number, description: string) => new RelayError(status, description, false),
  shuttingDown: () => new RelayError(503, 'ServiceUnavailable: The relay emulator is shutting down.'),
  badRequest: (why: string) => new RelayError(400, `BadRequest: ${why}`),
  managementNotFound: (what: string) => new RelayError(404, `NotFound: ${what}`),
  methodNotAllowed: () => new RelayError(405, 'MethodNotAllowed: The management address does not take this method.'),
  conflict: (why: string) => new RelayError(409, `Conflict: ${why}`),
  internal: () => new RelayError(500, 'InternalServerError: The service was unable to process the request.'),
};

/** Where an answer came from: the id a client can quote and the resource it concerned. */
export interface TrackingContext {
  trackingId: string;
  systemTracker: string;
}

/** A tracking context; keeps the client's sb-hc-id (as Azure does) and appends the gateway suffix. */
export function trackingContext(host: string | undefined, path: string, clientId?: string | null): TrackingContext {
  const id = clientId && /^[A-Za-z0-9._:-]{1,128}$/.test(clientId) ? clientId : randomUUID();
  const cleanHost = host && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(host) ? host : 'localhost';
  return { trackingId: `${id}_G0`, systemTracker: `sb://${cleanHost}/${path.replace(/^\/+/, '')}` };
}

/** The full text of an answer: the detail and the tracking suffix. */
export function errorText(error: RelayError, tracking: TrackingContext, now = new Date()): string {
  if (!error.tracked) return error.detail;
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${error.detail} TrackingId:${tracking.trackingId}, SystemTracker:${tracking.systemTracker}, Timestamp:${timestamp}`;
}

/** A reason phrase must be printable ASCII on one line. */
function reasonPhrase(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1000);
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function errorBody(error: RelayError, text: string): string {
  return `<Error><Code>${error.status}</Code><Detail>${xmlEscape(text)}</Detail></Error>`;
}

/** Answers an HTTP request with a relay error (no body for HEAD). */
export function sendHttpError(res: ServerResponse, method: string | undefined, error: RelayError, tracking: TrackingContext): void {
  if (res.headersSent || res.writableEnded) {
    res.destroy();
    return;
  }
  const text = errorText(error, tracking);
  const body = errorBody(error, text);
  res.statusCode = error.status;
  res.statusMessage = reasonPhrase(text);
  res.setHeader('Content-Type', 'application/xml; charset=utf-8');
  res.end(method === 'HEAD' ? undefined : body);
}

/** Refuses a WebSocket handshake: a plain HTTP answer on the raw socket, then the socket is closed. */
export function rejectUpgrade(socket: Duplex, error: RelayError, tracking: TrackingContext): void {
  if (socket.destroyed) return;
  const text = errorText(error, tracking);
  const body = Buffer.from(errorBody(error, text), 'utf8');
  const head =
    `HTTP/1.1 ${error.status} ${reasonPhrase(text)}\r\n` +
    'Content-Type: application/xml; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Connection: close\r\n\r\n';
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  // A peer that never reads must not keep the socket forever.
  setTimeout(() => socket.destroy(), 2000).unref();
}
