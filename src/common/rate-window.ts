/**
 * Events in the last minute, counted in one-second buckets: the listener page's "calls per
 * minute". Memory stays at 60 numbers however busy the site is; the clock is injectable for tests.
 */
const BUCKETS = 60;

export class RateWindow {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private readonly seconds = new Array<number>(BUCKETS).fill(-1);

  constructor(private readonly now: () => number = Date.now) {}

  add(count = 1): void {
    const second = Math.floor(this.now() / 1000);
    const slot = second % BUCKETS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] += count;
  }

  /** Events in the 60 seconds up to now (the current second included). */
  perMinute(): number {
    const second = Math.floor(this.now() / 1000);
    let total = 0;
    for (let slot = 0; slot < BUCKETS; slot += 1) if (this.seconds[slot] > second - BUCKETS) total += this.counts[slot];
    return total;
  }
}
