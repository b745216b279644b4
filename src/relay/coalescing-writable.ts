/**
 * A Writable that gathers small writes into frames of up to 64 kB before they reach hyco-https.
 * hyco-https sends every write() as its own WebSocket frame, so a connector streaming one JSON row
 * per write (100,000 rows) would become 100,000 frames: costly per frame, and refused by relays
 * that cap fragments per message (the ws server's default cap is 16,384). What is held is flushed
 * at 64 kB, on the next turn of the event loop, or at the end, so streaming stays prompt.
 */
import { Writable } from 'node:stream';

export const COALESCE_BYTES = 64 * 1024;

export interface FrameSink {
  /** Sends one frame's worth of body (may throw). */
  write(chunk: Buffer): void;
  /** Calls back once the transport can take more (backpressure). */
  whenDrained(callback: () => void): void;
  /** Ends the body (may throw). */
  end(): void;
}

export function coalescingWritable(sink: FrameSink, limit = COALESCE_BYTES): Writable {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let timer: NodeJS.Immediate | undefined;

  const takeHeld = (): Buffer | undefined => {
    if (timer) clearImmediate(timer);
    timer = undefined;
    if (heldBytes === 0) return undefined;
    const data = held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
    return data;
  };

  const writable: Writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < limit) {
        timer ??= setImmediate(() => {
          try {
            const data = takeHeld();
            if (data) sink.write(data);
          } catch (error) {
            writable.destroy(error as Error);
          }
        });
        return callback();
      }
      try {
        sink.write(takeHeld()!);
      } catch (error) {
        return callback(error as Error);
      }
      sink.whenDrained(() => callback());
    },
    final(callback) {
      try {
        const data = takeHeld();
        if (data) sink.write(data);
        sink.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      takeHeld();
      callback(error);
    },
  });
  return writable;
}
