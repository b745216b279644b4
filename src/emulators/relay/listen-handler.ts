/**
 * Listeners (`/$hc/<name>?sb-hc-action=listen`): a token with Listen rights for the hybrid
 * connection, in the ServiceBusAuthorization header or the sb-hc-token query parameter, is always
 * required (anonymous hybrid connections only spare senders). At most 25 listeners per hybrid
 * connection; the 26th is refused with 403. Renewals are checked with the keys of the moment, so
 * after a key regeneration a listener keeps its channel until it renews or reconnects.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Logger } from '../../common/logger';
import { tokenSources } from './auth/auth-scheme';
import type { Authorizer } from './auth/authorizer';
import { MAX_LISTENERS_PER_HYBRID_CONNECTION } from './constants';
import { ListenerChannel, ListenerChannelDeps, TokenCheck } from './control-channel';
import type { RelayAddress } from './relay-address';
import { relayErrors, rejectUpgrade, trackingContext } from './relay-errors';
import type { HybridConnection, HybridConnectionRegistry } from './registry';

export interface ListenHandlerDeps {
  registry: HybridConnectionRegistry;
  authorizer: Authorizer;
  logger: Logger;
  /** Where a listener's responses and departure are reported. */
  channelEvents: Pick<ListenerChannelDeps, 'onResponse' | 'onClosed'>;
  settings: { tokenGraceMs: number };
  /** The scheme://host[:port] rendezvous addresses for this listener's handshake use. */
  originFor(req: IncomingMessage): string;
}

export class ListenHandler {
  constructor(private readonly deps: ListenHandlerDeps) {}

  handle(req: IncomingMessage, socket: Duplex, head: Buffer, address: RelayAddress, server: WebSocketServer): void {
    const tracking = trackingContext(req.headers.host, address.path, address.param('sb-hc-id'));
    const match = this.deps.registry.match(address.path);
    // A listener names its hybrid connection exactly; a longer path is no endpoint.
    if (!match || match.suffix !== '') return rejectUpgrade(socket, relayErrors.endpointNotFound(), tracking);
    const hybridConnection = match.hybridConnection;
    const decision = this.check(hybridConnection, tokenSources(req.headers, address), req.headers.host);
    if (!decision.ok) {
      this.deps.logger.info({ hybridConnection: hybridConnection.name, status: decision.error.status }, 'Refused a listener.');
      return rejectUpgrade(socket, decision.error, tracking);
    }
    if (hybridConnection.listeners.size >= MAX_LISTENERS_PER_HYBRID_CONNECTION) {
      return rejectUpgrade(socket, relayErrors.listenerQuota(MAX_LISTENERS_PER_HYBRID_CONNECTION), tracking);
    }
    server.handleUpgrade(req, socket, head, (ws) => {
      const channel = new ListenerChannel(ws, hybridConnection, decision.expiresAt, this.deps.originFor(req), address.param('sb-hc-id'), {
        tokenGraceMs: this.deps.settings.tokenGraceMs,
        verifyRenewal: (_channel, token) => this.check(hybridConnection, { serviceBusAuthorization: token }, req.headers.host),
        onResponse: this.deps.channelEvents.onResponse,
        onClosed: (closed) => {
          hybridConnection.listeners.delete(closed);
          this.deps.logger.info({ hybridConnection: hybridConnection.name, listener: closed.id, listeners: hybridConnection.listeners.size }, 'Listener disconnected.');
          this.deps.channelEvents.onClosed(closed);
        },
        logger: this.deps.logger,
      });
      hybridConnection.listeners.add(channel);
      this.deps.logger.info({ hybridConnection: hybridConnection.name, listener: channel.id, listeners: hybridConnection.listeners.size }, 'Listener connected.');
    });
  }

  private check(hybridConnection: HybridConnection, tokens: { serviceBusAuthorization?: string; queryToken?: string }, host: string | undefined): TokenCheck {
    const decision = this.deps.authorizer.authorize({
      operation: 'listen',
      right: 'Listen',
      hybridConnection,
      entityPath: hybridConnection.name,
      resource: `sb://${host ?? 'localhost'}/${hybridConnection.name}`,
      tokens,
      now: Date.now(),
    });
    return decision.outcome === 'accepted' ? { ok: true, expiresAt: decision.expiresAt } : { ok: false, error: decision.error };
  }
}
