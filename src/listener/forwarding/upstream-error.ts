/**
 * The one place that decides what an upstream failure means for the caller (http-proxy-3's
 * single error path): too slow → 504 ConnectorTimeout, refused or broken → 502
 * ConnectorUnreachable; both name the connector.
 */
import { errors, HcmError } from '../../common/errors';

/** Raised by the forwarder itself when the connector took longer than the configured time. */
export class ConnectorTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms.`);
    this.name = 'ConnectorTimeoutError';
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the site running?)',
  ECONNRESET: 'the connection was closed before an answer',
  EPIPE: 'the connection was closed while sending the request',
  ENOENT: 'no such socket',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

export function toUpstreamError(error: unknown, connector: string): HcmError {
  if (error instanceof ConnectorTimeoutError) return errors.connectorTimeout(connector, error.timeoutMs);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') return errors.connectorTimeout(connector, 0);
  const reason = (code !== undefined ? REASONS[code] : undefined) ?? (code ? `network error ${code}` : 'the connection failed');
  return errors.connectorUnreachable(connector, reason);
}
