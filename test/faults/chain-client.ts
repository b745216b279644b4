/**
 * Raw HTTP for the fault tests: the exact method, request target, headers and bytes given, straight
 * to a connector site or through the relay emulator with a Send token. (supertest and URL would
 * normalise the malformed paths and bodies these tests exist to send.)
 */
import http from 'node:http';
import { ROOT_RULE_NAME, DEV_PRIMARY_KEY } from '../../src/emulators/relay';
import type { RelayEmulator } from '../../src/emulators/relay';
import { createHybridConnectionToken } from '../../src/relay/uris';

export interface RawRequest {
  method: string;
  /** The request target after the site's root: '/tables/Orders/items?$top=1'. */
  path: string;
  headers?: http.OutgoingHttpHeaders;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  json?: { error?: { code?: string; message?: string; [name: string]: unknown }; [name: string]: unknown };
}

export interface Target {
  name: string;
  send(request: RawRequest): Promise<RawResponse>;
  close(): void;
}

/** Straight to the site on 127.0.0.1:port. */
export function directTarget(port: number): Target {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  return { name: 'direct', send: (request) => rawRequest(agent, port, request.path, request), close: () => agent.destroy() };
}

/** Through the relay emulator's HTTP sender endpoint for hybrid connection `name`. */
export function relayTarget(relay: RelayEmulator, name: string): Target {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const port = relay.address().port;
  const token = createHybridConnectionToken({ namespace: '127.0.0.1', port, entityPath: name, emulator: true }, ROOT_RULE_NAME, DEV_PRIMARY_KEY);
  return {
    name: 'through the relay',
    send: (request) => rawRequest(agent, port, `/${name}${request.path}`, { ...request, headers: { ...request.headers, ServiceBusAuthorization: token } }),
    close: () => agent.destroy(),
  };
}

export function rawRequest(agent: http.Agent, port: number, path: string, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = request.body;
    const outgoing = http.request(
      { host: '127.0.0.1', port, method: request.method, path, agent, headers: { ...(body ? { 'content-length': body.length } : {}), ...request.headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: RawResponse['json'];
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
export async function inPool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
