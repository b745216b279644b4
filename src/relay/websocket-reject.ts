/**
 * Rejects a WebSocket sender cleanly (hyco-https defect B2: its own `accept` handling throws out of
 * ws and crashes the process, and its reject path uses an undefined WebSocketClient and
 * unprefixed parameter names). We connect to the accept address with the documented
 * sb-hc-statusCode / sb-hc-statusDescription parameters; the relay answers that handshake with
 * 410 Gone and passes our status to the sender.
 */
import WebSocket from 'ws';
import { relayWebSocketOptions } from './relay-websocket-options';
import { rejectUri } from './uris';

export interface RejectOutcome {
  /** True when the relay confirmed the rejection (410 Gone, or any non-101 answer it gave). */
  delivered: boolean;
  /** The status the relay answered our reject handshake with, if it answered. */
  relayStatus?: number;
  error?: string;
}

const REJECT_TIMEOUT_MS = 20_000;

/** Sends the rejection; never throws, resolves once the relay answered or gave up. */
export function rejectWebSocketSender(acceptAddress: string, statusCode: number, description: string): Promise<RejectOutcome> {
  return new Promise((resolve) => {
    let url: string;
    try {
      const parsed = new URL(acceptAddress);
      if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new Error('not a ws:// or wss:// address');
      url = rejectUri(acceptAddress, statusCode, description);
    } catch (error) {
      resolve({ delivered: false, error: `The accept address is unusable: ${(error as Error).message}.` });
      return;
    }
    let settled = false;
    const finish = (outcome: RejectOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const socket = new WebSocket(url, { ...relayWebSocketOptions(undefined, url), handshakeTimeout: REJECT_TIMEOUT_MS, perMessageDeflate: false });
    socket.on('unexpected-response', (request, response) => {
      // 410 Gone is the documented success answer to a rejection.
      response.resume();
      finish({ delivered: true, relayStatus: response.statusCode });
      request.destroy();
    });
    socket.on('open', () => {
      // A relay that splices us anyway: close at once, the sender sees the socket end.
      finish({ delivered: false, relayStatus: 101, error: 'The relay accepted the rejection handshake as an accept.' });
      socket.close(1011, 'rejected');
    });
    socket.on('error', (error) => finish({ delivered: false, error: error.message }));
  });
}
