/**
 * The fault suite (issue 16): the demo chain under load while one part is killed — the SQL Server
 * stand-in, the relay emulator, the connector site — checking the answers (never a 500; 503 with a
 * database code, 502 for the connector), the recovery bounds with a 2× margin (SQL Server gone →
 * 503 within 2 s, back → served within 10 s; relay back → listener Connected within 10 s) and that
 * nothing acknowledged is lost or stored twice. Long relay outages are simulated through the
 * listener's injectable schedule in test/relay/relay-listener.test.ts; here outages are short.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { Chain, DEMO_HYBRID_CONNECTION, startChain } from '../../src/cli/demo-chain';
import { getJson } from '../../src/cli/http-get';
import { anyFreeLoopbackPort } from '../../src/config/names';
import { DEMO_DATABASE, DEMO_LOGIN } from '../../src/emulators/sqlserver';
import { RawRequest, Target, directTarget, relayTarget } from './chain-client';
import { Load, Outcome, summary } from './load';

const MARGIN = 2;
const SQL_GONE_503_MS = 2_000;
const SQL_BACK_MS = 10_000;
const RELAY_BACK_CONNECTED_MS = 10_000;
const SITE_BACK_MS = 10_000;

const read = (): RawRequest => ({ method: 'GET', path: '/tables/Orders/items?$top=5' });
const write = (key: string): RawRequest => ({
  method: 'POST',
  path: '/tables/Customers/items',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ Name: key, Email: `${key}@faults.example`, City: 'Faultville' })),
});

describe('faults under load: SQL Server, relay and connector killed', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-faults-'));
  const run = `f${process.pid}`;
  let chain: Chain;
  let direct: Target;
  let relayed: Target;

  before(async () => {
    // HCM_FAULTS_LOG=1 shows the sites' errors (the log has the cause of any 500).
    const debug = process.env.HCM_FAULTS_LOG === '1';
    chain = await startChain({
      // The relay and the stand-in restart on their ports: ports no port-0 bind can take meanwhile.
      home, relayPort: await anyFreeLoopbackPort(), sqlPort: await anyFreeLoopbackPort(), listenerPort: 0, connectorPort: 0,
      siteEnv: { HCM_LOG_LEVEL: debug ? 'error' : 'silent' }, onSiteLine: debug ? (line) => console.log(`# ${line}`) : undefined,
    });
    direct = directTarget(chain.connector.port);
    relayed = relayTarget(chain.relay, DEMO_HYBRID_CONNECTION);
  });
  after(async () => {
    direct?.close();
    relayed?.close();
    await chain?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** Every acknowledged write is stored exactly once (read straight from the stand-in). */
  async function assertNothingLost(load: Load): Promise<void> {
    const acknowledged = load.acknowledgedWrites();
    assert.ok(acknowledged.length > 0, 'some writes were acknowledged');
    const pool = new sql.ConnectionPool({
      server: '127.0.0.1', port: chain.sql.address().port, database: DEMO_DATABASE, user: DEMO_LOGIN.user, password: DEMO_LOGIN.password,
      options: { encrypt: false, trustServerCertificate: true },
    });
    pool.on('error', () => undefined);
    try {
      await pool.connect();
      const request = pool.request();
      request.input('prefix', sql.NVarChar, `${load.runId}-%`);
      const rows = (await request.query<{ Name: string }>('SELECT Name FROM dbo.Customers WHERE Name LIKE @prefix')).recordset;
      const stored = new Map<string, number>();
      for (const row of rows) stored.set(row.Name, (stored.get(row.Name) ?? 0) + 1);
      const lost = acknowledged.filter((key) => !stored.has(key));
      const twice = [...stored].filter(([, n]) => n > 1).map(([key]) => key);
      assert.deepEqual({ lost, twice }, { lost: [], twice: [] }, `${acknowledged.length} acknowledged, ${rows.length} stored`);
    } finally {
      await pool.close();
    }
  }

  function assertAnswers(outcomes: Outcome[], allowed: (o: Outcome) => boolean): void {
    const wrong = outcomes.filter((o) => !o.error && !allowed(o));
    assert.deepEqual(wrong.slice(0, 5), [], `answers: ${summary(outcomes)}`);
    assert.ok(!outcomes.some((o) => o.status === 500), `a 500 among: ${summary(outcomes)}`);
  }

  const listenerState = async () =>
    (await getJson<{ hybridConnections: Array<{ connector: string; state: string }> }>(`http://127.0.0.1:${chain.manifest.listener.port}/status`)).value?.hybridConnections.find(
      (hc) => hc.connector === chain.connector.site,
    )?.state;

  async function waitForState(what: string, match: (state: string | undefined) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!match(await listenerState())) {
      if (Date.now() > deadline) assert.fail(`Not within ${timeoutMs} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(`SQL Server killed under load: 503 within ${SQL_GONE_503_MS} ms (never 500), served within ${SQL_BACK_MS} ms of its return, nothing acknowledged lost`, async () => {
    const load = new Load(direct, { read, write }, `${run}-sql`);
    try {
      await load.until('service before the kill', 0, (o) => o.status === 201, 15_000);
      const killedAt = load.now();
      await chain.sql.close();
      const first503 = await load.until('a 503 after the kill', killedAt, (o) => o.status === 503, SQL_GONE_503_MS * MARGIN);
      const ready = await direct.send({ method: 'GET', path: '/health/ready' });
      assert.deepEqual([ready.status, ready.json?.status, ready.json?.error?.code], [503, 'unavailable', 'DatabaseUnavailable'], ready.text);
      // Calls keep arriving while it is down (waiters on the broken pool included).
      await load.until('30 answers during the outage', first503.at, () => load.outcomes.filter((o) => o.at >= first503.at).length >= 30, 10_000);
      const backAt = load.now();
      await chain.sql.start();
      const served = await load.until('a write served after the return', backAt, (o) => o.status === 201, SQL_BACK_MS * MARGIN);
      await load.until('20 more answers', served.at, () => load.outcomes.filter((o) => o.at >= served.at).length >= 20, 10_000);
      const outcomes = await load.stop();
      console.log(`# SQL Server outage: first 503 ${first503.at - killedAt} ms after the kill; served ${served.at - backAt} ms after the return; ${summary(outcomes)}`);
      assertAnswers(outcomes, (o) => o.status === 200 || o.status === 201 || (o.status === 503 && o.code === 'DatabaseUnavailable' && Number(o.retryAfter) > 0));
      await assertNothingLost(load);
    } finally {
      await load.stop();
      if (chain.sql.status !== 'Running') await chain.sql.start();
    }
  });

  it(`relay killed under load: the listener is Connected within ${RELAY_BACK_CONNECTED_MS} ms of its return, calls served again, nothing acknowledged lost`, async () => {
    const load = new Load(relayed, { read, write }, `${run}-relay`);
    try {
      await load.until('service before the kill', 0, (o) => o.status === 201, 15_000);
      await chain.relay.close();
      await waitForState('the listener to notice the relay is gone', (state) => state !== 'Connected', 10_000);
      await chain.relay.start();
      const backAt = load.now();
      await waitForState('the listener Connected again', (state) => state === 'Connected', RELAY_BACK_CONNECTED_MS * MARGIN);
      const connectedAt = load.now();
      const served = await load.until('a write served through the relay again', backAt, (o) => o.status === 201, RELAY_BACK_CONNECTED_MS * MARGIN);
      const outcomes = await load.stop();
      console.log(`# relay outage: listener Connected ${connectedAt - backAt} ms after the relay's return; served ${served.at - backAt} ms after; ${summary(outcomes)}`);
      // While the relay is gone the sender cannot connect (no answer at all); while it stops (503) and until the
      // listener is back (502, 404) the relay answers itself, in its own format — never a 5xx of ours.
      assertAnswers(outcomes, (o) => o.status === 200 || o.status === 201 || ([404, 502, 503].includes(o.status) && o.code === undefined));
      await assertNothingLost(load);
    } finally {
      await load.stop();
      if (chain.relay.status !== 'Running') await chain.relay.start();
    }
  });

  it(`connector site killed under load: 502 meanwhile (never 500), served within ${SITE_BACK_MS} ms of its restart, nothing acknowledged lost`, async () => {
    const load = new Load(relayed, { read, write }, `${run}-site`);
    try {
      await load.until('service before the kill', 0, (o) => o.status === 201, 15_000);
      const site = chain.host.site(chain.connector.site)!;
      const pid = site.pid!;
      const killedAt = load.now();
      process.kill(pid, 'SIGKILL');
      const first502 = await load.until('a 502 once the site is gone', killedAt, (o) => o.status === 502, SITE_BACK_MS * MARGIN);
      const served = await load.until('a write served by the restarted site', first502.at, (o) => o.status === 201, SITE_BACK_MS * MARGIN);
      assert.ok(site.pid !== undefined && site.pid !== pid, 'a new process serves');
      const outcomes = await load.stop();
      console.log(`# connector killed: served again ${served.at - killedAt} ms after the kill (restarts ${site.restarts}); ${summary(outcomes)}`);
      assertAnswers(outcomes, (o) => o.status === 200 || o.status === 201 || (o.status === 502 && o.code === 'ConnectorUnreachable') || (o.status === 503 && o.code === 'DatabaseUnavailable'));
      await assertNothingLost(load);
    } finally {
      await load.stop();
    }
  });
});
