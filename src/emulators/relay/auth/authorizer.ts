/**
 * Runs the authentication schemes in a fixed order; the first that does not answer "not mine"
 * decides. When none claims the request, it has no usable token: 401.
 */
import type { IncomingMessage } from 'node:http';
import type { RelayAddress } from '../relay-address';
import { relayErrors } from '../relay-errors';
import type { HybridConnection, HybridConnectionRegistry } from '../registry';
import { AnonymousSenderScheme } from './anonymous-scheme';
import { AuthRequest, AuthScheme, AuthVerdict, tokenSources } from './auth-scheme';
import { SasScheme } from './sas-scheme';

export type Decision = Exclude<AuthVerdict, { outcome: 'notMine' }>;

export class Authorizer {
  constructor(private readonly schemes: AuthScheme[]) {}

  /** The emulator's schemes: anonymous senders first (their tokens are not evaluated), then SAS. */
  static forRegistry(registry: HybridConnectionRegistry): Authorizer {
    return new Authorizer([new AnonymousSenderScheme(), new SasScheme(registry)]);
  }

  authorize(request: AuthRequest): Decision {
    for (const scheme of this.schemes) {
      const verdict = scheme.authenticate(request);
      if (verdict.outcome !== 'notMine') return verdict;
    }
    return { outcome: 'rejected', error: relayErrors.missingToken() };
  }

  /** A sender (HTTP or WebSocket) needs Send on its hybrid connection, with a token from any of its three places. */
  authorizeSender(req: IncomingMessage, address: RelayAddress, hybridConnection: HybridConnection): Decision {
    return this.authorize({
      operation: 'send',
      right: 'Send',
      hybridConnection,
      entityPath: hybridConnection.name,
      resource: `sb://${req.headers.host ?? 'localhost'}/${hybridConnection.name}`,
      tokens: tokenSources(req.headers, address),
      now: Date.now(),
    });
  }
}
