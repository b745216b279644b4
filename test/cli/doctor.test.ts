import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Chain, waitUntilServing } from '../../src/cli/demo-chain';
import { useChain } from './chain-fixture';
import { waitFor } from '../../src/cli/progress';
import { readManifest, updateManifest } from '../../src/config/manifest-store';
import { runHcm } from './run-hcm';

interface Check {
  name: string;
  passed: boolean;
  detail: string;
  fix: string;
}

async function doctor(home: string): Promise<{ code: number; checks: Check[] }> {
  const run = await runHcm(['doctor', '--home', home, '--json']);
  return { code: run.code, checks: JSON.parse(run.stdout) as Check[] };
}

function failed(checks: Check[]): string[] {
  return checks.filter((c) => !c.passed).map((c) => c.name).sort();
}

describe('hcm doctor', () => {
  let chain: Chain;
  let home: string;
  useChain('hcm-doctor-', (started, folder) => {
    chain = started;
    home = folder;
  });

  it('passes every check on a healthy demo installation', async () => {
    const { code, checks } = await doctor(home);
    assert.deepEqual(failed(checks), [], JSON.stringify(checks, null, 2));
    assert.equal(code, 0);
    const names = checks.map((c) => c.name);
    for (const expected of ['manifest', 'site MicrosoftAzureBizTalkHybridListener', 'database login for MicrosoftSqlConnector_001', 'site MicrosoftSqlConnector_001', 'hybrid connection sql-orders']) {
      assert.ok(names.includes(expected), `${expected} is missing from ${names.join(', ')}`);
    }
    assert.ok(names.some((n) => n.startsWith('relay endpoint 127.0.0.1:')));
  });

  it('names the login as the failure when the password is wrong', async () => {
    const good = readManifest(home).connectors[0].settings.password;
    await updateManifest(home, (m) => { m.connectors[0].settings.password = 'wrong-password'; return m; });
    try {
      const { code, checks } = await doctor(home);
      assert.equal(code, 1);
      assert.deepEqual(failed(checks), ['database login for MicrosoftSqlConnector_001']);
      const login = checks.find((c) => c.name === 'database login for MicrosoftSqlConnector_001')!;
      assert.match(login.detail, /18456/);
      assert.match(login.fix, /login or password is wrong/);
      assert.ok(!JSON.stringify(checks).includes('wrong-password'), 'the doctor echoed the password');
    } finally {
      await updateManifest(home, (m) => { m.connectors[0].settings.password = good; return m; });
    }
  });

  it('names the database host and login when the database is stopped', async () => {
    await chain.sql.close();
    try {
      const { code, checks } = await doctor(home);
      assert.equal(code, 1);
      assert.deepEqual(failed(checks), ['database host for MicrosoftSqlConnector_001', 'database login for MicrosoftSqlConnector_001']);
      assert.match(checks.find((c) => c.name.startsWith('database host'))!.detail, /connection refused/);
    } finally {
      await chain.sql.start();
    }
  });

  it('names the relay endpoint and the hybrid connection when the relay is down', async () => {
    await chain.relay.close();
    try {
      await waitFor('the listener to notice', async () => {
        const { checks } = await doctor(home);
        return checks.find((c) => c.name === 'hybrid connection sql-orders')?.passed === false ? true : undefined;
      }, 20_000, 300);
      const { code, checks } = await doctor(home);
      assert.equal(code, 1);
      const names = failed(checks);
      assert.ok(names.some((n) => n.startsWith('relay endpoint 127.0.0.1:')), names.join(', '));
      assert.ok(names.includes('hybrid connection sql-orders'), names.join(', '));
      assert.match(checks.find((c) => c.name === 'hybrid connection sql-orders')!.detail, /Reconnecting|Connecting|Failed/);
    } finally {
      await chain.relay.start();
      await waitUntilServing(chain.manifest, chain.connector);
    }
  });

  it('says what to do when nothing is installed', async () => {
    const { code, checks } = await doctor(path.join(home, 'empty'));
    assert.equal(code, 1);
    assert.equal(checks[0].name, 'manifest');
    assert.match(checks[0].fix, /hcm setup/);
  });
});
