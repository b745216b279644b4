/**
 * The response side of forwarding: small passes over the connector's response headers before
 * they go back through the relay.
 */
import { HeaderMap, withoutHopByHop } from './hop-by-hop';

export type ResponsePass = (headers: HeaderMap, correlationId: string) => HeaderMap;

/** 1. Hop-by-hop headers belong to the loopback connection (the relay frames the body itself). */
export const stripResponseHopByHop: ResponsePass = (headers) => withoutHopByHop(headers);

/** 2. Every answer carries the call's correlation id, even from a connector that does not echo it. */
export const echoCorrelationId: ResponsePass = (headers, correlationId) =>
  headers['x-correlation-id'] !== undefined ? headers : { ...headers, 'x-correlation-id': correlationId };

export const RESPONSE_PASSES: readonly ResponsePass[] = [stripResponseHopByHop, echoCorrelationId];

export function buildResponseHeaders(headers: HeaderMap, correlationId: string, passes: readonly ResponsePass[] = RESPONSE_PASSES): HeaderMap {
  return passes.reduce((current, pass) => pass(current, correlationId), headers);
}
