/** Network checks: the relay endpoint resolves and answers on its port; the database host answers. */
import dns from 'node:dns/promises';
import net from 'node:net';
import { HybridConnectionString } from '../../config/connection-string';
import { SqlConnectorSettings } from '../../config/sql-settings';
import { CheckResult, fail, pass, withDeadline } from './check';

const CONNECT_TIMEOUT_MS = 5000;

export function tcpConnect(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs / 1000} s (a firewall dropping packets?)`)));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the name does not resolve';
  return (error as Error).message;
}

export async function checkRelayEndpoint(target: HybridConnectionString): Promise<CheckResult> {
  // An explicit Endpoint port counts (the emulator in either mode, a relay behind a front).
  const port = target.port ?? 443;
  const name = `relay endpoint ${target.namespace}:${port}`;
  const legacy = 'Only outbound TCP 443 is needed (9350–9354, used by the classic BizTalk Hybrid Connection Manager, are not).';
  try {
    const { address } = await withDeadline(dns.lookup(target.namespace), CONNECT_TIMEOUT_MS, 'DNS lookup');
    await tcpConnect(target.namespace, port);
    return pass(name, `${target.namespace} resolves to ${address} and accepts connections on ${port}.${target.emulator ? ' (local relay emulator)' : ` ${legacy}`}`);
  } catch (error) {
    const fix = target.emulator
      ? `Start the relay emulator ('hcm relay --port ${port}') or run 'hcm demo'.`
      : `Allow outbound TCP 443 to ${target.namespace} through firewalls and proxies, and check DNS. ${legacy}`;
    return fail(name, `${target.namespace}:${port}: ${errorText(error)}.`, fix);
  }
}

export async function checkDatabaseHost(site: string, settings: SqlConnectorSettings): Promise<CheckResult> {
  const name = `database host for ${site}`;
  if (settings.instance) {
    return pass(name, `${settings.server}\\${settings.instance}: a named instance; its port is found through SQL Browser (UDP 1434) at login.`);
  }
  const port = settings.port ?? 1433;
  try {
    await tcpConnect(settings.server, port);
    return pass(name, `${settings.server}:${port} accepts connections.`);
  } catch (error) {
    return fail(name, `${settings.server}:${port}: ${errorText(error)}.`, `Check that SQL Server runs on ${settings.server}, that TCP/IP is enabled on port ${port} (SQL Server Configuration Manager) and that the firewall allows it.`);
  }
}
