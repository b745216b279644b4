/** The four measurements of the benchmark, each a pair measured side by side in one run. */
import os from 'node:os';
import sql from 'mssql';
import { BenchEnvironment } from './environment';
import { compare, LoadFigures, round } from './load';
import { canSampleRss, withPeakRss } from './rss';

export interface BenchSettings {
  durationSeconds: number;
  runs: number;
  largeRows: [number, number];
  largeRuns: number;
}

export const FULL: BenchSettings = { durationSeconds: 4, runs: 3, largeRows: [10_000, 100_000], largeRuns: 3 };
export const SMOKE: BenchSettings = { durationSeconds: 1, runs: 1, largeRows: [50, 500], largeRuns: 1 };

type Pair = { direct: LoadFigures; relayed: LoadFigures; rpsRatio: number };

async function pair(env: BenchEnvironment, settings: BenchSettings, connections: number, directUrl: string, relayedUrl: string): Promise<Pair> {
  const common = { connections, durationSeconds: settings.durationSeconds, runs: settings.runs };
  const [direct, relayed] = await compare({ ...common, url: directUrl }, { ...common, url: relayedUrl, headers: { ServiceBusAuthorization: env.token } });
  return { direct, relayed, rpsRatio: round(relayed.rps / direct.rps, 3) };
}

export async function relayOverhead(env: BenchEnvironment, settings: BenchSettings): Promise<Record<'c1' | 'c32', Pair>> {
  const path = '/tables/Orders/items?$top=10';
  const direct = `http://127.0.0.1:${env.sqlConnector.port}${path}`;
  const relayed = env.relayedUrl('sql-orders', path);
  return { c1: await pair(env, settings, 1, direct, relayed), c32: await pair(env, settings, 32, direct, relayed) };
}

export async function listenerAlone(env: BenchEnvironment, settings: BenchSettings): Promise<Record<'c1' | 'c32', Pair>> {
  const direct = `http://127.0.0.1:${env.echoPort}/echo?x=1`;
  const relayed = env.relayedUrl('echo', '/echo?x=1');
  return { c1: await pair(env, settings, 1, direct, relayed), c32: await pair(env, settings, 32, direct, relayed) };
}

export interface LargeFigures {
  rows: number;
  seconds: number;
  mbPerSecond: number;
  listenerRssMb: number;
  connectorRssMb: number;
  runs: number;
}

async function fetchAll(env: BenchEnvironment, rows: number): Promise<{ bytes: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const response = await fetch(env.relayedUrl('sql-orders', `/tables/BenchRows/items?$top=${rows}`), { headers: { ServiceBusAuthorization: env.token } });
  if (response.status !== 200) throw new Error(`large result: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function large(env: BenchEnvironment, rows: number, runs: number): Promise<LargeFigures> {
  const measured: Array<{ bytes: number; seconds: number; peaks: Record<string, number> }> = [];
  for (let run = 0; run < runs; run++) {
    const { result, peaksMb } = await withPeakRss(env.pids, () => fetchAll(env, rows));
    measured.push({ ...result, peaks: peaksMb });
  }
  const middle = [...measured].sort((a, b) => a.seconds - b.seconds)[Math.floor(measured.length / 2)];
  return {
    rows,
    seconds: round(middle.seconds, 3),
    mbPerSecond: round(middle.bytes / 1e6 / middle.seconds),
    listenerRssMb: Math.max(...measured.map((m) => m.peaks.listener)),
    connectorRssMb: Math.max(...measured.map((m) => m.peaks.connector)),
    runs,
  };
}

export async function largeResults(env: BenchEnvironment, settings: BenchSettings) {
  const small = await large(env, settings.largeRows[0], settings.largeRuns);
  const big = await large(env, settings.largeRows[1], Math.max(1, settings.largeRuns - 1));
  const peak = (f: LargeFigures) => f.listenerRssMb + f.connectorRssMb;
  return { rows10k: small, rows100k: big, rssRatio: canSampleRss() ? round(peak(big) / peak(small), 3) : null };
}

/** The floor: the same query straight to the stand-in with mssql, at the same concurrencies. */
export async function driverFloor(env: BenchEnvironment, settings: BenchSettings): Promise<Record<'c1' | 'c32', LoadFigures>> {
  const pool = await new sql.ConnectionPool({ ...sql.ConnectionPool.parseConnectionString(env.sqlConnectionString), pool: { max: 32 } } as sql.config).connect();
  try {
    const measure = async (concurrency: number): Promise<LoadFigures> => {
      const figures: LoadFigures[] = [];
      for (let run = 0; run < settings.runs; run++) {
        const latencies: number[] = [];
        const deadline = Date.now() + settings.durationSeconds * 1000;
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (Date.now() < deadline) {
            const started = process.hrtime.bigint();
            await pool.request().query('SELECT TOP (10) * FROM dbo.Orders ORDER BY 1');
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        }));
        latencies.sort((a, b) => a - b);
        const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
        figures.push({ rps: round(latencies.length / settings.durationSeconds), p50: round(at(0.5)), p99: round(at(0.99)), runs: 1, errors: 0 });
      }
      const mid = [...figures].sort((a, b) => a.rps - b.rps)[Math.floor(figures.length / 2)];
      return { ...mid, runs: figures.length };
    };
    return { c1: await measure(1), c32: await measure(32) };
  } finally {
    await pool.close();
  }
}

export function machine() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
  };
}
