/** `hcm list`: what the manifest holds — the listener and each connector, without secrets. */
import { describeHybridConnection } from '../../config/connection-string';
import { ConnectorEntry, Manifest, toHybridConnectionString } from '../../config/manifest';
import { readManifest } from '../../config/manifest-store';
import { Command, EXIT_OK } from '../command';
import { formatTable } from '../table';

export interface ConnectorSummary {
  site: string;
  appPool: string;
  port: number;
  hybridConnection: string;
  endpoint: string;
  emulator: boolean;
  database: string;
  server: string;
}

export function summarizeConnector(connector: ConnectorEntry): ConnectorSummary {
  const { settings } = connector;
  const server = settings.instance ? `${settings.server}\\${settings.instance}` : `${settings.server},${settings.port ?? 1433}`;
  return {
    site: connector.site,
    appPool: connector.appPool,
    port: connector.port,
    hybridConnection: connector.hybridConnection.entityPath,
    endpoint: describeHybridConnection(toHybridConnectionString(connector.hybridConnection)),
    emulator: connector.hybridConnection.emulator,
    database: settings.database,
    server,
  };
}

export function summarizeManifest(manifest: Manifest) {
  return { listener: manifest.listener, connectors: manifest.connectors.map(summarizeConnector) };
}

export const listCommand: Command = {
  name: 'list',
  summary: 'List the listener and the connectors in the manifest.',
  help: `Usage: hcm list [--json]

Lists what $HCM_HOME/hcm.json holds: the listener site and every SQL connector site with its app
pool, port, hybrid connection and database. Keys and passwords are never shown.

Options:
  --json       print {"listener":{…},"connectors":[{"site","appPool","port","hybridConnection","endpoint","emulator","database","server"}]}
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help`,
  options: { json: { type: 'boolean' } },
  async run(context) {
    const summary = summarizeManifest(readManifest(context.home));
    if (context.options.json) {
      context.print(JSON.stringify(summary));
      return EXIT_OK;
    }
    context.print(`Listener ${summary.listener.site} (app pool ${summary.listener.appPool}, port ${summary.listener.port})`);
    if (summary.connectors.length === 0) {
      context.print("No connectors yet: run 'hcm setup --config-string-stdin' to add one.");
      return EXIT_OK;
    }
    context.print(formatTable(['SITE', 'APP POOL', 'PORT', 'HYBRID CONNECTION', 'DATABASE'],
      summary.connectors.map((c) => [c.site, c.appPool, String(c.port), c.endpoint, `${c.database} on ${c.server}`])));
    return EXIT_OK;
  },
};
