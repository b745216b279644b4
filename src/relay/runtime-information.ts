/**
 * The runtime-information request, as Azure offers it to a listener (Microsoft's SDKs:
 * HybridConnectionListener.GetRuntimeInformationAsync): GET https://ns/<path>?api-version=2016-07
 * with X-PROCESS-AT: ServiceBus and the listener's own token; the answer is an Atom entry whose
 * HybridConnectionDescription holds ListenerCount. It is a relay connection like the others, so it
 * goes through the same trust and proxy (relayWebSocketOptions).
 */
import http from 'node:http';
import https from 'node:https';
import type { RelayTarget } from './uris';
import { httpUri } from './uris';
import { relayWebSocketOptions } from './relay-websocket-options';

export const RUNTIME_INFORMATION_API_VERSION = '2016-07';
const MAX_ANSWER_BYTES = 64 * 1024;

export interface RuntimeInformation {
  listenerCount: number;
}

/** Asks the relay; rejects with a message (never the token) when it cannot answer. */
export function requestRuntimeInformation(target: RelayTarget, token: string, timeoutMs = 5_000): Promise<RuntimeInformation> {
  const url = `${httpUri(target)}?api-version=${RUNTIME_INFORMATION_API_VERSION}`;
  const secure = url.startsWith('https:');
  const { ca, agent } = relayWebSocketOptions(undefined, url);
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(url, {
      method: 'GET',
      headers: { 'X-PROCESS-AT': 'ServiceBus', Authorization: token },
      timeout: timeoutMs,
      ...(agent ? { agent } : {}),
      ...(ca ? { ca } : {}),
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) return reject(new Error(`the relay answered the runtime-information request with ${response.statusCode}`));
        const count = /<ListenerCount>(\d+)<\/ListenerCount>/.exec(body);
        if (!count) return reject(new Error('the relay\'s runtime information has no ListenerCount (is the hybrid connection there?)'));
        resolve({ listenerCount: Number(count[1]) });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no runtime information within ${timeoutMs / 1000} s`)));
    request.on('error', reject);
    request.end();
  });
}
