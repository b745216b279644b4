/** The benchmark report: the JSON shape of issue 9, and the table printed beside the goals. */
import type { LoadFigures } from './load';
import type { BenchSettings, LargeFigures } from './scenarios';

type Pair = { direct: LoadFigures; relayed: LoadFigures; rpsRatio: number };

export interface BenchReport {
  machine: Record<string, unknown>;
  settings: BenchSettings;
  relay: Record<'c1' | 'c32', Pair>;
  echo: Record<'c1' | 'c32', Pair>;
  large: { rows10k: LargeFigures; rows100k: LargeFigures; rssRatio: number | null };
  driver: Record<'c1' | 'c32', LoadFigures>;
}

const GOAL_RPS_RATIO = 0.6;
const GOAL_RSS_RATIO = 1.3;

function pairRows(name: string, pairs: Record<'c1' | 'c32', Pair>): string[] {
  return (['c1', 'c32'] as const).flatMap((c) => {
    const { direct, relayed, rpsRatio } = pairs[c];
    return [
      `${name} ${c.padEnd(4)} direct   ${fmt(direct.rps, 9)} req/s  p50 ${fmt(direct.p50, 7)} ms  p99 ${fmt(direct.p99, 7)} ms  (median of ${direct.runs})`,
      `${name} ${c.padEnd(4)} relayed  ${fmt(relayed.rps, 9)} req/s  p50 ${fmt(relayed.p50, 7)} ms  p99 ${fmt(relayed.p99, 7)} ms  (median of ${relayed.runs})  ratio ${rpsRatio.toFixed(3)}${relayed.errors ? `  errors ${relayed.errors}` : ''}`,
    ];
  });
}

function fmt(value: number, width: number): string {
  return value.toFixed(value >= 100 ? 0 : 2).padStart(width);
}

export function formatReport(report: BenchReport): string {
  const { machine, large, driver } = report;
  const largeRow = (f: LargeFigures) =>
    `large ${String(f.rows).padStart(7)} rows  ${f.seconds.toFixed(3)} s  ${f.mbPerSecond.toFixed(2)} MB/s  peak RSS listener ${f.listenerRssMb} MB, connector ${f.connectorRssMb} MB  (median of ${f.runs})`;
  return [
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}`,
    '',
    ...pairRows('relay', report.relay),
    ...pairRows('echo ', report.echo),
    largeRow(large.rows10k),
    largeRow(large.rows100k),
    `large rssRatio (peak RSS ${large.rows100k.rows} / ${large.rows10k.rows} rows) ${large.rssRatio ?? 'n/a (no /proc)'}`,
    `driver c1   ${fmt(driver.c1.rps, 9)} req/s  p50 ${fmt(driver.c1.p50, 7)} ms  p99 ${fmt(driver.c1.p99, 7)} ms  (median of ${driver.c1.runs})`,
    `driver c32  ${fmt(driver.c32.rps, 9)} req/s  p50 ${fmt(driver.c32.p50, 7)} ms  p99 ${fmt(driver.c32.p99, 7)} ms  (median of ${driver.c32.runs})`,
    '',
    `goal: relayed/direct ≥ ${GOAL_RPS_RATIO} at concurrency 32 — now ${report.relay.c32.rpsRatio.toFixed(3)} (SQL) and ${report.echo.c32.rpsRatio.toFixed(3)} (echo)`,
    `goal: rssRatio ≤ ${GOAL_RSS_RATIO} — now ${large.rssRatio ?? 'n/a'}`,
  ].join('\n');
}
