/**
 * When the listener tries the relay again after its control channel failed or dropped.
 *
 * hyco-https's own schedule (0, 1, 2, 5, 10, 30, 30… s) left a listener up to 30 s behind a relay
 * that had come back after a long outage, and retried at once (0 s) after a drop. Ours: at most one
 * attempt per second, never more than 10 s between attempts, and past the first few attempts a
 * uniform 5–10 s so that many managers reconnecting to the same relay do not do so in lockstep.
 * Answers 401/403/404 keep their own slow retry (RelayListener's rejectedRetryMs).
 *
 * `takeOverReconnects` makes hyco-https leave reconnecting to us: it wraps the onerror/onclose
 * handlers hyco-https assigned on a fresh control channel (as hyco-guards wraps onmessage) so that
 * they run with `closeRequested` set — they then clear their timers but schedule nothing — and
 * tells the owner the channel is gone, so that it schedules the next attempt itself.
 */
import type { HycoServer, HycoWebSocket } from './hyco';

export const MIN_RECONNECT_DELAY_MS = 1_000;
export const MAX_RECONNECT_DELAY_MS = 10_000;
/** The first attempts after a failure, before the jittered phase. */
const FIRST_DELAYS_MS = [1_000, 2_000, 4_000];
const JITTER_FROM_MS = 5_000;

/** A schedule: the pause before attempt number `failures` (1 = the first attempt after a failure or drop). */
export type ReconnectSchedule = (failures: number) => number;

/** The default schedule: 1, 2, 4 s, then uniform 5–10 s; `random` is injectable for tests. */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const first = FIRST_DELAYS_MS[Math.max(0, failures - 1)];
  if (first !== undefined) return first;
  const jittered = JITTER_FROM_MS + random() * (MAX_RECONNECT_DELAY_MS - JITTER_FROM_MS);
  return Math.min(MAX_RECONNECT_DELAY_MS, Math.max(MIN_RECONNECT_DELAY_MS, Math.round(jittered)));
}

/** setTimeout/clearTimeout, injectable so that tests can run a long outage without waiting it out. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Wraps the handlers hyco-https put on the control channel it just created (call right after
 * `server.listen()`, which creates it synchronously): hyco-https never reconnects on its own, and
 * `gone` runs once when the channel closed or failed.
 */
export function takeOverReconnects(server: HycoServer, gone: (channel: HycoWebSocket) => void): void {
  const channel = server.controlChannel;
  if (!channel) return;
  let reported = false;
  const wrap = (name: 'onerror' | 'onclose') => {
    const original = (channel as unknown as Record<string, ((event?: unknown) => void) | undefined>)[name];
    if (!original) return;
    (channel as unknown as Record<string, (event?: unknown) => void>)[name] = (event?: unknown) => {
      const requested = server.closeRequested;
      server.closeRequested = true;
      try {
        original.call(channel, event);
      } finally {
        // Only hyco-https's own handlers read the flag to decide on a reconnect, and they run only
        // through these wrappers: the owner's closed/paused state decides the next attempt.
        server.closeRequested = requested;
      }
      if (!reported && name === 'onclose') {
        reported = true;
        gone(channel);
      }
    };
  };
  wrap('onerror');
  wrap('onclose');
}
