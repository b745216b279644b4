/**
 * HTTP load with autocannon: each figure is the median of several short runs, so one noisy
 * second on a shared machine does not decide it.
 */
import autocannon from 'autocannon';

export interface LoadFigures {
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  runs: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  runs: number;
  headers?: Record<string, string>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function runOnce(options: Omit<LoadOptions, 'runs'>): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: options.headers,
    timeout: 30,
  });
}

export function summarize(results: autocannon.Result[]): LoadFigures {
  return {
    rps: round(median(results.map((r) => r.requests.average))),
    p50: round(median(results.map((r) => r.latency.p50))),
    p99: round(median(results.map((r) => r.latency.p99))),
    runs: results.length,
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
  };
}

/** Measures two targets side by side, alternating runs (A, B, A, B …) so drift hits both alike. */
export async function compare(a: LoadOptions, b: LoadOptions): Promise<[LoadFigures, LoadFigures]> {
  const resultsA: autocannon.Result[] = [];
  const resultsB: autocannon.Result[] = [];
  for (let run = 0; run < Math.max(a.runs, b.runs); run++) {
    resultsA.push(await runOnce(a));
    resultsB.push(await runOnce(b));
  }
  return [summarize(resultsA), summarize(resultsB)];
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
