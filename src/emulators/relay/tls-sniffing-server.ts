/**
 * One port for both plain and TLS clients: the first byte a client sends decides. A TLS
 * ClientHello starts with record type 22 (0x16); an HTTP request line starts with a letter. So
 * `ws://`/`http://` (our own fast tests, UseDevelopmentEmulator=true) and `wss://`/`https://`
 * (Microsoft's SDKs, which speak nothing else) reach the same port, and one configuration string's
 * Endpoint serves both. The chosen server gets the socket with that first chunk put back.
 */
import type http from 'node:http';
import type https from 'node:https';
import net from 'node:net';

const TLS_HANDSHAKE_RECORD = 0x16;
/** A client that connects and sends nothing is dropped after this long. */
const FIRST_BYTE_TIMEOUT_MS = 30_000;

export type SniffingServer = net.Server & { closeAllConnections(): void };

export function createSniffingServer(plain: http.Server, secure: https.Server | undefined): SniffingServer {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const onError = () => socket.destroy();
    socket.on('error', onError);
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      socket.off('error', onError);
      socket.unshift(chunk);
      // Node's TLSSocket reads what is buffered on the socket first; the HTTP server gets it as 'data'.
      const target = secure !== undefined && chunk[0] === TLS_HANDSHAKE_RECORD ? secure : plain;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  }) as SniffingServer;
  // closeServer() calls this: keep-alive and WebSocket sockets end with the server.
  server.closeAllConnections = () => {
    for (const socket of sockets) socket.destroy();
  };
  return server;
}
