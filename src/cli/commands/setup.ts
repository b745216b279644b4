/** `hcm setup`: the "Listener Setup" step — a SQL connector for a hybrid connection, in the manifest. */
import { isHcmError } from '../../common/errors';
import { describeHybridConnection, HybridConnectionString, parseConfigurationString } from '../../config/connection-string';
import { applyConnectorSetup, ConnectorSetupResult, findConnectorFor } from '../../config/connector-setup';
import { readTrustedCertificates } from '../../relay/relay-websocket-options';
import { updateManifest } from '../../config/manifest-store';
import { isLoopbackPortFree } from '../../config/names';
import { SqlConnectorSettings } from '../../config/sql-settings';
import { ValidationError } from '../../config/validation';
import { describeProxySetting, proxySettingFromOption, withProxy } from '../proxy-option';
import { Command, CommandContext, EXIT_OK, integerOption, readStdin, stringOption, UsageError } from '../command';

const HELP = `Usage: hcm setup (--config-string S | --config-string-stdin) [--port N] [SQL options] [--proxy URL] [--json]
       hcm setup --proxy URL | --proxy none

Sets up a SQL connector site for the hybrid connection the configuration string names: assigns
the next MicrosoftSqlConnector_nnn, HybridAppPoolnnn and a free port (6569 upward) and records it
in $HCM_HOME/hcm.json. Run again with the same namespace + entity path to update that connector in
place — same site, pool and port — e.g. with the Secondary string when the Primary key is
regenerated, or with new SQL options (options not given keep their current values).
Everything is validated before anything changes; nothing changes on bad input.

Options:
  --config-string S            the Primary or Secondary Configuration String (from the Azure portal)
  --config-string-stdin        read the configuration string from standard input (keeps the key out of shell history)
  --port N                     the connector site's port (default: the next free from 6569; an update keeps
                               its port unless this is given)
  --sql-server H               SQL Server host name (default localhost)
  --sql-port N                 SQL Server TCP port (default 1433)
  --sql-instance I             named instance instead of a port (e.g. SQLEXPRESS)
  --database D                 database name (default master)
  --user U                     SQL login name
  --password-stdin             read the SQL password from standard input (or set HCM_SQL_PASSWORD)
  --tables a,b                 allowed tables (default: all)
  --procedures p,q             allowed stored procedures (default: none)
  --data-available-query Q     2015 poll trigger: query returning a row count
  --poll-data-query Q          2015 poll trigger: query returning the rows, run in a transaction
  --encrypt                    encrypt the connection to SQL Server (TLS)
  --trust-server-certificate   accept the server's certificate without validation
  --allow-query                enable POST /query (allow-listed statements only)
  --proxy URL                  the HTTP proxy (CONNECT) for every relay connection, e.g. http://proxy:3128 or
                               http://user@proxy:3128 with the password in HCM_PROXY_PASSWORD; 'none' removes it.
                               Only relay connections use it (never SQL Server's). Without it the listener
                               uses HTTPS_PROXY (wss://) / HTTP_PROXY (ws://) unless NO_PROXY names the relay.
  --relay-certificate FILE     a PEM certificate the listener trusts for this relay's wss:// (the relay
                               emulator's in TLS mode, printed by hcm relay); kept in the manifest.
                               Not needed for Azure. (Every relay: HCM_RELAY_CA_FILE on the listener.)
  --json                       print {"connector","appPool","port","hybridConnection","changed"} (and "proxy")
  --home DIR                   the manifest folder (default: HCM_HOME)
  -h, --help                   show this help

Exit codes: 0 done (or nothing to change), 1 failure (e.g. the manifest folder cannot be written), 2 bad input.`;

