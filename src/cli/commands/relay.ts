/** `hcm relay`: runs the local Azure Relay (Hybrid Connections) emulator until SIGINT/SIGTERM. */
import path from 'node:path';
import { createLogger } from '../../common/logger';
import type { TlsIdentity } from '../../common/tls-certificate';
import type { RelayEmulator } from '../../emulators/relay';
import { DEFAULT_RELAY_HOST, DEFAULT_RELAY_PORT, DEV_PRIMARY_KEY, ROOT_RULE_NAME } from '../../emulators/relay/constants';
import { loadRelayConfigFile, RelayConfigError } from '../../emulators/relay/config-file';
import { hybridConnectionNameProblem } from '../../emulators/relay/model';
import { Command, CommandContext, EXIT_OK, stringOption, UsageError } from '../command';
import { untilSignal } from '../signals';

const HELP = `Usage: hcm relay [--host 127.0.0.1] [--port 9351] [--hybrid-connection <name>[:anonymous]]...
                 [--config FILE] [--response-timeout SECONDS] [--token-grace SECONDS] [--strict]
                 [--tls-cert FILE --tls-key FILE | --tls-dir DIR | --no-tls] [--public-address wss://HOST[:PORT]]

Runs a local stand-in for an Azure Relay namespace's Hybrid Connections (like Azurite for Azure
Storage), so listeners (the product's listener site, hyco-https, Microsoft.Azure.Relay) and senders
(HTTP, WebSocket) work offline. ONE port serves both TLS (https://, wss://) and plain (http://,
ws://) clients: the first byte of each connection decides. On start it prints, alone on one line
per hybrid connection, the configuration string to give a listener or a sender:

  Endpoint=sb://127.0.0.1:<port>/;SharedAccessKeyName=${ROOT_RULE_NAME};SharedAccessKey=<key>;EntityPath=<name>

Microsoft's SDKs take it unchanged (they dial wss:// and https:// to that port) once they trust the
emulator's certificate; so does the product (hcm setup --relay-certificate FILE). Append
;UseDevelopmentEmulator=true for plain ws:// and http:// on the same port (no certificate needed;
Microsoft's SDKs refuse that key). With --no-tls the strings printed are the plain ones.

The certificate is generated on first start (covering localhost, 127.0.0.1, ::1 and --host) and
kept, with its key, in --tls-dir (default <HCM_HOME>/tls, as hcm-relay-emulator.crt), so you can
trust it once; its path and SHA-256 fingerprint are printed on standard error. Then it runs until
Ctrl+C (SIGINT) or SIGTERM. The rule ${ROOT_RULE_NAME} (Manage, Listen, Send) has well-known
DEVELOPMENT-ONLY keys (primary ${DEV_PRIMARY_KEY});
they protect nothing, which is why the relay binds to 127.0.0.1 unless told otherwise.

Listeners:         wss://<host>:<port>/$hc/<name>?sb-hc-action=listen   (token: Listen right)
HTTP senders:      https://<host>:<port>/<name>/...                     (token: Send right, unless anonymous)
WebSocket senders: wss://<host>:<port>/$hc/<name>[?sb-hc-action=connect]
Runtime info:      GET https://<host>:<port>/<name>?api-version=2016-07, X-PROCESS-AT: ServiceBus (Listen or Send)
Management:        https://<host>:<port>/$management/hybridconnections  (token: Manage right)
(each also as ws:// and http://)

Options:
  --host ADDRESS              interface to bind (default ${DEFAULT_RELAY_HOST}; env HCM_RELAY_HOST)
  --port N                    port (default ${DEFAULT_RELAY_PORT}; 0 = any free port, printed in the strings;
                              env HCM_RELAY_PORT)
  --hybrid-connection NAME[:anonymous]
                              a hybrid connection to serve (repeatable). ':anonymous' lets senders in
                              without a token (requiresClientAuthorization=false); listeners always
                              need one. Names may contain '/'.
  --config FILE               JSON file adding shared access rules (namespace or hybrid connection
                              level: name, rights, primaryKey, secondaryKey) and hybrid connections
                              (name, requiresClientAuthorization, authorizationRules); see the README
                              (env HCM_RELAY_CONFIG)
  --response-timeout SECONDS  how long a listener has to respond before the sender gets 504
                              (default 60, as Azure; fractions allowed; env HCM_RELAY_RESPONSE_TIMEOUT)
  --token-grace SECONDS       how long a listener's control channel stays open past its token's
                              expiry without a renewal before it is closed with 1008 (default 300,
                              as Azure is seen to do; 0 = at the instant of expiry; env HCM_RELAY_TOKEN_GRACE)
  --strict                    send a sender's later requests over the response rendezvous, as Azure
                              documents (hyco-https listeners lose them). Default: each rendezvous is
                              closed after its response (env HCM_RELAY_STRICT=1)
  --tls-cert FILE, --tls-key FILE
                              use this PEM certificate and key for TLS instead of a generated one
                              (env HCM_RELAY_TLS_CERT, HCM_RELAY_TLS_KEY)
  --tls-dir DIR               where the generated certificate is kept (default <HCM_HOME>/tls;
                              env HCM_RELAY_TLS_DIR)
  --no-tls                    plain HTTP and ws:// only; prints UseDevelopmentEmulator=true strings
                              (env HCM_RELAY_TLS=0)
  --public-address URL        the address clients use when a front (TLS terminator, port forward)
                              stands before the relay, wss://HOST[:PORT] or ws://HOST[:PORT]:
                              rendezvous addresses and the printed strings name it (env HCM_RELAY_PUBLIC_ADDRESS)
  --home DIR                  the folder under which the certificate is kept (default: HCM_HOME)
  -h, --help                  show this help

Output: the configuration strings go to stdout, one per line; messages and the JSON log
(HCM_LOG_LEVEL, default info) go to stderr.

Exit codes: 0 stopped by a signal, 1 could not start (e.g. the port is in use), 2 bad option.`;

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RELAY_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError('--port must be a whole number from 0 to 65535.');
  return Number(text);
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError('--response-timeout must be a number of seconds above 0 and at most 3600.');
  return Math.round(seconds * 1000);
}

