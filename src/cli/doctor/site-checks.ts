/** Site checks: the listener answers /status, each connector's root gives 403.14, each hybrid connection is Connected. */
import { ConnectorEntry, Manifest } from '../../config/manifest';
import { getJson, httpRequest, describeFetchError } from '../http-get';
import { CheckResult, fail, pass } from './check';

export interface ListenerHybridConnection {
  name: string;
  connector: string;
  state: string;
  lastError?: string | null;
}

const START_FIX = "Start the sites: 'hcm start' (standalone) or, under IIS, Start-WebAppPool and Start-Website (or run Test-HybridConnectionManager.ps1).";

export async function checkListener(manifest: Manifest): Promise<{ result: CheckResult; states?: ListenerHybridConnection[] }> {
  const { site, port } = manifest.listener;
  const answer = await getJson<{ hybridConnections: ListenerHybridConnection[] }>(`http://127.0.0.1:${port}/status`);
  if (!answer.value) return { result: fail(`site ${site}`, `http://127.0.0.1:${port}/status: ${answer.problem}.`, START_FIX) };
  return { result: pass(`site ${site}`, `Answers on port ${port}.`), states: answer.value.hybridConnections };
}

export async function checkConnectorSite(connector: ConnectorEntry): Promise<CheckResult> {
  const name = `site ${connector.site}`;
  try {
    const answer = await httpRequest(`http://127.0.0.1:${connector.port}/`, { timeoutMs: 3000 });
    if (answer.status === 403 && answer.body.includes('403.14')) return pass(name, `Port ${connector.port}: its root answers 403.14, as it should.`);
    return fail(name, `Port ${connector.port}: the root answered ${answer.status}, not 403.14: something else holds the port?`, `Check which program listens on port ${connector.port}, then restart ${connector.site}.`);
  } catch (error) {
    return fail(name, `Port ${connector.port}: ${describeFetchError(error)}.`, START_FIX);
  }
}

const STATE_FIXES: Record<string, string> = {
  Failed: 'The relay refused the listener: check the configuration string (key regenerated? then run hcm setup with the other key) and that the hybrid connection exists in the namespace.',
  Reconnecting: 'The listener cannot hold its relay connection: check outbound TCP 443 to the namespace (firewall, proxy) and the listener log.',
  Connecting: 'The listener is still connecting; run the doctor again in a few seconds.',
};

export function checkHybridConnection(connector: ConnectorEntry, states: ListenerHybridConnection[] | undefined): CheckResult {
  const name = `hybrid connection ${connector.hybridConnection.entityPath}`;
  if (!states) return fail(name, 'Unknown: the listener site does not answer.', START_FIX);
  const state = states.find((hc) => hc.connector === connector.site);
  if (!state) return fail(name, `The listener has no relay connection for ${connector.site} yet.`, 'Wait 2 s for the listener to read the manifest, or restart the listener site.');
  if (state.state === 'Connected') return pass(name, 'Connected to the relay.');
  return fail(name, `${state.state}${state.lastError ? `: ${state.lastError}` : ''}`, STATE_FIXES[state.state] ?? 'See the listener log.');
}
