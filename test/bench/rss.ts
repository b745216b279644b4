/** Peak resident memory of other processes, sampled from /proc while some work runs (Linux). */
import fs from 'node:fs';

function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function canSampleRss(): boolean {
  return rssMb(process.pid) !== undefined;
}

/** Runs `work` while sampling each pid every `intervalMs`; returns the work's result and each peak in MB. */
export async function withPeakRss<T>(pids: Record<string, number>, work: () => Promise<T>, intervalMs = 25): Promise<{ result: T; peaksMb: Record<string, number> }> {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name], rssMb(pid) ?? 0);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await work();
    sample();
    return { result, peaksMb: Object.fromEntries(Object.entries(peaks).map(([name, mb]) => [name, Math.round(mb * 10) / 10])) };
  } finally {
    clearInterval(timer);
  }
}
