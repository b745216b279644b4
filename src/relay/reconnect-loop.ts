/**
 * When a relay listener opens its next control channel. hyco-https is told to leave reconnecting
 * to us (takeOverReconnects); after each closed channel the next attempt comes after the schedule's
 * pause (reconnect-schedule.ts), and after a refusal (401/403/404) once, after the owner's slow
 * retry. The owner says whether reconnecting is allowed at all (not while Failed or closed).
 */
import type { HycoServer } from './hyco';
import { REAL_TIMERS, ReconnectSchedule, Timers, reconnectDelayMs, takeOverReconnects } from './reconnect-schedule';

export interface ReconnectLoopOptions {
  schedule?: ReconnectSchedule;
  timers?: Timers;
  /** False while the owner is paused (Failed) or closed: a closed channel then schedules nothing. */
  mayReconnect(): boolean;
  /** A channel closed and the next attempt is `delay` ms away (the `failures`-th in a row). */
  onScheduled(delay: number, failures: number): void;
}

export class ReconnectLoop {
  private timer: unknown;
  private failures = 0;

  constructor(
    private readonly server: HycoServer,
    private readonly options: ReconnectLoopOptions,
  ) {}

  private get timers(): Timers {
    return this.options.timers ?? REAL_TIMERS;
  }

  /** Opens a control channel now (hyco-https creates it synchronously) and keeps its reconnects ours. */
  listenNow(): void {
    this.server.closeRequested = false;
    this.server.listen();
    takeOverReconnects(this.server, () => this.channelGone());
  }

  /** A channel opened: the schedule starts again from its first pause. */
  connected(): void {
    this.failures = 0;
  }

  /** One attempt after `ms` (the slow retry after a refusal), if `proceed` still agrees then. */
  retryAfter(ms: number, proceed: () => boolean): void {
    this.cancel();
    this.timer = this.timers.setTimeout(() => {
      if (proceed()) this.listenNow();
    }, ms);
  }

  cancel(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private channelGone(): void {
    if (!this.options.mayReconnect()) return;
    this.failures += 1;
    const delay = (this.options.schedule ?? reconnectDelayMs)(this.failures);
    this.options.onScheduled(delay, this.failures);
    this.retryAfter(delay, () => this.options.mayReconnect());
  }
}
