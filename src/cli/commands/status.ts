/** `hcm status`: the listener's /status joined with each connector's /health/ready. */
import { readManifest } from '../../config/manifest-store';
import { Command, EXIT_FAILURE, EXIT_OK } from '../command';
import { getJson } from '../http-get';
import { formatTable } from '../table';

interface ListenerHybridConnection {
  name: string;
  connector: string;
  state: string;
  since?: string;
  lastError?: string | null;
  listenerCount?: number | null;
}

export interface StatusReport {
  listener: { site: string; port: number; reachable: boolean; problem?: string };
  connectors: Array<{ site: string; port: number; hybridConnection: string; state: string; lastError?: string | null; listenerCount: number | null; health: string; database: string }>;
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
        listenerCount: state?.listenerCount ?? null,
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
  help: `Usage: hcm status [--json]

Asks the running listener (GET /status on its port) for each hybrid connection's state
(Connecting, Connected, Reconnecting, Failed) and each connector site for its readiness
(GET /health/ready: can it reach its database?), and prints one line per connector. LISTENERS is
how many listeners the relay counts on the hybrid connection — this server's and any other's
(hcm export / hcm import) — as the relay's runtime information gives it (asked every 30 s).

Options:
  --json       print {"listener":{…},"connectors":[{"site","port","hybridConnection","state","listenerCount","health","database"}]}
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help

Exit codes: 0 when every hybrid connection is Connected and every connector ready, else 1.`,
  options: { json: { type: 'boolean' } },
  async run(context) {
    const report = await collectStatus(context.home);
    if (context.options.json) context.print(JSON.stringify(report));
    else {
      const { listener } = report;
      context.print(`Listener ${listener.site} on port ${listener.port}: ${listener.reachable ? 'running' : `not answering (${listener.problem})`}`);
      if (report.connectors.length === 0) context.print('No connectors in the manifest.');
      else context.print(formatTable(['SITE', 'PORT', 'HYBRID CONNECTION', 'STATE', 'LISTENERS', 'DATABASE', 'HEALTH'],
        report.connectors.map((c) => [c.site, String(c.port), c.hybridConnection, c.state, c.listenerCount === null ? '?' : String(c.listenerCount), c.database, c.health])));
      for (const c of report.connectors) if (c.lastError) context.print(`${c.site}: ${c.lastError}`);
    }
    return allHealthy(report) ? EXIT_OK : EXIT_FAILURE;
  },
};
