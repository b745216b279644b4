/**
 * A raw TDS client over a plain socket, for sending what no well-behaved driver sends. Valid
 * PRELOGIN and LOGIN7 payloads come from tedious's own payload classes (the real peer).
 */
import net from 'node:net';
import { framePackets, PacketType, PACKET_HEADER_LENGTH, PacketStatus } from '../../../src/emulators/sqlserver/protocol/packet';
import { DEMO_LOGIN, DEMO_DATABASE } from '../../../src/emulators/sqlserver';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PreloginPayload = require('tedious/lib/prelogin-payload') as new (options: { encrypt: boolean; version: Record<string, number> }) => { data: Buffer };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Login7Payload = require('tedious/lib/login7-payload') as new (options: Record<string, number>) => Record<string, unknown> & { toBuffer(): Buffer };

export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  sendMessage(type: number, payload: Buffer, packetSize = 4096): void {
    for (const packet of framePackets(type, payload, packetSize)) this.send(packet);
  }

  /** The payload of the next whole response message, or undefined when the server closes first. */
  async readMessage(deadlineMs = 5000): Promise<Buffer | undefined> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const payload = this.takeMessage();
      if (payload) return payload;
      if (this.closed) return undefined;
      if (Date.now() > end) throw new Error('No response from the stand-in in time.');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  private takeMessage(): Buffer | undefined {
    const parts: Buffer[] = [];
    let offset = 0;
    while (this.buffered.length - offset >= PACKET_HEADER_LENGTH) {
      const length = this.buffered.readUInt16BE(offset + 2);
      if (this.buffered.length - offset < length) return undefined;
      parts.push(this.buffered.subarray(offset + PACKET_HEADER_LENGTH, offset + length));
      const last = (this.buffered[offset + 1] & PacketStatus.EndOfMessage) !== 0;
      offset += length;
      if (last) {
        this.buffered = this.buffered.subarray(offset);
        return Buffer.concat(parts);
      }
    }
    return undefined;
  }

  /** Resolves once the server has closed the connection (rejects after the deadline). */
  async waitClosed(deadlineMs = 5000): Promise<void> {
    const end = Date.now() + deadlineMs;
    while (!this.closed) {
      if (Date.now() > end) throw new Error('The stand-in kept the connection open.');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async login(password: string = DEMO_LOGIN.password, tdsVersion = 0x74000004): Promise<Buffer | undefined> {
    this.sendMessage(PacketType.PreLogin, new PreloginPayload({ encrypt: false, version: { major: 19, minor: 2, build: 2, subbuild: 0 } }).data);
    await this.readMessage();
    this.sendMessage(PacketType.Login7, login7(password, tdsVersion));
    return this.readMessage();
  }

  close(): void {
    this.socket.destroy();
  }
}

export function login7(password: string, tdsVersion = 0x74000004): Buffer {
  const payload = new Login7Payload({ tdsVersion, packetSize: 4096, clientProgVer: 0, clientPid: 1, connectionId: 0, clientTimeZone: 0, clientLcid: 0x409 });
  Object.assign(payload, {
    userName: DEMO_LOGIN.user, password, hostname: 'raw', appName: 'raw-client', serverName: '127.0.0.1', libraryName: 'raw',
    language: 'us_english', database: DEMO_DATABASE, clientId: Buffer.from([1, 2, 3, 4, 5, 6]), readOnlyIntent: false, initDbFatal: true,
  });
  return payload.toBuffer();
}

/** ALL_HEADERS with a zero transaction descriptor (MS-TDS 2.2.5.3). */
export function allHeaders(): Buffer {
  const buffer = Buffer.alloc(22);
  buffer.writeUInt32LE(22, 0);
  buffer.writeUInt32LE(18, 4);
  buffer.writeUInt16LE(2, 8);
  buffer.writeUInt32LE(1, 18);
  return buffer;
}

/** A SQLBatch payload; TDS 7.1 requests have no ALL_HEADERS. */
export function sqlBatch(text: string, withHeaders = true): Buffer {
  return Buffer.concat([withHeaders ? allHeaders() : Buffer.alloc(0), Buffer.from(text, 'ucs2')]);
}

/** True when a response carries this text (messages travel as UCS-2). */
export function mentions(payload: Buffer | undefined, text: string): boolean {
  return payload !== undefined && payload.includes(Buffer.from(text, 'ucs2'));
}
