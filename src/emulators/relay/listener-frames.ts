/**
 * Reads what a listener sends on a control channel or a rendezvous socket: JSON text messages
 * (`response`, `renewToken`) and, after a `response` with `"body": true`, exactly one binary
 * message holding the body. Anything else is reported as junk and otherwise ignored — the
 * emulator never crashes on a listener's input. A 0-byte binary message where no body is expected
 * is tolerated silently: hyco-https sends one after every body-less response.
 */

export interface ResponseHead {
  requestId: string;
  /** As sent; validated by whoever relays it (a string "200" is accepted, as the protocol doc shows). */
  statusCode: number;
  statusDescription?: string;
  responseHeaders: Record<string, string>;
  body: boolean;
}

export interface ListenerFrameHandlers {
  onResponse(head: ResponseHead, body: Buffer | undefined): void;
  onRenewToken?(token: string): void;
  onJunk(reason: string): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerMap(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!isObject(value)) return headers;
  for (const [name, raw] of Object.entries(value)) {
    if (typeof raw === 'string') headers[name] = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') headers[name] = String(raw);
    else if (Array.isArray(raw)) headers[name] = raw.map(String).join(', ');
  }
  return headers;
}

function statusNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,4}$/.test(value.trim())) return Number(value.trim());
  return Number.NaN;
}

export type ListenerMessage =
  | { kind: 'response'; head: ResponseHead }
  | { kind: 'renewToken'; token: string }
  | { kind: 'junk'; reason: string };

/** Interprets one text message; never throws. */
export function parseListenerMessage(text: string): ListenerMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'junk', reason: 'a text message that is not JSON' };
  }
  if (!isObject(message)) return { kind: 'junk', reason: 'a JSON message that is not an object' };
  if (isObject(message.response)) {
    const response = message.response;
    if (typeof response.requestId !== 'string' || response.requestId === '') {
      return { kind: 'junk', reason: 'a response without a requestId' };
    }
    return {
      kind: 'response',
      head: {
        requestId: response.requestId,
        statusCode: statusNumber(response.statusCode),
        statusDescription: typeof response.statusDescription === 'string' ? response.statusDescription : undefined,
        responseHeaders: headerMap(response.responseHeaders),
        body: response.body === true,
      },
    };
  }
  if (isObject(message.renewToken)) {
    const token = message.renewToken.token;
    return typeof token === 'string' ? { kind: 'renewToken', token } : { kind: 'junk', reason: 'a renewToken without a token' };
  }
  return { kind: 'junk', reason: 'a JSON message that is neither a response nor a renewToken' };
}

export class ListenerFrameReader {
  private awaitingBody: ResponseHead | undefined;

  constructor(private readonly handlers: ListenerFrameHandlers) {}

  /** True while a response's body message has not arrived yet. */
  get waitingForBody(): boolean {
    return this.awaitingBody !== undefined;
  }

  push(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.onBinary(data);
    if (this.awaitingBody) {
      // The body never came: the response ends empty, and this message is read on its own.
      const head = this.awaitingBody;
      this.awaitingBody = undefined;
      this.handlers.onJunk('a text message where a response body was expected');
      this.handlers.onResponse(head, Buffer.alloc(0));
    }
    this.onText(data.toString('utf8'));
  }

  private onBinary(data: Buffer): void {
    if (this.awaitingBody) {
      const head = this.awaitingBody;
      this.awaitingBody = undefined;
      this.handlers.onResponse(head, data);
    } else if (data.length > 0) {
      this.handlers.onJunk('a binary message with no response waiting for its body');
    }
  }

  private onText(text: string): void {
    const message = parseListenerMessage(text);
    if (message.kind === 'junk') this.handlers.onJunk(message.reason);
    else if (message.kind === 'renewToken') {
      if (this.handlers.onRenewToken) this.handlers.onRenewToken(message.token);
      else this.handlers.onJunk('a renewToken outside the control channel');
    } else if (message.head.body) this.awaitingBody = message.head;
    else this.handlers.onResponse(message.head, undefined);
  }
}
