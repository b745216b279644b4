/**
 * The request side of forwarding, as an ordered list of small passes (http-proxy-3's
 * web-incoming style). Each pass takes the outgoing request built so far and returns the next
 * one; each is a pure function, testable alone.
 */
import { randomUUID } from 'node:crypto';
import { ConnectorTarget, CONNECTOR_HOST } from './connector-target';
import { HeaderMap, withoutHopByHop } from './hop-by-hop';

/** What the passes read from the relayed call. */
export interface IncomingCall {
  method: string;
  /** requestTarget: /<entity path>[/rest][?query] */
  target: string;
  headers: HeaderMap;
  remoteAddress?: string;
}

export interface OutgoingRequest {
  method: string;
  /** Path and query for the connector. */
  path: string;
  headers: HeaderMap;
  correlationId: string;
}

export type RequestPass = (outgoing: OutgoingRequest, incoming: IncomingCall, target: ConnectorTarget) => OutgoingRequest;

const CORRELATION_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** 1. Hop-by-hop headers describe the relay's connection, not the call. */
export const stripHopByHop: RequestPass = (outgoing) => ({ ...outgoing, headers: withoutHopByHop(outgoing.headers) });

/** 2. /<entity path>/rest?q → /rest?q (case-insensitive, on a segment boundary). */
export const stripEntityPath: RequestPass = (outgoing, _incoming, target) => ({
  ...outgoing,
  path: connectorPath(outgoing.path, target.entityPath),
});

/** 3. Keep the caller's X-Correlation-Id when it is sane, else make one. */
export const ensureCorrelationId: RequestPass = (outgoing) => {
  const correlationId = correlationIdFor(outgoing.headers);
  return { ...outgoing, correlationId, headers: { ...outgoing.headers, 'x-correlation-id': correlationId } };
};

/** 4. X-Forwarded-For/Proto/Host/Prefix, so the connector can build absolute links. */
export const addForwardingHeaders: RequestPass = (outgoing, incoming, target) => {
  const forwardedFor = [single(outgoing.headers['x-forwarded-for']), incoming.remoteAddress].filter((part): part is string => !!part);
  const headers: HeaderMap = {
    ...outgoing.headers,
    'x-forwarded-proto': target.proto,
    'x-forwarded-host': single(outgoing.headers.host) ?? target.namespace,
    'x-forwarded-prefix': `/${target.entityPath}`,
  };
  if (forwardedFor.length > 0) headers['x-forwarded-for'] = forwardedFor.join(', ');
  return { ...outgoing, headers };
};

/** 5. The connector sees itself as the host it listens on. */
export const setConnectorHost: RequestPass = (outgoing, _incoming, target) => ({
  ...outgoing,
  headers: { ...outgoing.headers, host: `${CONNECTOR_HOST}:${target.port}` },
});

export const REQUEST_PASSES: readonly RequestPass[] = [stripHopByHop, stripEntityPath, ensureCorrelationId, addForwardingHeaders, setConnectorHost];

/** Runs the passes in order over the call. */
export function buildOutgoingRequest(incoming: IncomingCall, target: ConnectorTarget, passes: readonly RequestPass[] = REQUEST_PASSES): OutgoingRequest {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) headers[name.toLowerCase()] = value;
  const start: OutgoingRequest = { method: incoming.method.toUpperCase(), path: incoming.target, headers, correlationId: '' };
  return passes.reduce((outgoing, pass) => pass(outgoing, incoming, target), start);
}

/** The caller's X-Correlation-Id when it is sane (letters, digits, ._:@/+=-, at most 128), else a new one. */
export function correlationIdFor(headers: HeaderMap): string {
  const given = single(headers['x-correlation-id']);
  return given !== undefined && CORRELATION_ID.test(given) ? given : randomUUID();
}

/** The connector's path for a relayed target; a target outside the entity path is kept as it is. */
export function connectorPath(target: string, entityPath: string): string {
  const prefix = `/${entityPath.replace(/^\/+|\/+$/g, '')}`;
  if (target.toLowerCase().startsWith(prefix.toLowerCase())) {
    const rest = target.slice(prefix.length);
    if (rest === '') return '/';
    if (rest.startsWith('?')) return `/${rest}`;
    if (rest.startsWith('/')) return rest;
  }
  return target.startsWith('/') ? target : `/${target}`;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
