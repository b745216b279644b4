/**
 * What a relay connection failure means for the operator. hyco-https only hands us ws's
 * "Unexpected server response: 401" (the relay's reason phrase is lost), so the status code is
 * all we classify on. 401/403/404 will not heal by retrying quickly: they are "Failed" and retried
 * slowly; everything else is transient and retried with back-off. Messages never hold a secret.
 */
import { redactText } from '../common/redact';
import { ProxyError } from './proxy/connect-tunnel';

export type FailureKind = 'rejected' | 'transient';

export interface RelayFailure {
  kind: FailureKind;
  /** The HTTP status of the refused handshake, when there was one. */
  status?: number;
  message: string;
}

/** Pulls the handshake status out of a ws error ("Unexpected server response: 401"). */
export function handshakeStatus(error: unknown): number | undefined {
  const text = errorText(error);
  const match = /Unexpected server response: (\d{3})/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Classifies an error event from hyco-https's control channel for the hybrid connection `what`. */
export function classifyRelayError(error: unknown, what: string): RelayFailure {
  const proxyError = proxyErrorIn(error);
  if (proxyError) {
    // A wrong proxy password or a proxy rule will not heal by retrying every second.
    const lasting = proxyError.failure === 'auth' || proxyError.failure === 'auth-unsupported' || proxyError.failure === 'refused';
    return { kind: lasting ? 'rejected' : 'transient', status: proxyError.status, message: `${what}: ${redactText(proxyError.message)}${lasting ? '' : ' Retrying.'}` };
  }
  const status = handshakeStatus(error);
  switch (status) {
    case 401:
      return {
        kind: 'rejected',
        status,
        message:
          `The relay rejected the key for ${what} (401 Unauthorized): the SharedAccessKeyName/SharedAccessKey ` +
          'are wrong, expired or were regenerated. Run setup again with the current Primary or Secondary Configuration String.',
      };
    case 403:
      return {
        kind: 'rejected',
        status,
        message:
          `The relay refused ${what} (403 Forbidden): the key's policy has no Listen right for this hybrid connection. ` +
          'Use a configuration string from a policy with Listen rights.',
      };
    case 404:
      return {
        kind: 'rejected',
        status,
        message:
          `The relay has no hybrid connection ${what} (404 Not Found): it was deleted or the EntityPath is misspelt. ` +
          'Create it in the Azure portal or run setup with the right configuration string.',
      };
    default:
      return {
        kind: 'transient',
        status,
        message: status !== undefined
          ? `The relay answered ${status} when ${what} tried to connect; retrying.`
          : `Cannot reach the relay for ${what}: ${redactText(errorText(error)) || 'connection failed'}; retrying.`,
      };
  }
}

/** Why the relay closed an open control channel, from its WebSocket close code. */
export function describeClose(code: number | undefined, what: string): string {
  switch (code) {
    case 1001:
      return `The relay closed the connection for ${what} (1001): the hybrid connection was deleted or disabled, or the relay is shutting down.`;
    case 1008:
      return `The relay closed the connection for ${what} (1008): the token expired or a renewed token was refused.`;
    case 1011:
      return `The relay closed the connection for ${what} (1011): internal error at the relay.`;
    default:
      return `The connection to the relay for ${what} was lost (close code ${code ?? 'none'}).`;
  }
}

/** The ProxyError behind a ws error event (ws wraps it in an ErrorEvent), if any. */
export function proxyErrorIn(error: unknown): ProxyError | undefined {
  if (error instanceof ProxyError) return error;
  const inner = (error as { error?: unknown } | null | undefined)?.error;
  return inner instanceof ProxyError ? inner : undefined;
}

function errorText(error: unknown): string {
  if (error === null || error === undefined) return '';
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  const event = error as { message?: unknown; error?: unknown };
  if (typeof event.message === 'string' && event.message !== '') return event.message;
  if (event.error instanceof Error) return event.error.message;
  return String(error);
}
