/**
 * B12: a response larger than 64 kB goes back over a rendezvous WebSocket that hyco-https opens
 * and then ignores. Azure sends the same sender connection's later requests over that socket (and
 * drops the sender's connection when the listener closes it), so instead of leaving it deaf we
 * make it a request channel, exactly as hyco-https treats a request rendezvous: emitting
 * 'requestchannel' makes hyco-https attach its request handler, and our guards wrap it. An
 * adopted socket with no request for `idleMs` is closed, so a relay that never uses it does not
 * pile sockets up.
 */
import type { HycoServer, HycoWebSocket } from './hyco';

/** Returns false (and closes the socket) when it is no longer open. */
export function adoptResponseRendezvous(server: HycoServer, socket: HycoWebSocket, idleMs: number): boolean {
  if (socket.readyState !== socket.OPEN) {
    socket.close(1000, 'response sent');
    return false;
  }
  // hyco-https adds a 'close' listener per response on a request channel and never removes it.
  socket.setMaxListeners(0);
  server.emit('requestchannel', socket);
  let timer = setTimeout(() => socket.close(1000, 'idle'), idleMs);
  timer.unref();
  socket.on('message', () => {
    clearTimeout(timer);
    timer = setTimeout(() => socket.close(1000, 'idle'), idleMs);
    timer.unref();
  });
  socket.once('close', () => clearTimeout(timer));
  return true;
}
