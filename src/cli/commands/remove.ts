/** `hcm remove`: takes a connector out of the manifest (the listener drops its relay connection). */
import { findConnector } from '../../config/connector-setup';
import { ConnectorEntry } from '../../config/manifest';
import { updateManifest } from '../../config/manifest-store';
import { Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

export const removeCommand: Command = {
  name: 'remove',
  summary: 'Remove a connector (by site, number or entity path) from the manifest.',
  help: `Usage: hcm remove <site | nnn | entity path> [--json]

Removes one SQL connector from $HCM_HOME/hcm.json, named by its site (MicrosoftSqlConnector_001),
its number (001 or 1) or its hybrid connection's entity path (sql-orders). A running listener and
host notice within 2 s: the relay connection closes and the connector site stops. Under IIS, use
Uninstall-HybridConnectionManager.ps1 -Connector <site>, which also removes the IIS site and pool.

Options:
  --json       print {"removed":{"connector","appPool","port","hybridConnection"}}
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help

Exit codes: 0 removed, 1 no such connector, 2 bad input.`,
  options: { json: { type: 'boolean' } },
  maxPositionals: 1,
  async run(context) {
    const selector = context.positionals[0];
    if (selector === undefined || selector.trim() === '') throw new UsageError("Name the connector to remove: a site, a number or an entity path. See 'hcm list'.");
    let removed: ConnectorEntry | undefined;
    await updateManifest(context.home, (manifest) => {
      const matches = manifest.connectors.filter((c) => c === findConnector({ ...manifest, connectors: [c] }, selector));
      if (matches.length > 1) {
        throw new UsageError(`'${selector}' names ${matches.length} connectors (${matches.map((c) => c.site).join(', ')}); give the site name instead.`);
      }
      removed = matches[0];
      return removed ? { ...manifest, connectors: manifest.connectors.filter((c) => c !== removed) } : manifest;
    });
    if (!removed) {
      context.printError(`hcm remove: no connector matches '${selector}'. See 'hcm list'.`);
      return EXIT_FAILURE;
    }
    const summary = { connector: removed.site, appPool: removed.appPool, port: removed.port, hybridConnection: removed.hybridConnection.entityPath };
    if (context.options.json) context.print(JSON.stringify({ removed: summary }));
    else context.print(`Removed ${removed.site} (app pool ${removed.appPool}, port ${removed.port}, hybrid connection ${summary.hybridConnection}).`);
    return EXIT_OK;
  },
};
