/**
 * Joins an accepted WebSocket sender to the listener's accept socket: every message goes across
 * unchanged (text stays text, binary stays binary) and a close on one side closes the other.
 * The sockets cannot be spliced byte for byte: both peers are WebSocket clients, so each side's
 * frames are masked and must be re-framed.
 */
import WebSocket from 'ws';
import type { Logger } from '../../common/logger';
import { STREAM_HIGH_WATER_BYTES } from './constants';

/** ws reports a socket that ended without a close frame with this code. */
const ABNORMAL_CLOSURE = 1006;

/** Close codes a peer may send on the wire (1005/1006/1015 are reserved for "no code"). */
function sendableCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function forward(from: WebSocket, to: WebSocket): void {
  from.on('message', (data, isBinary) => {
    if (to.readyState !== WebSocket.OPEN) return;
    const backedUp = to.bufferedAmount > STREAM_HIGH_WATER_BYTES;
    if (backedUp) from.pause();
    to.send(data as Buffer, { binary: isBinary }, () => {
      if (backedUp && from.readyState === WebSocket.OPEN) from.resume();
    });
  });
}

function closeWith(peer: WebSocket, code: number, reason: Buffer, fallback: number): void {
  if (peer.readyState === WebSocket.CLOSED || peer.readyState === WebSocket.CLOSING) return;
  try {
    if (sendableCode(code)) peer.close(code, reason);
    else peer.close(fallback);
  } catch {
    peer.terminate();
  }
  setTimeout(() => peer.terminate(), 2000).unref();
}

/**
 * Calls `handler` when `ws` RECEIVES a close frame. ws emits 'close' only once the TCP connection
 * has ended too, which a peer that half-closes (the .NET SDK's HybridConnectionStream.Shutdown)
 * and keeps reading delays by ws's 30 s close timeout; the other side must hear of it at once,
 * as on Azure. ws has no public event for it, so this listens to its receiver's 'conclude' (ws 8);
 * without one the 'close' handlers below still pass the close on, only later.
 */
function onCloseFrame(ws: WebSocket, handler: (code: number, reason: Buffer) => void): void {
  const receiver = (ws as unknown as { _receiver?: { on?(event: 'conclude', listener: (code: number, reason: Buffer) => void): void } })._receiver;
  receiver?.on?.('conclude', handler);
}

export function splice(sender: WebSocket, listener: WebSocket, logger: Logger): void {
  forward(sender, listener);
  forward(listener, sender);
  onCloseFrame(sender, (code, reason) => closeWith(listener, code, reason, 1001));
  onCloseFrame(listener, (code, reason) => closeWith(sender, code, reason, 1000));
  // Protocol §3.1: the listener hears 1001 when the sender left; the sender 1000 when the listener closed.
  // A listener's abort (no close frame: 1006) reaches the sender as an abort, so its read fails as
  // on Azure (the SDK's ListenerAbortWhileClientReadingTest) instead of ending cleanly with 1000.
  sender.on('close', (code, reason) => closeWith(listener, code, reason, 1001));
  listener.on('close', (code, reason) => (code === ABNORMAL_CLOSURE ? sender.terminate() : closeWith(sender, code, reason, 1000)));
  sender.on('error', (error) => logger.debug({ err: error }, 'WebSocket sender error.'));
  listener.on('error', (error) => logger.debug({ err: error }, 'Accepting listener socket error.'));
}
