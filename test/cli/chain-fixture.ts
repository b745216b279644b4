/** A demo chain (relay, stand-in, connector, host) started before a suite's tests and stopped after them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { Chain, startChain } from '../../src/cli/demo-chain';
import { anyFreeLoopbackPort } from '../../src/config/names';

export function useChain(prefix: string, ready: (chain: Chain, home: string) => void): void {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let chain: Chain | undefined;
  before(async () => {
    // Ports no port-0 bind can take: tests stop and restart parts of the chain on the same port.
    const [relayPort, sqlPort] = [await anyFreeLoopbackPort(), await anyFreeLoopbackPort()];
    chain = await startChain({ home, relayPort, sqlPort, listenerPort: 0, connectorPort: 0, siteEnv: { HCM_LOG_LEVEL: 'silent' } });
    ready(chain, home);
  });
  after(async () => {
    await chain?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });
}
