/**
 * Shared Access Signature tokens, from the ServiceBusAuthorization header, the sb-hc-token query
 * parameter or (senders and management only, when neither is present) the Authorization header.
 * Checks, in Azure's order: well-formed and signed by a key of the named rule (401), not expired
 * (401), audience covers the entity (403), the rule has the needed right (403).
 */
import { parseSasToken, verifySasToken } from '../../../common/sas';
import { ruleGrants } from '../model';
import type { HybridConnectionRegistry } from '../registry';
import { relayErrors } from '../relay-errors';
import { audienceAllows } from './audience';
import type { AuthRequest, AuthScheme, AuthVerdict, TokenSource } from './auth-scheme';

const SAS_PREFIX = /^SharedAccessSignature\s/i;

function pickToken(request: AuthRequest): { token: string; source: TokenSource } | undefined {
  const { tokens } = request;
  if (tokens.serviceBusAuthorization !== undefined) return { token: tokens.serviceBusAuthorization, source: 'ServiceBusAuthorization' };
  if (tokens.queryToken !== undefined) return { token: tokens.queryToken, source: 'sb-hc-token' };
  // Authorization may belong to the application (Bearer …): it is a relay token only when it is SAS.
  if (request.operation !== 'listen' && tokens.authorization !== undefined && SAS_PREFIX.test(tokens.authorization)) {
    return { token: tokens.authorization, source: 'Authorization' };
  }
  return undefined;
}

export class SasScheme implements AuthScheme {
  readonly name = 'sas';

  constructor(private readonly registry: HybridConnectionRegistry) {}

  authenticate(request: AuthRequest): AuthVerdict {
    const picked = pickToken(request);
    if (!picked) return { outcome: 'notMine' };
    const { source } = picked;
    const hybridConnection = request.hybridConnection;
    const verdict = verifySasToken(
      picked.token,
      (keyName) => {
        const rule = this.registry.findRule(keyName, hybridConnection);
        return rule ? [rule.primaryKey, rule.secondaryKey] : undefined;
      },
      request.now,
    );
    if (!verdict.valid) {
      if (verdict.reason === 'malformed') return { outcome: 'rejected', source, error: relayErrors.malformedToken(verdict.message) };
      if (verdict.reason === 'expired') {
        return { outcome: 'rejected', source, error: relayErrors.expiredToken(parseSasToken(picked.token).expiry) };
      }
      return { outcome: 'rejected', source, error: relayErrors.invalidSignature() };
    }
    const rule = this.registry.findRule(verdict.token.keyName, hybridConnection);
    if (!rule) return { outcome: 'rejected', source, error: relayErrors.invalidSignature() };
    if (!audienceAllows(verdict.token.resource, request.entityPath)) {
      return { outcome: 'rejected', source, error: relayErrors.invalidAudience() };
    }
    if (!ruleGrants(rule, request.right)) {
      return { outcome: 'rejected', source, error: relayErrors.missingClaim(request.right, request.resource) };
    }
    return { outcome: 'accepted', anonymous: false, ruleName: rule.name, expiresAt: verdict.token.expiry * 1000, source };
  }
}
