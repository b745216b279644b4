/**
 * Anonymous senders: a hybrid connection created with requiresClientAuthorization=false lets
 * senders in without a token (their tokens are not even evaluated). Listeners always need one.
 */
import type { AuthRequest, AuthScheme, AuthVerdict } from './auth-scheme';

export class AnonymousSenderScheme implements AuthScheme {
  readonly name = 'anonymous';

  authenticate(request: AuthRequest): AuthVerdict {
    if (request.operation === 'send' && request.hybridConnection && !request.hybridConnection.requiresClientAuthorization) {
      return { outcome: 'accepted', anonymous: true };
    }
    return { outcome: 'notMine' };
  }
}
