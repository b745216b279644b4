/**
 * Shared fixtures for the relay and listener tests: the real relay emulator on port 0, plain
 * HTTP "connector" servers on port 0, an HTTP sender through the relay, a polling helper, and a
 * manifest writer. Everything registers its own cleanup with the test context.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { RelayEmulator, RelayEmulatorOptions } from '../../src/emulators/relay';
import { parseConfigurationString, HybridConnectionString } from '../../src/config/connection-string';
import { ConnectorEntry, emptyManifest, Manifest, toStoredHybridConnection } from '../../src/config/manifest';
import { writeManifest } from '../../src/config/manifest-store';
import { createHybridConnectionToken, httpUri } from '../../src/relay/uris';
import { ROOT_RULE_NAME, DEV_PRIMARY_KEY } from '../../src/emulators/relay';

export type Context = Pick<TestContext, 'after'>;

/** The root rule's primary key of each relay startRelay made (each has its own; see below). */
const primaryKeys = new WeakMap<RelayEmulator, string>();

/**
 * The real relay emulator on port 0 (or options.port), with root keys of its own: a listener from
 * another test that reconnects to this port after its own relay closed is refused, not served.
 */
export async function startRelay(t: Context, names: string[], options: RelayEmulatorOptions = {}): Promise<RelayEmulator> {
  const rootKeys = { primaryKey: randomBytes(32).toString('base64'), secondaryKey: randomBytes(32).toString('base64') };
  const relay = new RelayEmulator({ port: 0, hybridConnections: names.map((name) => ({ name })), rootKeys, ...options });
  primaryKeys.set(relay, options.rootKeys?.primaryKey ?? rootKeys.primaryKey);
  await relay.start();
  t.after(async () => {
    if (relay.status === 'Running') await relay.close();
  });
  return relay;
}

/** The primary key of the root rule: the relay's own when startRelay made it, else the development key. */
export function relayPrimaryKey(relay: RelayEmulator): string {
  return primaryKeys.get(relay) ?? DEV_PRIMARY_KEY;
}

export function connectionFor(relay: RelayEmulator, name: string, keyType: 'primary' | 'secondary' = 'primary'): HybridConnectionString {
  return parseConfigurationString(relay.connectionString(name, { keyType }));
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface TestConnector {
  server: http.Server;
  port: number;
  received: ReceivedRequest[];
}

/** A plain HTTP server on 127.0.0.1:0 standing in for a connector site; `handle` answers after the body was read. */
export async function startConnector(
  t: Context,
  handle: (request: ReceivedRequest, response: http.ServerResponse) => void,
): Promise<TestConnector> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      handle(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => closeHttpServer(server));
  return { server, port: (server.address() as { port: number }).port, received };
}

export function closeHttpServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface RelayResponse {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  /** Path after the hybrid connection name, with its query. */
  suffix?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: Buffer | string;
  agent?: http.Agent;
  /** The root rule's key to sign the Send token with (default: the relay's primary key). */
  key?: string;
}

/** An HTTP sender: calls http://127.0.0.1:<relay>/<hc><suffix> with a Send token (the root rule's key). */
export function sendThroughRelay(relay: RelayEmulator, name: string, options: SendOptions = {}): Promise<RelayResponse> {
  const target = { namespace: '127.0.0.1', port: relay.address().port, entityPath: name, emulator: true };
  const url = new URL(httpUri(target, options.suffix ?? ''));
  const token = createHybridConnectionToken(target, ROOT_RULE_NAME, options.key ?? relayPrimaryKey(relay));
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: {
          ServiceBusAuthorization: token,
          ...(body ? { 'content-length': body.length } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs` (generous: no timing assertions). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await delay(intervalMs);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function tempHome(t: Context): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-listener-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

/** A manifest with one SQL connector entry per route (the settings are irrelevant to the listener). */
export function manifestWith(routes: Array<{ connectionString: string; port: number }>): Manifest {
  const manifest = emptyManifest();
  manifest.connectors = routes.map((route, index): ConnectorEntry => {
    const nnn = String(index + 1).padStart(3, '0');
    return {
      site: `MicrosoftSqlConnector_${nnn}`,
      appPool: `HybridAppPool${nnn}`,
      port: route.port,
      kind: 'sql',
      hybridConnection: toStoredHybridConnection(parseConfigurationString(route.connectionString)),
      settings: {} as ConnectorEntry['settings'],
    };
  });
  return manifest;
}

export function writeTestManifest(home: string, manifest: Manifest): void {
  writeManifest(home, manifest);
}

/**
 * Plays a misbehaving relay: the emulator's server-side sockets of the listeners on `name`.
 * Reaches into the emulator (its registry is private) on purpose — the emulator itself never
 * sends junk, but the listener must survive a relay that does.
 */
export function relayListenerSockets(relay: RelayEmulator, name: string): Array<import('ws').WebSocket> {
  const registry = (relay as unknown as { registry: { get(name: string): { listeners: Set<{ socket: import('ws').WebSocket }> } | undefined } }).registry;
  return [...(registry.get(name)?.listeners ?? [])].map((listener) => listener.socket);
}
