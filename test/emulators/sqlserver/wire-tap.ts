/**
 * A TCP relay between a client and the stand-in that keeps every byte the client sent, so a test
 * can tell what crossed the network in clear text: LOGIN7 carries the user name as plain UCS-2
 * (MS-TDS 2.2.6.4), a SQL batch its text, so their absence or presence shows what TLS covered.
 */
import net from 'node:net';

export interface WireTap {
  port: number;
  /** Everything the clients have sent so far. */
  fromClients(): Buffer;
  /** True when `text`, in UCS-2 as TDS carries it, crossed the network in clear text. */
  sawInClear(text: string): boolean;
  close(): Promise<void>;
}

export async function startWireTap(targetPort: number): Promise<WireTap> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => { sockets.delete(socket); client.destroy(); upstream.destroy(); });
    }
    client.on('data', (chunk: Buffer) => { chunks.push(chunk); upstream.write(chunk); });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fromClients = () => Buffer.concat(chunks);
  return {
    port: (server.address() as net.AddressInfo).port,
    fromClients,
    sawInClear: (text) => fromClients().includes(Buffer.from(text, 'ucs2')),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
