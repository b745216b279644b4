/**
 * A small closed-loop load for the fault tests: `workers` loops, each sending one call after the
 * other until stopped, every answer recorded with the time it came back (relative to the start).
 * Writes carry a unique key so that what was acknowledged can be looked for afterwards.
 */
import type { RawRequest, RawResponse, Target } from './chain-client';

export interface Outcome {
  at: number;
  kind: 'read' | 'write';
  status: number;
  code?: string;
  /** The unique key of a write. */
  key?: string;
  error?: string;
  retryAfter?: string;
}

export class Load {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly workers: Array<Promise<void>>;
  private readonly startedAt = Date.now();
  private sequence = 0;

  constructor(
    private readonly target: Target,
    private readonly calls: { read: () => RawRequest; write: (key: string) => RawRequest },
    readonly runId: string,
    workers = 6,
  ) {
    this.workers = Array.from({ length: workers }, (_, index) => this.loop(index % 2 === 0 ? 'write' : 'read'));
  }

  /** Milliseconds since the load started (the time base of every outcome). */
  now(): number {
    return Date.now() - this.startedAt;
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await Promise.all(this.workers);
    return this.outcomes;
  }

  /** Resolves at the first outcome after `from` that matches (checked as outcomes arrive). */
  async until(what: string, from: number, match: (outcome: Outcome) => boolean, timeoutMs: number): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.outcomes.find((o) => o.at >= from && match(o));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what} (last: ${JSON.stringify(this.outcomes.slice(-3))})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  acknowledgedWrites(): string[] {
    return this.outcomes.filter((o) => o.kind === 'write' && o.status === 201 && o.key).map((o) => o.key!);
  }

  private async loop(kind: 'read' | 'write'): Promise<void> {
    while (this.running) {
      const key = kind === 'write' ? `${this.runId}-${(this.sequence += 1)}` : undefined;
      const request = key ? this.calls.write(key) : this.calls.read();
      let response: RawResponse | undefined;
      let error: string | undefined;
      try {
        response = await this.target.send(request);
      } catch (thrown) {
        error = (thrown as NodeJS.ErrnoException).code ?? (thrown as Error).message;
      }
      const retryAfter = response?.headers['retry-after'];
      this.outcomes.push({ at: this.now(), kind, status: response?.status ?? 0, code: response?.json?.error?.code, key, error, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined });
      // A refused connection answers at once: do not spin while the far end is down.
      if (!response) await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Statuses seen (with codes), for messages. */
export function summary(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const name = o.error ? `error ${o.error}` : `${o.status}${o.code ? ` ${o.code}` : ''}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${name}: ${n}`).join(', ');
}
