/**
 * The listener site's settings: one typed object, read from the environment (under iisnode the
 * site's <appSettings> arrive as environment variables), validated at the edge with messages
 * that name the bad variable.
 */

export interface ListenerSettings {
  /** HCM_CONNECTOR_TIMEOUT_MS: how long a connector may take to answer (below the relay's 60 s). */
  connectorTimeoutMs: number;
  /** HCM_SHUTDOWN_GRACE_MS: how long in-flight calls may finish when the site stops. */
  shutdownGraceMs: number;
  /** HCM_RELAY_REJECTED_RETRY_MS: pause after the relay refused the key or the hybrid connection. */
  rejectedRetryMs: number;
  /** HCM_RELAY_KEEPALIVE_MS: interval of the keep-alive pongs on each relay connection. */
  keepAliveMs: number;
  /** HCM_RELAY_TOKEN_LIFETIME_S: lifetime of each SAS token the listener mints. */
  tokenLifetimeSeconds: number;
  /** HCM_RELAY_TOKEN_RENEW_MS: how often a fresh token is sent on an open relay connection. */
  tokenRenewMs: number;
  /** HCM_MANIFEST_POLL_MS: how often hcm.json is checked for changes. */
  manifestPollMs: number;
  /** HCM_STATUS_REFRESH_S: how often the status page (GET /) reloads itself in a browser. */
  statusRefreshSeconds: number;
  /** HCM_RELAY_LISTENER_COUNT_MS: how often the relay is asked how many listeners each hybrid connection has. */
  listenerCountPollMs: number;
}

export const DEFAULT_LISTENER_SETTINGS: ListenerSettings = {
  connectorTimeoutMs: 50_000,
  shutdownGraceMs: 10_000,
  rejectedRetryMs: 60_000,
  keepAliveMs: 30_000,
  tokenLifetimeSeconds: 3600,
  tokenRenewMs: 20 * 60_000,
  manifestPollMs: 500,
  statusRefreshSeconds: 5,
  listenerCountPollMs: 30_000,
};

const VARIABLES: Array<[keyof ListenerSettings, string, number, number]> = [
  ['connectorTimeoutMs', 'HCM_CONNECTOR_TIMEOUT_MS', 1, 3_600_000],
  ['shutdownGraceMs', 'HCM_SHUTDOWN_GRACE_MS', 0, 600_000],
  ['rejectedRetryMs', 'HCM_RELAY_REJECTED_RETRY_MS', 100, 3_600_000],
  ['keepAliveMs', 'HCM_RELAY_KEEPALIVE_MS', 100, 240_000],
  ['tokenLifetimeSeconds', 'HCM_RELAY_TOKEN_LIFETIME_S', 60, 7 * 86_400],
  ['tokenRenewMs', 'HCM_RELAY_TOKEN_RENEW_MS', 100, 7 * 86_400_000],
  ['manifestPollMs', 'HCM_MANIFEST_POLL_MS', 50, 2_000],
  ['statusRefreshSeconds', 'HCM_STATUS_REFRESH_S', 1, 3_600],
  ['listenerCountPollMs', 'HCM_RELAY_LISTENER_COUNT_MS', 100, 3_600_000],
];

/** Reads the settings; throws an Error naming the variable when one is not a whole number in range. */
export function listenerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ListenerSettings {
  const settings = { ...DEFAULT_LISTENER_SETTINGS };
  for (const [field, variable, min, max] of VARIABLES) {
    const text = env[variable]?.trim();
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new Error(`${variable} must be a whole number from ${min} to ${max}; it is '${text.slice(0, 20)}'.`);
    }
    settings[field] = value;
  }
  if (settings.tokenRenewMs >= settings.tokenLifetimeSeconds * 1000) {
    throw new Error('HCM_RELAY_TOKEN_RENEW_MS must be shorter than HCM_RELAY_TOKEN_LIFETIME_S, or tokens expire before they are renewed.');
  }
  return settings;
}
