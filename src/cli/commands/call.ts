/** `hcm call`: the cloud side — signs a Send token and calls a hybrid connection through the relay. */
import { isHcmError } from '../../common/errors';
import { HybridConnectionString, parseConfigurationString } from '../../config/connection-string';
import { findConnector } from '../../config/connector-setup';
import { toHybridConnectionString } from '../../config/manifest';
import { readManifest } from '../../config/manifest-store';
import { describeRelayHttpError, relayHttpRequest } from '../../relay/relay-http';
import { readTrustedCertificates, relayCaFilesFromEnv, useRelayConnectionSettings } from '../../relay/relay-websocket-options';
import { createHybridConnectionToken, httpUri } from '../../relay/uris';
import { Command, CommandContext, EXIT_FAILURE, EXIT_OK, integerOption, stringOption, UsageError } from '../command';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export const callCommand: Command = {
  name: 'call',
  summary: 'Call a hybrid connection through the relay, as a cloud application would.',
  help: `Usage: hcm call <entity path> <METHOD> <path> [--data JSON] [--connection-string S] [--timeout SECONDS]

The cloud side of the product: signs a SAS token with Send rights and sends one HTTP request
through the relay (Azure, or the local emulator) to the hybrid connection, then prints the status
line and the body. Example:
  hcm call sql-orders GET '/tables/Orders/items?$top=5'

The connection string (with Send rights) comes from --connection-string, else the environment
variable HCM_SEND_CONNECTION_STRING, else — for a connector set up against the local emulator —
the manifest. A namespace-level string (no EntityPath) is fine: the entity path argument names the
hybrid connection.

Over https:// the relay's certificate must be trusted: the system's trust, plus --relay-certificate
FILE, HCM_RELAY_CA_FILE, or the certificate the connector was set up with (hcm setup
--relay-certificate) — the relay emulator's in TLS mode.

Options:
  --data JSON             request body, sent as application/json (must be valid JSON)
  --connection-string S   a connection string with Send rights
  --relay-certificate FILE  a PEM certificate to trust for the relay (the emulator's)
  --timeout SECONDS       give up after this long (default 70; the relay itself answers 504 after 60)
  --home DIR              the manifest folder (default: HCM_HOME)
  -h, --help              show this help

Exit codes: 0 a 2xx answer, 1 any other answer or no answer, 2 bad input.`,
  options: { data: { type: 'string' }, 'connection-string': { type: 'string' }, timeout: { type: 'string' }, 'relay-certificate': { type: 'string' } },
  maxPositionals: 3,
  async run(context) {
    const [entityPath, methodText, path] = context.positionals;
    if (path === undefined) throw new UsageError("Give the entity path, the method and the path, e.g. hcm call sql-orders GET '/tables'.");
    const method = methodText.toUpperCase();
    if (!METHODS.includes(method)) throw new UsageError(`Method must be one of ${METHODS.join(', ')}.`);
    if (!path.startsWith('/')) throw new UsageError(`The path must start with "/" (got a path starting with '${path.slice(0, 1)}').`);
    const data = stringOption(context, 'data');
    if (data !== undefined) {
      try {
        JSON.parse(data);
      } catch (error) {
        throw new UsageError(`--data is not valid JSON: ${(error as Error).message}`);
      }
    }
    const timeoutMs = (integerOption(context, 'timeout', 1, 3600) ?? 70) * 1000;
    const { target, trusted } = resolveTarget(context, entityPath);
    useRelayConnectionSettings({ trustedCertificates: trusted });
    const token = createHybridConnectionToken(target, target.keyName!, target.key!, { lifetimeSeconds: 300 });
    const url = httpUri(target, path);
    try {
      const answer = await relayHttpRequest(url, {
        method,
        headers: { ServiceBusAuthorization: token, ...(data !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: data,
        timeoutMs,
      });
      context.print(`HTTP ${answer.status}`);
      const type = answer.headers['content-type'];
      if (answer.body !== '') context.print(prettyBody(answer.body, typeof type === 'string' ? type : null));
      return answer.status >= 200 && answer.status < 300 ? EXIT_OK : EXIT_FAILURE;
    } catch (error) {
      context.printError(`hcm call: no answer from ${url.split('?')[0]}: ${describeRelayHttpError(error)}`);
      return EXIT_FAILURE;
    }
  },
};

function prettyBody(body: string, type: string | null): string {
  if (!type?.includes('json')) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function parseSendString(text: string, entityPath: string, source: string): HybridConnectionString {
  const withEntity = /(^|;)\s*entitypath\s*=/i.test(text) ? text : `${text.replace(/;\s*$/, '')};EntityPath=${entityPath}`;
  let parsed: HybridConnectionString;
  try {
    parsed = parseConfigurationString(withEntity);
  } catch (error) {
    throw new UsageError(`${source}: ${isHcmError(error) ? error.message : String(error)}`);
  }
  if (parsed.entityPath.toLowerCase() !== entityPath.toLowerCase()) {
    throw new UsageError(`${source} is for hybrid connection '${parsed.entityPath}', not '${entityPath}'.`);
  }
  if (parsed.sharedAccessSignature !== undefined) throw new UsageError(`${source}: hcm call needs SharedAccessKeyName and SharedAccessKey to sign a token.`);
  return parsed;
}

/** The certificates to trust: --relay-certificate, HCM_RELAY_CA_FILE, and the connector's own. */
function trustedCertificates(context: CommandContext, connectorCertificate: string | undefined): string[] {
  const option = stringOption(context, 'relay-certificate')?.trim();
  const files = [...(option ? [option] : []), ...relayCaFilesFromEnv(context.env)];
  let certificates: string[];
  try {
    certificates = readTrustedCertificates(files);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return connectorCertificate === undefined ? certificates : [...certificates, connectorCertificate];
}

function resolveTarget(context: CommandContext, entityPath: string): { target: HybridConnectionString; trusted: string[] } {
  const given = stringOption(context, 'connection-string');
  const fromEnv = context.env.HCM_SEND_CONNECTION_STRING;
  const connector = given === undefined && !fromEnv ? findConnector(readManifest(context.home), entityPath) : undefined;
  const trusted = trustedCertificates(context, connector?.hybridConnection.trustedCertificate);
  if (given !== undefined) return { target: parseSendString(given, entityPath, '--connection-string'), trusted };
  if (fromEnv) return { target: parseSendString(fromEnv, entityPath, 'HCM_SEND_CONNECTION_STRING'), trusted };
  // The emulator's strings carry its root key, which may send: plain mode, or TLS mode with its certificate.
  const local = connector && (connector.hybridConnection.emulator || connector.hybridConnection.trustedCertificate !== undefined);
  if (local && connector.hybridConnection.key !== undefined) {
    return { target: toHybridConnectionString(connector.hybridConnection), trusted };
  }
  throw new UsageError(
    connector
      ? `The manifest's string for '${entityPath}' is a listener's (Azure); give a Send connection string with --connection-string or HCM_SEND_CONNECTION_STRING.`
      : `No connector for '${entityPath}' in ${context.home}; give a Send connection string with --connection-string or HCM_SEND_CONNECTION_STRING.`,
  );
}
