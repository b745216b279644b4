/**
 * Message output (MS-TDS 2.2.1, 2.2.3): writes one response message as packets of the negotiated
 * size while tokens are still being produced, so a 100,000-row result never sits in memory whole.
 * Back-pressure: when the socket's buffer is full, `drained()` waits for it to empty; producers
 * await it between rows, so a client that stops reading stops the query instead of filling memory.
 */
import type { Duplex } from 'node:stream';
import { DEFAULT_PACKET_SIZE, PACKET_HEADER_LENGTH, PacketStatus, writePacketHeader } from './packet';

export class MessageWriter {
  private staging: Buffer;
  private used = 0;
  private type = 0;
  private packetId = 1;
  private open = false;

  constructor(private socket: Duplex, private size = DEFAULT_PACKET_SIZE) {
    this.staging = Buffer.allocUnsafe(size - PACKET_HEADER_LENGTH);
  }

  /** Sends what follows through another stream (the TLS socket once PRELOGIN agreed to encrypt). */
  retarget(stream: Duplex): void {
    if (this.open) throw new Error('The output stream cannot change inside a message.');
    this.socket = stream;
  }

  get packetSize(): number {
    return this.size;
  }

  /** Applies a packet size negotiated in LOGIN7; only between messages. */
  set packetSize(size: number) {
    if (this.open) throw new Error('The packet size cannot change inside a message.');
    this.size = size;
    this.staging = Buffer.allocUnsafe(size - PACKET_HEADER_LENGTH);
  }

  get inMessage(): boolean {
    return this.open;
  }

  begin(type: number): void {
    if (this.open) throw new Error('A message is already being written.');
    this.open = true;
    this.type = type;
    this.used = 0;
    this.packetId = 1;
  }

  write(data: Buffer): void {
    if (!this.open) throw new Error('write() outside a message.');
    let offset = 0;
    while (offset < data.length) {
      // A full packet goes out only once more data follows, so the last one can carry EndOfMessage.
      if (this.used === this.staging.length) this.flush(false);
      const take = Math.min(this.staging.length - this.used, data.length - offset);
      data.copy(this.staging, this.used, offset, offset + take);
      this.used += take;
      offset += take;
    }
  }

  /** Sends the last packet (EndOfMessage), even when the message is empty. */
  end(): void {
    if (!this.open) throw new Error('end() outside a message.');
    this.flush(true);
    this.open = false;
  }

  /** Writes a complete message at once. */
  send(type: number, payload: Buffer): void {
    this.begin(type);
    this.write(payload);
    this.end();
  }

  /** True while the socket holds more than its high-water mark. */
  get needsDrain(): boolean {
    return this.socket.writableNeedDrain && !this.socket.destroyed;
  }

  /** Resolves when the socket has room again (or is gone). */
  drained(): Promise<void> {
    if (!this.needsDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private flush(last: boolean): void {
    const header = writePacketHeader({
      type: this.type,
      status: last ? PacketStatus.EndOfMessage : PacketStatus.Normal,
      length: PACKET_HEADER_LENGTH + this.used,
      spid: 0,
      packetId: this.packetId++,
      window: 0,
    });
    const packet = Buffer.allocUnsafe(PACKET_HEADER_LENGTH + this.used);
    header.copy(packet, 0);
    this.staging.copy(packet, PACKET_HEADER_LENGTH, 0, this.used);
    this.used = 0;
    if (!this.socket.destroyed) this.socket.write(packet);
  }
}
