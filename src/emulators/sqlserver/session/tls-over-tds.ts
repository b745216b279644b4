/**
 * TLS inside TDS 7.x (MS-TDS 2.2.6.5 PRELOGIN ENCRYPTION, 3.3.5.3 "TLS/SSL negotiation"): when
 * PRELOGIN settles on encryption, the TLS handshake travels in the payload of TDS PRELOGIN
 * packets (type 0x12); once it is done, TLS records flow bare on the TCP stream and the TDS
 * packets travel inside them. This file is the shim between the socket and Node's TLS server:
 *  - outgoing: TLS records are wrapped in PRELOGIN packets up to and including the record that
 *    follows the server's ChangeCipherSpec (its Finished); everything after goes out bare. Going
 *    by the records rather than by the 'secure' event keeps the switch exact whatever the timing.
 *  - incoming: a PRELOGIN packet (first byte 0x12) is unwrapped; the first bare TLS record (first
 *    byte 0x14–0x17) means the client has finished, and from then on bytes pass through.
 * TDS 7.x servers speak TLS 1.2 at most (1.3 needs TDS 8's Encrypt=Strict), so the context is capped there.
 */
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Socket } from 'node:net';
import { framePackets, PACKET_HEADER_LENGTH, PacketType, DEFAULT_PACKET_SIZE } from '../protocol/packet';

/** TLS record content type of ChangeCipherSpec (RFC 5246 6.2.1); a record header is 5 bytes. */
const CHANGE_CIPHER_SPEC = 20;
const RECORD_HEADER_LENGTH = 5;

export interface TlsKeyPair {
  cert: string;
  key: string;
}

export function tdsSecureContext(identity: TlsKeyPair): tls.SecureContext {
  return tls.createSecureContext({ cert: identity.cert, key: identity.key, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
}

class TdsWrappedTransport extends Duplex {
  private incoming: Buffer = Buffer.alloc(0);
  private incomingBare = false;
  private outgoing: Buffer = Buffer.alloc(0);
  private outgoingBare = false;
  private sawChangeCipherSpec = false;
  private detached = false;

  constructor(private readonly socket: Socket) {
    super();
  }

  /** Bytes from the network. */
  feed(chunk: Buffer): void {
    if (this.detached) return;
    if (this.incomingBare) return void this.push(chunk);
    this.incoming = this.incoming.length === 0 ? chunk : Buffer.concat([this.incoming, chunk]);
    while (this.incoming.length > 0) {
      if (this.incoming[0] !== PacketType.PreLogin) {
        this.incomingBare = true;
        this.push(this.incoming);
        this.incoming = Buffer.alloc(0);
        return;
      }
      if (this.incoming.length < PACKET_HEADER_LENGTH) return;
      const length = this.incoming.readUInt16BE(2);
      if (length < PACKET_HEADER_LENGTH) return void this.destroy(new Error(`A PRELOGIN packet during the TLS handshake declares ${length} bytes.`));
      if (this.incoming.length < length) return;
      this.push(this.incoming.subarray(PACKET_HEADER_LENGTH, length));
      this.incoming = this.incoming.subarray(length);
    }
  }

  override _read(): void {
    // Data is pushed as the network delivers it.
  }

  /** Login-only TLS is over: nothing more goes to or comes from TLS (not even a close_notify). */
  detach(): void {
    this.detached = true;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.detached) return void callback();
    if (this.outgoingBare) return void this.socket.write(chunk, callback);
    this.outgoing = Buffer.concat([this.outgoing, chunk]);
    const wrapped: Buffer[] = [];
    while (!this.outgoingBare && this.outgoing.length >= RECORD_HEADER_LENGTH) {
      const length = RECORD_HEADER_LENGTH + this.outgoing.readUInt16BE(3);
      if (this.outgoing.length < length) break;
      const record = this.outgoing.subarray(0, length);
      this.outgoing = this.outgoing.subarray(length);
      wrapped.push(record);
      if (this.sawChangeCipherSpec) this.outgoingBare = true; // that record was the server's Finished
      if (record[0] === CHANGE_CIPHER_SPEC) this.sawChangeCipherSpec = true;
    }
    if (wrapped.length > 0 && !this.socket.destroyed) {
      for (const packet of framePackets(PacketType.PreLogin, Buffer.concat(wrapped), DEFAULT_PACKET_SIZE)) this.socket.write(packet);
    }
    if (this.outgoingBare && this.outgoing.length > 0) {
      const rest = this.outgoing;
      this.outgoing = Buffer.alloc(0);
      return void this.socket.write(rest, callback);
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.detached) this.socket.end();
    callback();
  }
}

/**
 * Starts the server side of TLS on a socket whose PRELOGIN answer just agreed to encrypt.
 * `detach` ends a login-only TLS session: the socket carries plain TDS again.
 */
export function startTlsOverTds(socket: Socket, context: tls.SecureContext): { tlsSocket: tls.TLSSocket; feed(chunk: Buffer): void; detach(): void } {
  const transport = new TdsWrappedTransport(socket);
  const tlsSocket = new tls.TLSSocket(transport, { isServer: true, secureContext: context });
  return { tlsSocket, feed: (chunk) => transport.feed(chunk), detach: () => transport.detach() };
}