function parseHybridConnections(values: string[]): Array<{ name: string; requiresClientAuthorization: boolean }> {
  return values.map((value) => {
    const anonymous = /:anonymous$/i.test(value);
    const name = anonymous ? value.slice(0, -':anonymous'.length) : value;
    const problem = hybridConnectionNameProblem(name);
    if (problem) throw new UsageError(`--hybrid-connection ${JSON.stringify(value.slice(0, 80))}: the name ${problem}.`);
    return { name, requiresClientAuthorization: !anonymous };
  });
}

function parseGrace(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 0 && seconds <= 86_400)) throw new UsageError('--token-grace must be a number of seconds from 0 to 86400.');
  return Math.round(seconds * 1000);
}

function truthy(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}

/** The certificate: given files, or generated once and kept in the TLS folder; undefined with --no-tls. */
async function tlsIdentity(context: CommandContext, host: string, publicHost: string | undefined): Promise<TlsIdentity | undefined> {
  const env = context.env;
  if (context.options['no-tls'] === true || env.HCM_RELAY_TLS === '0' || env.HCM_RELAY_TLS?.toLowerCase() === 'false') return undefined;
  const hosts = ['localhost', '127.0.0.1', '::1'];
  for (const extra of [host, publicHost]) {
    if (extra !== undefined && extra !== '' && extra !== '0.0.0.0' && extra !== '::') hosts.push(extra.replace(/^\[|\]$/g, ''));
  }
  // node-forge loads only when a certificate is needed.
  const { loadOrCreateTlsIdentity } = await import('../../common/tls-certificate');
  try {
    return loadOrCreateTlsIdentity({
      dir: stringOption(context, 'tls-dir') ?? env.HCM_RELAY_TLS_DIR ?? path.join(context.home, 'tls'),
      name: 'hcm-relay-emulator',
      hosts,
      certFile: stringOption(context, 'tls-cert') ?? env.HCM_RELAY_TLS_CERT,
      keyFile: stringOption(context, 'tls-key') ?? env.HCM_RELAY_TLS_KEY,
    });
  } catch (error) {
    throw new UsageError(`TLS: ${(error as Error).message}`);
  }
}

