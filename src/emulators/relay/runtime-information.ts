/**
 * The runtime-information request of Microsoft's SDKs (HybridConnectionListener/Client
 * .GetRuntimeInformationAsync, azure-relay-dotnet ManagementOperations.cs):
 *
 *   GET https://<ns>[:port]/<hybrid connection>?api-version=2016-07
 *   X-PROCESS-AT: ServiceBus
 *   Authorization: SharedAccessSignature …   (a token with Listen or Send, e.g. the listener's own)
 *
 * The relay answers it itself (it never reaches a listener) with an Atom entry whose <content>
 * holds a HybridConnectionDescription in the Service Bus "connect" namespace; the SDK reads it with
 * a DataContractSerializer, so the elements come in its member order: CreatedAt, UpdatedAt,
 * RequiresClientAuthorization, ListenerCount. A path that is no hybrid connection is answered,
 * as Service Bus does, with an Atom *feed*, which the SDK turns into EndpointNotFoundException.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logAccess, Logger } from '../../common/logger';
import { tokenSources } from './auth/auth-scheme';
import type { Authorizer, Decision } from './auth/authorizer';
import type { RelayAddress } from './relay-address';
import { relayErrors, sendHttpError, trackingContext } from './relay-errors';
import type { HybridConnection, HybridConnectionRegistry } from './registry';

export const MANAGEMENT_API_VERSION = '2016-07';
const ATOM = 'http://www.w3.org/2005/Atom';
const CONNECT_NAMESPACE = 'http://schemas.microsoft.com/netservices/2010/10/servicebus/connect';

/** A request for runtime information: the X-PROCESS-AT: ServiceBus header on a non-$hc address. */
export function isRuntimeInformationRequest(req: IncomingMessage, address: RelayAddress): boolean {
  const header = req.headers['x-process-at'];
  return !address.isHc && typeof header === 'string' && header.trim().toLowerCase() === 'servicebus';
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Atom entry Service Bus returns for GET on an entity. */
export function runtimeInformationEntry(hybridConnection: HybridConnection, selfUri: string, namespaceName: string): string {
  const description =
    `<HybridConnectionDescription xmlns="${CONNECT_NAMESPACE}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
    `<CreatedAt>${isoSeconds(hybridConnection.createdAt)}</CreatedAt>` +
    `<UpdatedAt>${isoSeconds(hybridConnection.updatedAt)}</UpdatedAt>` +
    `<RequiresClientAuthorization>${hybridConnection.requiresClientAuthorization}</RequiresClientAuthorization>` +
    `<ListenerCount>${hybridConnection.listeners.size}</ListenerCount>` +
    '</HybridConnectionDescription>';
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<entry xmlns="${ATOM}">` +
    `<id>${xml(selfUri)}</id>` +
    `<title type="text">${xml(hybridConnection.name)}</title>` +
    `<published>${isoSeconds(hybridConnection.createdAt)}</published>` +
    `<updated>${isoSeconds(hybridConnection.updatedAt)}</updated>` +
    `<author><name>${xml(namespaceName)}</name></author>` +
    `<link rel="self" href="${xml(selfUri)}"/>` +
    `<content type="application/xml">${description}</content>` +
    '</entry>'
  );
}

function emptyFeed(selfUri: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<feed xmlns="${ATOM}"><title type="text">Publicly Listed Services</title>` +
    `<subtitle type="text">This is the list of publicly-listed services currently available.</subtitle>` +
    `<id>${xml(selfUri)}</id><updated>${isoSeconds(new Date())}</updated><generator>Microsoft Azure Relay</generator></feed>`
  );
}

export interface RuntimeInformationDeps {
  registry: HybridConnectionRegistry;
  authorizer: Authorizer;
  logger: Logger;
}

export class RuntimeInformation {
  constructor(private readonly deps: RuntimeInformationDeps) {}

  handle(req: IncomingMessage, res: ServerResponse, address: RelayAddress): void {
    const started = Date.now();
    const tracking = trackingContext(req.headers.host, address.path, undefined);
    res.on('close', () =>
      logAccess(this.deps.logger, { method: req.method ?? '?', target: `/${address.path}`, status: res.statusCode, ms: Date.now() - started, correlationId: tracking.trackingId }),
    );
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendHttpError(res, req.method, relayErrors.methodNotAllowed(), tracking);
    const host = req.headers.host ?? 'localhost';
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const selfUri = `${scheme}://${host}/${address.path}?api-version=${MANAGEMENT_API_VERSION}`;
    const match = this.deps.registry.match(address.path);
    if (!match || match.suffix !== '') {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/atom+xml;type=feed;charset=utf-8');
      return void res.end(req.method === 'HEAD' ? undefined : emptyFeed(selfUri));
    }
    const decision = this.authorize(req, address, match.hybridConnection);
    if (decision.outcome === 'rejected') return sendHttpError(res, req.method, decision.error, tracking);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/atom+xml;type=entry;charset=utf-8');
    res.end(req.method === 'HEAD' ? undefined : runtimeInformationEntry(match.hybridConnection, selfUri, host.replace(/:\d+$/, '')));
  }

  /** Listen or Send on the hybrid connection will do (a listener asks with its own token). */
  private authorize(req: IncomingMessage, address: RelayAddress, hybridConnection: HybridConnection): Decision {
    const ask = (right: 'Listen' | 'Send') =>
      this.deps.authorizer.authorize({
        operation: 'information',
        right,
        hybridConnection,
        entityPath: hybridConnection.name,
        resource: `sb://${req.headers.host ?? 'localhost'}/${hybridConnection.name}`,
        tokens: tokenSources(req.headers, address),
        now: Date.now(),
      });
    const asListener = ask('Listen');
    if (asListener.outcome === 'accepted' || asListener.error.status !== 403) return asListener;
    const asSender = ask('Send');
    return asSender.outcome === 'accepted' ? asSender : asListener;
  }
}
