/**
 * Where a hybrid connection's calls go: its connector site on loopback, plus what the forwarding
 * headers need to know about the public side (entity path, namespace host, scheme).
 */

export interface ConnectorTarget {
  /** The connector site's name (MicrosoftSqlConnector_001): named in errors and logs. */
  connector: string;
  /** The connector site's port on 127.0.0.1. */
  port: number;
  /** The hybrid connection's name: removed from the path, sent as X-Forwarded-Prefix. */
  entityPath: string;
  /** The relay namespace host: X-Forwarded-Host when the relay forwarded no Host header. */
  namespace: string;
  /** How callers reached the relay: https for Azure, http for the local emulator. */
  proto: 'http' | 'https';
}

/** The loopback address every connector site binds to. */
export const CONNECTOR_HOST = '127.0.0.1';