async function createRelay(context: CommandContext): Promise<{ relay: RelayEmulator; identity: TlsIdentity | undefined }> {
  // The emulator (ws and a hundred modules) loads only when this command runs, not for every hcm call.
  const { RelayEmulator, parsePublicAddress } = await import('../../emulators/relay');
  const env = context.env;
  const list = context.options['hybrid-connection'];
  const host = stringOption(context, 'host') ?? env.HCM_RELAY_HOST ?? DEFAULT_RELAY_HOST;
  const publicAddress = stringOption(context, 'public-address') ?? env.HCM_RELAY_PUBLIC_ADDRESS;
  let publicHost: string | undefined;
  if (publicAddress !== undefined) {
    try {
      publicHost = parsePublicAddress(publicAddress).authority.replace(/:\d+$/, '');
    } catch (error) {
      throw new UsageError(`--public-address: ${(error as Error).message}`);
    }
  }
  // Every option is checked before a certificate is made, so a typo writes nothing.
  const settings = {
    host,
    port: parsePort(stringOption(context, 'port') ?? env.HCM_RELAY_PORT),
    hybridConnections: parseHybridConnections(Array.isArray(list) ? list : []),
    configFile: stringOption(context, 'config') ?? env.HCM_RELAY_CONFIG,
    responseTimeoutMs: parseTimeout(stringOption(context, 'response-timeout') ?? env.HCM_RELAY_RESPONSE_TIMEOUT),
    tokenGraceMs: parseGrace(stringOption(context, 'token-grace') ?? env.HCM_RELAY_TOKEN_GRACE),
    strict: context.options.strict === true || truthy(env.HCM_RELAY_STRICT),
    publicAddress,
  };
  try {
    if (settings.configFile !== undefined) loadRelayConfigFile(settings.configFile);
  } catch (error) {
    if (error instanceof RelayConfigError) throw new UsageError(error.message);
    throw error;
  }
  const identity = await tlsIdentity(context, host, publicHost);
  try {
    const relay = new RelayEmulator({
      ...settings,
      tls: identity ? { cert: identity.cert, key: identity.key } : undefined,
      logger: createLogger({ name: 'relay-emulator', toStderr: true }),
    });
    return { relay, identity };
  } catch (error) {
    if (error instanceof RelayConfigError || error instanceof UsageError) throw new UsageError(error.message);
    throw error;
  }
}

export const relayCommand: Command = {
  name: 'relay',
  summary: 'Run the local Azure Relay (Hybrid Connections) emulator.',
  help: HELP,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'hybrid-connection': { type: 'string', multiple: true },
    config: { type: 'string' },
    'response-timeout': { type: 'string' },
    'token-grace': { type: 'string' },
    strict: { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-dir': { type: 'string' },
    'no-tls': { type: 'boolean' },
    'public-address': { type: 'string' },
  },
  async run(context) {
    const { relay, identity } = await createRelay(context);
    await relay.start();
    const { host, port } = relay.address();
    const names = relay.hybridConnections().map((hc) => hc.name);
    for (const name of names) context.print(relay.connectionString(name));
    const shown = host.includes(':') ? `[${host}]` : host;
    if (identity) {
      context.printError(`Relay emulator listening on ${shown}:${port}: https:// and wss:// (TLS), http:// and ws:// (plain) on the one port (development keys; Ctrl+C stops).`);
      context.printError(`TLS certificate: ${identity.certPath} (SHA-256 ${identity.sha256Fingerprint}). Trust it, or give it to the product: hcm setup --relay-certificate ${identity.certPath}.`);
      context.printError('For plain ws:// and http:// append ;UseDevelopmentEmulator=true to a string.');
    } else {
      context.printError(`Relay emulator listening on ws://${shown}:${port} and http://${shown}:${port} (no TLS; development keys; Ctrl+C stops).`);
    }
    if (names.length === 0) {
      context.printError('No hybrid connections yet: add --hybrid-connection NAME, a --config file, or PUT /$management/hybridconnections/NAME.');
    }
    const signal = await untilSignal();
    context.printError(`Relay emulator stopping (${signal}).`);
    await relay.close();
    return EXIT_OK;
  },
};
