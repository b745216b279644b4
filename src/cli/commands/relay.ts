/** `hcm relay`: runs the local Azure Relay (Hybrid Connections) emulator until SIGINT/SIGTERM. */
import { createLogger } from '../../common/logger';
import type { RelayEmulator } from '../../emulators/relay';
import { DEFAULT_RELAY_HOST, DEFAULT_RELAY_PORT, DEV_PRIMARY_KEY, ROOT_RULE_NAME } from '../../emulators/relay/constants';
import { RelayConfigError } from '../../emulators/relay/config-file';
import { hybridConnectionNameProblem } from '../../emulators/relay/model';
import { Command, CommandContext, EXIT_OK, stringOption, UsageError } from '../command';
import { untilSignal } from '../signals';

const HELP = `Usage: hcm relay [--host 127.0.0.1] [--port 9351] [--hybrid-connection <name>[:anonymous]]...
                 [--config FILE] [--response-timeout SECONDS] [--strict]

Runs a local stand-in for an Azure Relay namespace's Hybrid Connections (like Azurite for Azure
Storage), so a listener (hyco-https, the product's listener site) and senders (HTTP, WebSocket)
work offline. On start it prints, alone on one line per hybrid connection, the configuration
string to give a listener or a sender:

  Endpoint=sb://127.0.0.1:<port>/;SharedAccessKeyName=${ROOT_RULE_NAME};SharedAccessKey=<key>;EntityPath=<name>;UseDevelopmentEmulator=true

then runs until Ctrl+C (SIGINT) or SIGTERM. The rule ${ROOT_RULE_NAME} (Manage, Listen, Send) has
well-known DEVELOPMENT-ONLY keys (primary ${DEV_PRIMARY_KEY});
they protect nothing, which is why the relay binds to 127.0.0.1 unless told otherwise.

Listeners:       ws://<host>:<port>/$hc/<name>?sb-hc-action=listen   (token: Listen right)
HTTP senders:    http://<host>:<port>/<name>/...                      (token: Send right, unless anonymous)
WebSocket senders: ws://<host>:<port>/$hc/<name>?sb-hc-action=connect
Management:      http://<host>:<port>/$management/hybridconnections   (token: Manage right)

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
  --strict                    send a sender's later requests over the response rendezvous, as Azure
                              documents (hyco-https listeners lose them). Default: each rendezvous is
                              closed after its response (env HCM_RELAY_STRICT=1)
  --home DIR                  ignored (accepted by every command)
  -h, --help                  show this help

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

async function createRelay(context: CommandContext): Promise<RelayEmulator> {
  // The emulator (ws and a hundred modules) loads only when this command runs, not for every hcm call.
  const { RelayEmulator } = await import('../../emulators/relay/relay-emulator');
  const env = context.env;
  const list = context.options['hybrid-connection'];
  try {
    return new RelayEmulator({
      host: stringOption(context, 'host') ?? env.HCM_RELAY_HOST ?? DEFAULT_RELAY_HOST,
      port: parsePort(stringOption(context, 'port') ?? env.HCM_RELAY_PORT),
      hybridConnections: parseHybridConnections(Array.isArray(list) ? list : []),
      configFile: stringOption(context, 'config') ?? env.HCM_RELAY_CONFIG,
      responseTimeoutMs: parseTimeout(stringOption(context, 'response-timeout') ?? env.HCM_RELAY_RESPONSE_TIMEOUT),
      strict: context.options.strict === true || env.HCM_RELAY_STRICT === '1' || env.HCM_RELAY_STRICT === 'true',
      logger: createLogger({ name: 'relay-emulator' }),
    });
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
    strict: { type: 'boolean' },
  },
  async run(context) {
    const relay = await createRelay(context);
    await relay.start();
    const { host, port } = relay.address();
    const names = relay.hybridConnections().map((hc) => hc.name);
    for (const name of names) context.print(relay.connectionString(name));
    context.printError(`Relay emulator listening on ws://${host}:${port} and http://${host}:${port} (development keys; Ctrl+C stops).`);
    if (names.length === 0) {
      context.printError('No hybrid connections yet: add --hybrid-connection NAME, a --config file, or PUT /$management/hybridconnections/NAME.');
    }
    const signal = await untilSignal();
    context.printError(`Relay emulator stopping (${signal}).`);
    await relay.close();
    return EXIT_OK;
  },
};
