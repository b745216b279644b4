/**
 * What an authentication scheme is (Azurite's pattern): it looks at a request and answers
 * accepted, rejected (with the relay error to send) or "not mine" (another scheme may decide).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HybridConnection } from '../registry';
import type { Right } from '../model';
import type { RelayError } from '../relay-errors';
import type { RelayAddress } from '../relay-address';

/** 'information': the SDKs' runtime-information GET (Listen or Send rights, token in Authorization). */
export type Operation = 'listen' | 'send' | 'manage' | 'information';

/** Where a token was found. */
export type TokenSource = 'ServiceBusAuthorization' | 'sb-hc-token' | 'Authorization';

export interface TokenSources {
  serviceBusAuthorization?: string;
  queryToken?: string;
  authorization?: string;
}

export interface AuthRequest {
  operation: Operation;
  /** The right the operation needs (Manage implies the others). */
  right: Right;
  /** The entity addressed; undefined for namespace-level management. */
  hybridConnection?: HybridConnection;
  /** The entity path a token's audience must cover ('' = the namespace). */
  entityPath: string;
  /** The resource named in messages, e.g. sb://127.0.0.1:9351/sql-orders. */
  resource: string;
  tokens: TokenSources;
  /** Clock (ms), for tests. */
  now: number;
}

export type AuthVerdict =
  | { outcome: 'accepted'; anonymous: boolean; ruleName?: string; expiresAt?: number; source?: TokenSource }
  | { outcome: 'rejected'; error: RelayError; source?: TokenSource }
  | { outcome: 'notMine' };

export interface AuthScheme {
  readonly name: string;
  authenticate(request: AuthRequest): AuthVerdict;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text;
}

/** The places a token may travel in a request: two headers and the sb-hc-token query parameter. */
export function tokenSources(headers: IncomingHttpHeaders, address: RelayAddress): TokenSources {
  const queryToken = address.param('sb-hc-token');
  return {
    serviceBusAuthorization: headerValue(headers['servicebusauthorization']),
    queryToken: queryToken === undefined || queryToken === '' ? undefined : queryToken,
    authorization: headerValue(headers.authorization),
  };
}
