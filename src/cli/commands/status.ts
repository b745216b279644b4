/** `hcm status`: the listener's /status joined with each connector's /health/ready. */
import { readManifest } from '../../config/manifest-store';
import { Command, EXIT_FAILURE, EXIT_OK, integerOption, UsageError } from '../command';
import { getJson } from '../http-get';
import { watch } from '../status-watch';
import { formatTable } from '../table';

interface ListenerHybridConnection {
  name: string;
  connector: string;
  state: string;
  since?: string;
  lastError?: string | null;
  listeners?: number | null;
}

export interface StatusReport {
  listener: { site: string; port: number; reachable: boolean; problem?: string };
  connectors: Array<{ site: string; port: number; hybridConnection: string; state: string; lastError?: string | null; listeners: number | null; health: string; database: string }>;
}

export async function collectStatus(home: string): Promise<StatusReport> {
  const manifest = readManifest(home);
  const listener = await getJson<{ hybridConnections: ListenerHybridConnection[] }>(`http://127.0.0.1:${manifest.listener.port}/status`);
  const states = new Map((listener.value?.hybridConnections ?? []).map((hc) => [hc.connector, hc]));
  const connectors = await Promise.all(
    manifest.connectors.map(async (c) => {
      const ready = await getJson<{ status?: string }>(`http://127.0.0.1:${c.port}/health/ready`);
      const state = states.get(c.site);
      return {
        site: c.site,
        port: c.port,
        hybridConnection: c.hybridConnection.entityPath,
        state: state?.state ?? (listener.value ? 'Unknown' : 'ListenerDown'),
        lastError: state?.lastError ?? null,
        listeners: state?.listeners ?? null,
        health: ready.value?.status ?? `unreachable (${ready.problem ?? `HTTP ${ready.status}`})`,
        database: c.settings.database,
      };
    }),
  );
  return {
    listener: { site: manifest.listener.site, port: manifest.listener.port, reachable: listener.value !== undefined, ...(listener.problem ? { problem: listener.problem } : {}) },
    connectors,
  };
}

export function allHealthy(report: StatusReport): boolean {
  return report.listener.reachable && report.connectors.every((c) => c.state === 'Connected' && c.health === 'ready');
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show each hybrid connection\'s state and each connector\'s database health.',
  help: `Usage: hcm status [--json] [--watch [--interval SECONDS] [--count N]]

Asks the running listener (GET /status on its port) for each hybrid connection's state
(Connecting, Connected, Reconnecting, Failed) and each connector site for its readiness
(GET /health/ready: can it reach its database?), and prints one line per connector. LISTENERS is
how many listeners the relay counts on the hybrid connection — this server's and any other
server's (hcm export / hcm import) — from the relay's runtime information; ? until it answered.

Options:
  --json       print {"listener":{…},"connectors":[{"site","port","hybridConnection","state","listeners","health","database"}]}
  --watch      show the table again every interval until Ctrl-C: redrawn in place on a terminal,
               one table after another (each headed by its time) into a file or a pipe
  --interval SECONDS   with --watch: seconds between tables (default 1)
  --count N    with --watch: stop after N tables
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help

Exit codes: 0 when every hybrid connection is Connected and every connector ready, else 1
(with --watch: 0 when stopped by Ctrl-C or a closed pipe; after --count, as for the last table).`,
  options: { json: { type: 'boolean' }, watch: { type: 'boolean' }, interval: { type: 'string' }, count: { type: 'string' } },
  async run(context) {
    if (context.options.watch) {
      if (context.options.json) throw new UsageError('--watch shows the table; use --json without --watch (or poll it).');
      const intervalSeconds = integerOption(context, 'interval', 1, 3600) ?? 1;
      const count = integerOption(context, 'count', 1, 1_000_000);
      const stdout = context.stdout as NodeJS.WriteStream;
      const watched = await watch(async () => {
        const report = await collectStatus(context.home);
        return { lines: statusLines(report), result: allHealthy(report) };
      }, { out: stdout, intervalMs: intervalSeconds * 1000, count, terminal: stdout.isTTY === true, watchOutput: stdout === process.stdout });
      return watched.end !== 'count' || watched.result ? EXIT_OK : EXIT_FAILURE;
    } else if (context.options.interval !== undefined || context.options.count !== undefined) {
      throw new UsageError('--interval and --count go with --watch.');
    }
    const report = await collectStatus(context.home);
    if (context.options.json) context.print(JSON.stringify(report));
    else for (const line of statusLines(report)) context.print(line);
    return allHealthy(report) ? EXIT_OK : EXIT_FAILURE;
  },
};

/** The human-readable report: the listener's line, the table, then each connector's last error. */
export function statusLines(report: StatusReport): string[] {
  const { listener } = report;
  const lines = [`Listener ${listener.site} on port ${listener.port}: ${listener.reachable ? 'running' : `not answering (${listener.problem})`}`];
  if (report.connectors.length === 0) lines.push('No connectors in the manifest.');
  else lines.push(...formatTable(['SITE', 'PORT', 'HYBRID CONNECTION', 'STATE', 'LISTENERS', 'DATABASE', 'HEALTH'],
    report.connectors.map((c) => [c.site, String(c.port), c.hybridConnection, c.state, c.listeners === null ? '?' : String(c.listeners), c.database, c.health])).split('\n'));
  for (const c of report.connectors) if (c.lastError) lines.push(`${c.site}: ${c.lastError}`);
  return lines;
}
