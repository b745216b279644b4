/** `hcm doctor`: the original troubleshooting checklist, automated where a program can check it. */
import { toHybridConnectionString } from '../../config/manifest';
import { manifestPath, readManifest } from '../../config/manifest-store';
import { Command, EXIT_FAILURE, EXIT_OK } from '../command';
import { CheckResult, fail, pass } from '../doctor/check';
import { checkDatabaseHost, checkRelayEndpoint } from '../doctor/network-checks';
import { checkRelayThroughProxy, proxyForRelay } from '../doctor/proxy-checks';
import type { HybridConnectionString } from '../../config/connection-string';
import type { ManifestProxy } from '../../config/manifest';
import { checkConnectorSite, checkHybridConnection, checkListener } from '../doctor/site-checks';
import { formatTable } from '../table';

export async function runDoctor(home: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  let manifest;
  try {
    manifest = readManifest(home);
  } catch (error) {
    return [fail('manifest', (error as Error).message, `Fix or remove ${manifestPath(home)}, then run 'hcm setup' again.`)];
  }
  if (manifest.connectors.length === 0) {
    return [fail('manifest', `${manifestPath(home)} has no connectors.`, "Run 'hcm setup --config-string-stdin' (or Install-HybridConnectionManager.ps1 on IIS).")];
  }
  const results: CheckResult[] = [pass('manifest', `${manifest.connectors.length} connector(s) in ${manifestPath(home)}.`)];
  const endpoints = new Map(manifest.connectors.map((c) => {
    const target = toHybridConnectionString(c.hybridConnection);
    return [`${target.namespace}:${target.port ?? 443}`, target];
  }));
  const relayChecks = await Promise.all([...endpoints.values()].map((target) => checkRelay(target, manifest.proxy, env)));
  results.push(...relayChecks.flat());
  // mssql takes most of a second to load: only the doctor needs it, so only the doctor loads it.
  const { checkDatabaseLogin } = await import('../doctor/database-checks');
  const listener = await checkListener(manifest);
  results.push(listener.result);
  for (const connector of manifest.connectors) {
    const [host, login, site] = await Promise.all([
      checkDatabaseHost(connector.site, connector.settings),
      checkDatabaseLogin(connector.site, connector.settings),
      checkConnectorSite(connector),
    ]);
    results.push(host, login, site, checkHybridConnection(connector, listener.states));
  }
  return results;
}

/** Direct, or through the proxy the listener would use (then: proxy, its authentication, the relay). */
async function checkRelay(target: HybridConnectionString, manifestProxy: ManifestProxy | undefined, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  let proxy;
  try {
    proxy = proxyForRelay(target, manifestProxy, env);
  } catch (error) {
    return [fail('proxy setting', (error as Error).message, "Fix it with 'hcm setup --proxy http://host:port' or correct HTTP_PROXY / HTTPS_PROXY.")];
  }
  return proxy ? checkRelayThroughProxy(target, proxy) : [await checkRelayEndpoint(target)];
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check an installation: relay reachable, database login, sites answering, connections up.',
  help: `Usage: hcm doctor [--json]

Runs the troubleshooting checklist against the installation in $HCM_HOME:
  - the manifest is readable and has connectors;
  - each relay endpoint resolves and accepts connections on 443 (the emulator: its port) — or, when
    relay connections go through a proxy (hcm setup --proxy, else HTTPS_PROXY / HTTP_PROXY of this
    shell unless NO_PROXY names the relay), a CONNECT tunnel to it opens, reported as three checks:
    the proxy, the proxy authentication, the relay;
  - the listener site answers on its port;
  - for each connector: its database host and port accept connections, its SQL login is accepted,
    its site answers (the root gives 403.14), and its hybrid connection is Connected.
Each failure says what to do. On IIS, Test-HybridConnectionManager.ps1 adds the Windows checks.

Options:
  --json       print [{"name","passed","detail","fix"}]
  --home DIR   the manifest folder (default: HCM_HOME)
  -h, --help   show this help

Exit codes: 0 when every check passes, else 1.`,
  options: { json: { type: 'boolean' } },
  async run(context) {
    const results = await runDoctor(context.home, context.env);
    if (context.options.json) context.print(JSON.stringify(results));
    else {
      context.print(formatTable(['CHECK', 'RESULT', 'DETAIL'], results.map((r) => [r.name, r.passed ? 'pass' : 'FAIL', r.detail])));
      const failures = results.filter((r) => !r.passed);
      if (failures.length > 0) {
        context.print('');
        context.print('What to do:');
        for (const failure of failures) context.print(`- ${failure.name}: ${failure.fix}`);
      }
    }
    return results.every((r) => r.passed) ? EXIT_OK : EXIT_FAILURE;
  },
};
