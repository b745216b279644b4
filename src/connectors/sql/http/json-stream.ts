/**
 * A JSON response written piece by piece with back-pressure: while the client's socket is full
 * the database request is paused. Headers go out with the first row (or at the end), so an error
 * before any row still becomes a proper JSON error response; an error after that can only cut
 * the response short, which the client sees as a broken body rather than a complete, wrong one.
 */
import type { Response } from 'express';

export interface PausableSource {
  pause(): void;
  resume(): void;
  cancel(): void;
}

export class JsonStream {
  private committed = false;
  private buffered: string[] = [];
  private waitingForDrain = false;
  private source?: PausableSource;

  constructor(
    private readonly res: Response,
    private readonly status = 200,
  ) {
    res.on('close', () => {
      if (!res.writableFinished) this.source?.cancel();
    });
  }

  /** The database request to pause when the client is slow and cancel when it leaves. */
  attach(source: PausableSource): void {
    this.source = source;
    if (this.res.destroyed) source.cancel();
  }

  get isCommitted(): boolean {
    return this.committed;
  }

  /** True once the client has gone away: stop producing. */
  get isClosed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /** Text before the first row: held back until commit(). */
  write(text: string): void {
    if (!this.committed) {
      this.buffered.push(text);
      return;
    }
    this.send(text);
  }

  /** Sends the headers and whatever was held back. */
  commit(): void {
    if (this.committed) return;
    this.committed = true;
    this.res.status(this.status);
    this.res.setHeader('Content-Type', 'application/json; charset=utf-8');
    const text = this.buffered.join('');
    this.buffered = [];
    if (text) this.send(text);
  }

  end(text = ''): void {
    this.commit();
    if (this.isClosed) return;
    this.res.end(text);
  }

  /** An error after the headers went out: cut the response so the client cannot take it as complete. */
  abort(error: unknown): void {
    this.source?.cancel();
    void error;
    this.res.destroy();
  }

  private send(text: string): void {
    if (this.isClosed) return;
    const ok = this.res.write(text);
    if (!ok && !this.waitingForDrain && this.source) {
      this.waitingForDrain = true;
      this.source.pause();
      this.res.once('drain', () => {
        this.waitingForDrain = false;
        this.source?.resume();
      });
    }
  }
}
