/**
 * The one place that decides how the product opens a WebSocket (or HTTPS request) to the relay.
 *
 * hyco-https opens its sockets with no options of ours: the control channel, every request
 * rendezvous and every response rendezvous are `new WebSocket(address, …)` inside its code. hyco.ts
 * loads hyco-https with a ws class that merges `relayWebSocketOptions(current settings, address)`
 * into each of those constructions, and our own sockets (websocket-reject.ts, `hcm call`) ask the
 * same functions. So an option added here reaches every socket the product opens to the relay.
 *
 * Extension point: add a field to RelayConnectionSettings and map it in relayWebSocketOptions
 * (the handshake timeout and pending-pong room are here). The HTTP proxy's agent (proxy/relay-proxy.ts: the manifest's
 * proxy, else HTTP(S)_PROXY unless NO_PROXY names the relay) is added here for every address. Settings are process-wide, because the
 * listener site is one process and a rendezvous cannot be traced back to its listener from inside
 * hyco-https; whoever reads the configuration calls useRelayConnectionSettings() once at start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Agent } from 'node:http';
import { rootCertificates } from 'node:tls';
import { relayAgentFor } from './proxy/relay-proxy';

export interface RelayConnectionSettings {
  /**
   * PEM certificates (a CA or the relay's own self-signed certificate) trusted for wss:// and
   * https:// to the relay, in addition to Node's default roots and NODE_EXTRA_CA_CERTS. Used for the
   * local emulator's generated certificate.
   */
  trustedCertificates?: readonly string[];
  /**
   * Longest a WebSocket handshake to the relay may stay silent (default 10 s). Without it, a
   * rendezvous address that accepts TCP but never answers the upgrade held one socket per request
   * for ever (issue 16); with it the socket is destroyed and the call fails as the relay expects
   * (the sender's request times out there). It bounds a hanging control-channel attempt too.
   */
  handshakeTimeoutMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/**
 * hyco-https's ws 6.2.7 ends a connection that has more than 60 automatic pongs not yet written:
 * a burst of pings from the relay (1,000 in a test) dropped the control channel. Bounded still,
 * so that a peer that never reads cannot make us queue pongs without limit (ping payloads are at
 * most 125 bytes).
 */
export const MAX_PENDING_AUTO_PONGS = 10_000;

/** The subset of ws ClientOptions (ws 6 and ws 8 alike) that these settings produce. */
export interface RelayWebSocketOptions {
  ca?: string[];
  handshakeTimeout?: number;
  agent?: Agent;
  /** ws 6.2.7 (hyco-https's) and ws 8 both read it. */
  maxPendingAutoPongs?: number;
}

let current: RelayConnectionSettings = {};

/**
 * Sets process-wide settings every later relay socket is opened with. Only the fields given change
 * (pass a field as undefined to clear it), so separate owners (trust, proxy) do not undo each other.
 */
export function useRelayConnectionSettings(settings: Partial<RelayConnectionSettings>): void {
  current = { ...current, ...settings };
  if (settings.trustedCertificates) current.trustedCertificates = [...settings.trustedCertificates];
}

export function currentRelayConnectionSettings(): RelayConnectionSettings {
  return current;
}

/**
 * ws ClientOptions for a socket to `address` (a ws://, wss://, http:// or https:// URL).
 * Pure apart from reading NODE_EXTRA_CA_CERTS: giving `ca` replaces Node's default trust store,
 * so the defaults and that file are put back next to the extra certificates.
 */
export function relayWebSocketOptions(settings: RelayConnectionSettings = current, address?: string): RelayWebSocketOptions {
  const options: RelayWebSocketOptions = {
    handshakeTimeout: settings.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    maxPendingAutoPongs: MAX_PENDING_AUTO_PONGS,
  };
  const secure = address === undefined || /^(wss|https):/i.test(address);
  if (secure && settings.trustedCertificates && settings.trustedCertificates.length > 0) {
    options.ca = [...rootCertificates, ...extraCaCertificates(), ...settings.trustedCertificates];
  }
  // The proxy agent opens the CONNECT tunnel and then TLS with the options above (ca included).
  const agent = address !== undefined && /^(wss?|https?):\/\//i.test(address) ? relayAgentFor(address) : undefined;
  if (agent) options.agent = agent;
  return options;
}

/** TLS options for an https:// request to the relay (the same trust as the WebSockets). */
export function relayTlsOptions(settings: RelayConnectionSettings = current): { ca?: string[] } {
  const { ca } = relayWebSocketOptions(settings, 'https:');
  return ca ? { ca } : {};
}

/** HCM_RELAY_CA_FILE: PEM files (separated like PATH) trusted for every relay, e.g. the emulator's certificate. */
export function relayCaFilesFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.HCM_RELAY_CA_FILE ?? '').split(path.delimiter).map((file) => file.trim()).filter((file) => file !== '');
}

/** Reads PEM certificate files named in a setting; the error names the file, never its content. */
export function readTrustedCertificates(files: readonly string[]): string[] {
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the trusted relay certificate ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`The trusted relay certificate ${file} holds no PEM certificate.`);
    return text;
  });
}

let extraCache: { file: string; certificates: string[] } | undefined;

function extraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  if (extraCache?.file !== file) {
    let certificates: string[] = [];
    try {
      certificates = [readFileSync(file, 'utf8')];
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we (by ignoring it).
    }
    extraCache = { file, certificates };
  }
  return extraCache.certificates;
}
