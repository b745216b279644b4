/**
 * Message input (MS-TDS 2.2.1, 2.2.3): turns the bytes a client sends into whole messages.
 * Packets of one message share a type; the last carries EndOfMessage. An ATTENTION packet is a
 * message of its own and is reported at once, even while a request is running, so it can cancel
 * it. Anything that breaks the framing rules is a ProtocolError: the session then closes the
 * connection (a stand-in never guesses at a malformed stream).
 */
import { isKnownPacketType, MAX_PACKET_SIZE, PACKET_HEADER_LENGTH, PacketStatus, PacketType, readPacketHeader } from './packet';

export interface IncomingMessage {
  type: number;
  payload: Buffer;
  /** The client asked for sp_reset_connection semantics before this request (2.2.3.1.2). */
  resetConnection: boolean;
  /** The client abandoned the message half-way (status Ignore): it must not be executed. */
  ignored: boolean;
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface MessageHandlers {
  message(message: IncomingMessage): void;
  attention(): void;
  error(error: ProtocolError): void;
}

export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private partsLength = 0;
  private currentType: number | undefined;
  private currentStatus = 0;
  private failed = false;

  constructor(
    private readonly handlers: MessageHandlers,
    /** Largest packet accepted: the negotiated packet size once logged in. */
    public maxPacketSize = MAX_PACKET_SIZE,
    /** Largest message accepted; smaller before login so an unauthenticated client cannot make it buffer much. */
    public maxMessageBytes = 1024 * 1024,
  ) {}

  /** Feeds bytes from the socket; complete messages are handed on synchronously. */
  push(chunk: Buffer): void {
    if (this.failed) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (!this.failed && this.pending.length - offset >= PACKET_HEADER_LENGTH) {
      const { value: header } = readPacketHeader(this.pending, offset);
      const problem = this.checkHeader(header.type, header.length);
      if (problem) return this.fail(problem);
      if (this.pending.length - offset < header.length) break;
      const data = this.pending.subarray(offset + PACKET_HEADER_LENGTH, offset + header.length);
      offset += header.length;
      this.onPacket(header.type, header.status, data);
    }
    this.pending = offset === 0 ? this.pending : Buffer.from(this.pending.subarray(offset));
  }

  private checkHeader(type: number, length: number): string | undefined {
    if (!isKnownPacketType(type)) return `Unknown packet type 0x${type.toString(16).padStart(2, '0')}.`;
    if (length < PACKET_HEADER_LENGTH) return `Packet length ${length} is shorter than its header.`;
    if (length > this.maxPacketSize) return `Packet length ${length} exceeds the negotiated packet size ${this.maxPacketSize}.`;
    return undefined;
  }

  private onPacket(type: number, status: number, data: Buffer): void {
    if (type === PacketType.Attention && this.currentType === undefined) {
      this.handlers.attention();
      return;
    }
    if (this.currentType === undefined) {
      this.currentType = type;
      this.currentStatus = status;
    } else if (type !== this.currentType) {
      return this.fail(`A packet of type 0x${type.toString(16)} arrived inside a message of type 0x${this.currentType.toString(16)}.`);
    }
    this.parts.push(data);
    this.partsLength += data.length;
    if (this.partsLength > this.maxMessageBytes) return this.fail(`The message exceeds ${this.maxMessageBytes} bytes.`);
    if ((status & PacketStatus.EndOfMessage) === 0) return;
    const message: IncomingMessage = {
      type,
      payload: this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsLength),
      resetConnection: (this.currentStatus & (PacketStatus.ResetConnection | PacketStatus.ResetConnectionSkipTran)) !== 0,
      ignored: (status & PacketStatus.Ignore) !== 0,
    };
    this.parts = [];
    this.partsLength = 0;
    this.currentType = undefined;
    this.handlers.message(message);
  }

  private fail(reason: string): void {
    this.failed = true;
    this.pending = Buffer.alloc(0);
    this.parts = [];
    this.handlers.error(new ProtocolError(reason));
  }
}
