/**
 * The relay emulator's fixed values: the well-known development credentials and the limits Azure
 * Relay documents for Hybrid Connections (relay-protocol.md §4).
 */

/** The namespace rule every Azure Relay namespace has; Manage implies Listen and Send. */
export const ROOT_RULE_NAME = 'RootManageSharedAccessKey';

/**
 * Well-known DEVELOPMENT-ONLY keys of the root rule, like Azurite's account key: published in the
 * README, identical on every machine, so they protect nothing. They decode to
 * "HCM-relay-emulator-DEV-ONLY-key1" / "…key2". Never use them with a real namespace.
 */
export const DEV_PRIMARY_KEY = 'SENNLXJlbGF5LWVtdWxhdG9yLURFVi1PTkxZLWtleTE=';
export const DEV_SECONDARY_KEY = 'SENNLXJlbGF5LWVtdWxhdG9yLURFVi1PTkxZLWtleTI=';

export const DEFAULT_RELAY_HOST = '127.0.0.1';
/** The port of the emulator (UseDevelopmentEmulator=true strings default to it). */
export const DEFAULT_RELAY_PORT = 9351;
/** Azure answers 504 when the listener has not responded within 60 s. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 60_000;
/**
 * A control channel stays open this long past its token's expiry without a renewal. Azure closes
 * "at or soon after" expiry; listeners in the field drop about 5 min after (1 h 05 min for 1 h
 * tokens), and the .NET SDK renews right at expiry, so a close at the exact instant loses that race.
 */
export const DEFAULT_TOKEN_GRACE_MS = 5 * 60_000;
/** At most 25 concurrent listeners per hybrid connection (Azure Relay FAQ). */
export const MAX_LISTENERS_PER_HYBRID_CONNECTION = 25;
/** Bodies above 64 kB never travel on the control channel; they go through a rendezvous. */
export const MAX_CONTROL_CHANNEL_BODY_BYTES = 64 * 1024;
/** Request metadata above 32 kB goes through a rendezvous too. */
export const MAX_CONTROL_CHANNEL_HEADER_BYTES = 32 * 1024;
/** An accept address is valid for about 30 s (Azure: "maximum to assume"). */
export const MAX_ACCEPT_WAIT_MS = 30_000;
/** Largest WebSocket message on a control channel (JSON + one ≤64 kB body, with room to spare). */
export const MAX_CONTROL_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Largest WebSocket message on a rendezvous or spliced socket (hyco-https's ws default maxPayload). */
export const MAX_DATA_MESSAGE_BYTES = 100 * 1024 * 1024;
/** Pause a sender's upload while this much is queued on the listener's socket (backpressure). */
export const STREAM_HIGH_WATER_BYTES = 1024 * 1024;
/** Largest setTimeout delay; longer token lifetimes are re-armed in steps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
