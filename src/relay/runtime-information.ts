/**
 * How many listeners a hybrid connection has, asked the way Microsoft's SDKs ask it
 * (HybridConnectionListener.GetRuntimeInformationAsync):
 *
 *   GET https://<ns>/<hybrid connection>?api-version=2016-07
 *   X-PROCESS-AT: ServiceBus
 *   Authorization: SharedAccessSignature …   (the listener's own Listen token)
 *
 * The relay answers with an Atom entry whose HybridConnectionDescription holds <ListenerCount>; a
 * name that is no hybrid connection gets an Atom feed instead. The request goes out with the
 * options of every other relay connection (trusted certificates, the proxy's agent).
 */
import http from 'node:http';
import https from 'node:https';
import type { HybridConnectionString } from '../config/connection-string';
import { relayWebSocketOptions } from './relay-websocket-options';
import { createHybridConnectionToken, httpUri } from './uris';

export const RUNTIME_INFORMATION_API_VERSION = '2016-07';
/** Bodies are a few hundred bytes; anything much larger is not the relay's answer. */
const MAX_BODY_BYTES = 64 * 1024;

export function runtimeInformationToken(connection: HybridConnectionString): string {
  if (connection.sharedAccessSignature !== undefined) return connection.sharedAccessSignature;
  return createHybridConnectionToken(connection, connection.keyName ?? '', connection.key ?? '', { lifetimeSeconds: 300 });
}

/** The listener count the relay reports; rejects with a message (no secret) when it cannot say. */
export function fetchListenerCount(connection: HybridConnectionString, timeoutMs = 10_000): Promise<number> {
  const url = new URL(httpUri(connection));
  url.searchParams.set('api-version', RUNTIME_INFORMATION_API_VERSION);
  const options = relayWebSocketOptions(undefined, url.href);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      headers: { 'X-PROCESS-AT': 'ServiceBus', Authorization: runtimeInformationToken(connection), Accept: 'application/atom+xml' },
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.agent ? { agent: options.agent } : {}),
      timeout: timeoutMs,
    }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY_BYTES) response.destroy(new Error('the answer is too large'));
      });
      response.on('error', (error) => reject(new Error(`The relay's runtime information could not be read: ${error.message}`)));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`The relay answered the runtime-information request with ${response.statusCode}.`));
        const count = /<ListenerCount>(\d+)<\/ListenerCount>/.exec(body)?.[1];
        if (count === undefined) return reject(new Error(`The relay has no hybrid connection ${connection.entityPath} (runtime information without a listener count).`));
        resolve(Number(count));
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => reject(new Error(`The runtime-information request failed: ${error.message}`)));
    request.end();
  });
}