export const setupCommand: Command = {
  name: 'setup',
  summary: 'Set up (or update) a SQL connector for a hybrid connection.',
  help: HELP,
  options: {
    'config-string': { type: 'string' },
    'config-string-stdin': { type: 'boolean' },
    'sql-server': { type: 'string' },
    port: { type: 'string' },
    'sql-port': { type: 'string' },
    'sql-instance': { type: 'string' },
    database: { type: 'string' },
    user: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    tables: { type: 'string' },
    procedures: { type: 'string' },
    'data-available-query': { type: 'string' },
    'poll-data-query': { type: 'string' },
    encrypt: { type: 'boolean' },
    'trust-server-certificate': { type: 'boolean' },
    'allow-query': { type: 'boolean' },
    proxy: { type: 'string' },
    'relay-certificate': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(context) {
    const proxyText = stringOption(context, 'proxy');
    const proxy = proxyText === undefined ? undefined : proxySettingFromOption(proxyText, context.env);
    const proxyOnly = proxy !== undefined && !context.options['config-string-stdin'] && stringOption(context, 'config-string') === undefined;
    const input = proxyOnly ? undefined : await readInput(context);
    const certificate = readRelayCertificate(context);
    let outcome: ConnectorSetupResult | undefined;
    try {
      await updateManifest(context.home, async (manifest) => {
        const current = proxy === undefined ? manifest : withProxy(manifest, proxy);
        if (!input) return current;
        const kept = findConnectorFor(current, input.hybridConnection)?.hybridConnection.trustedCertificate;
        outcome = await applyConnectorSetup(current, input.hybridConnection, input.settings, { isPortFree: isLoopbackPortFree, port: input.sitePort });
        // An update without the option keeps the certificate trusted before.
        if (certificate !== undefined && certificate !== kept) {
          outcome.connector.hybridConnection.trustedCertificate = certificate;
          outcome.changed = true;
        }
        return outcome.manifest;
      });
    } catch (error) {
      if (error instanceof ValidationError) throw new UsageError(error.message);
      throw error;
    }
    if (proxy !== undefined && !context.options.json) context.print(`Relay connections: ${describeProxySetting(proxy)}.`);
    if (!input) {
      if (context.options.json) context.print(JSON.stringify({ proxy: proxy?.url ?? null }));
      return EXIT_OK;
    }
    const hybridConnection = input.hybridConnection;
    const { connector, changed, created } = outcome!;
    if (context.options.json) {
      context.print(JSON.stringify({
        connector: connector.site,
        appPool: connector.appPool,
        port: connector.port,
        hybridConnection: connector.hybridConnection.entityPath,
        changed,
        ...(proxy !== undefined ? { proxy: proxy?.url ?? null } : {}),
      }));
    } else {
      const what = created ? 'Set up' : changed ? 'Updated' : 'Unchanged:';
      context.print(`${what} ${connector.site} (app pool ${connector.appPool}, port ${connector.port}) for hybrid connection ${describeHybridConnection(hybridConnection)}.`);
    }
    return EXIT_OK;
  },
};

async function readInput(context: CommandContext): Promise<{ hybridConnection: HybridConnectionString; settings: Partial<SqlConnectorSettings>; sitePort?: number }> {
  const fromStdin = Boolean(context.options['config-string-stdin']);
  if (fromStdin && context.options['password-stdin']) {
    throw new UsageError('--config-string-stdin and --password-stdin both read standard input; give the password in HCM_SQL_PASSWORD instead.');
  }
  if (fromStdin === (stringOption(context, 'config-string') !== undefined)) {
    throw new UsageError('Give exactly one of --config-string S or --config-string-stdin.');
  }
  const settings = readSqlOptions(context);
  const text = fromStdin ? (await readStdin(context.stdin)).trim() : stringOption(context, 'config-string')!;
  let hybridConnection: HybridConnectionString;
  try {
    hybridConnection = parseConfigurationString(text);
  } catch (error) {
    throw new UsageError(isHcmError(error) ? error.message : String(error));
  }
  if (context.options['password-stdin']) settings.password = (await readStdin(context.stdin)).replace(/\r?\n$/, '');
  else if (context.env.HCM_SQL_PASSWORD !== undefined) settings.password = context.env.HCM_SQL_PASSWORD;
  return { hybridConnection, settings, sitePort: integerOption(context, 'port', 1, 65535) };
}

function readRelayCertificate(context: CommandContext): string | undefined {
  const file = stringOption(context, 'relay-certificate');
  if (file === undefined) return undefined;
  try {
    return readTrustedCertificates([file])[0];
  } catch (error) {
    throw new UsageError(`--relay-certificate: ${(error as Error).message}`);
  }
}

function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** Only the options given: an update keeps what the user did not mention. */
function readSqlOptions(context: CommandContext): Partial<SqlConnectorSettings> {
  if (stringOption(context, 'sql-port') !== undefined && stringOption(context, 'sql-instance') !== undefined) {
    throw new UsageError('Give either --sql-port or --sql-instance, not both.');
  }
  const flag = (name: string) => (context.options[name] ? true : undefined);
  return {
    server: stringOption(context, 'sql-server'),
    port: integerOption(context, 'sql-port', 1, 65535),
    instance: stringOption(context, 'sql-instance'),
    database: stringOption(context, 'database'),
    user: stringOption(context, 'user'),
    tables: list(stringOption(context, 'tables')),
    procedures: list(stringOption(context, 'procedures')),
    dataAvailableQuery: stringOption(context, 'data-available-query'),
    pollDataQuery: stringOption(context, 'poll-data-query'),
    encrypt: flag('encrypt'),
    trustServerCertificate: flag('trust-server-certificate'),
    allowQuery: flag('allow-query'),
  };
}
