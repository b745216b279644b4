/**
 * Runs the authentication schemes in a fixed order; the first that does not answer "not mine"
 * decides. When none claims the request, it has no usable token: 401.
 */
import { relayErrors } from '../relay-errors';
import type { HybridConnectionRegistry } from '../registry';
import { AnonymousSenderScheme } from './anonymous-scheme';
import type { AuthRequest, AuthScheme, AuthVerdict } from './auth-scheme';
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
}
