/**
 * Property-based sweep (issue 16): malformed calls of every kind to every route of the SQL
 * connector, straight to the site and through the relay, on the whole demo chain (relay emulator,
 * SQL Server stand-in, listener and connector under the standalone host). Fixed seeds, 200 calls per
 * route and target. No answer may be a 500; a 503 or 504 only with a database or timeout code; a
 * connector error is always the catalogue's JSON.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { Chain, startChain } from '../../src/cli/demo-chain';
import { DEMO_HYBRID_CONNECTION } from '../../src/cli/demo-chain';
import { ERROR_CATALOGUE } from '../../src/common/errors';
import { RawRequest, RawResponse, Target, directTarget, inPool, relayTarget } from './chain-client';
import { ROUTES } from './malformed-input';

const RUNS_PER_ROUTE = 200;
const SEED = 16;
/** Codes that may come with 503/504: the database or a timeout, never our bug. */
const OUTAGE_CODES = new Set(['DatabaseUnavailable', 'QueryTimeout', 'ConnectorTimeout']);

/** What is wrong with an answer, or undefined. */
export function problemWith(response: RawResponse, request: RawRequest, direct: boolean): string | undefined {
  const code = response.json?.error?.code;
  if (response.status >= 500 && !((response.status === 503 || response.status === 504) && code !== undefined && OUTAGE_CODES.has(code))) {
    return `status ${response.status} ${code ?? response.text.slice(0, 120)}`;
  }
  // The connector's root is IIS's 403.14 page; HEAD has no body; anything else of ours is catalogue JSON.
  if (direct && response.status >= 400 && request.method !== 'HEAD' && !(response.status === 403 && request.path.split('?')[0] === '/')) {
    if (code === undefined || !(code in ERROR_CATALOGUE)) return `status ${response.status} without a catalogue code: ${response.text.slice(0, 120)}`;
  }
  return undefined;
}

describe('malformed input sweep (direct and through the relay)', { concurrency: true }, () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-sweep-'));
  let chain: Chain;
  const targets: Target[] = [];

  before(async () => {
    chain = await startChain({ home, relayPort: 0, sqlPort: 0, listenerPort: 0, connectorPort: 0, setupFlags: ['--allow-query'], siteEnv: { HCM_LOG_LEVEL: 'silent' } });
    targets.push(directTarget(chain.connector.port), relayTarget(chain.relay, DEMO_HYBRID_CONNECTION));
  });
  after(async () => {
    for (const target of targets) target.close();
    await chain?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const json = { 'content-type': 'application/json' };
  const gzip = zlib.gzipSync(Buffer.from(JSON.stringify({ Name: 'x', Email: 'x@example.com' })));
  /** The issue's cases: each answers the same, straight and through the relay. */
  const CASES: Array<[RawRequest, number, string, RegExp?]> = [
    [{ method: 'GET', path: '/tables/Orders/items/%C0%AF' }, 400, 'BadRequest'],
    [{ method: 'DELETE', path: '/tables/Orders/items/%C0%AF' }, 400, 'BadRequest'],
    [{ method: 'GET', path: '/tables/%C0%AE%C0%AE/items' }, 400, 'BadRequest'],
    [{ method: 'POST', path: '/tables/Customers/items', headers: { ...json, 'content-encoding': 'gzip' }, body: gzip.subarray(0, gzip.length - 10) }, 400, 'BadRequest'],
    [{ method: 'POST', path: '/procedures/dbo.GetCustomerOrders', headers: json, body: Buffer.from('{}') }, 400, 'BadRequest', /CustomerId/],
    [{ method: 'POST', path: '/procedures/dbo.GetCustomerOrders', headers: json, body: Buffer.from('[]') }, 400, 'BadRequest'],
    [{ method: 'POST', path: '/procedures/dbo.GetCustomerOrders' }, 400, 'BadRequest'],
    [{ method: 'POST', path: '/procedures/dbo.GetCustomerOrders', headers: { 'content-type': 'text/plain' }, body: Buffer.from('CustomerId=1') }, 400, 'BadRequest'],
    [{ method: 'POST', path: '/tables/Orders/select', headers: json, body: Buffer.from('{"whereClause":"OrderId = 1 -- x"}') }, 400, 'InvalidWhereClause'],
    [{ method: 'POST', path: '/tables/Orders/select', headers: json, body: Buffer.from('{"whereClause":"OrderId = 1;"}') }, 400, 'InvalidWhereClause'],
  ];

  for (const [index, targetName] of ['direct', 'through the relay'].entries()) {
    it(`answers the issue's bad inputs with their 4xx and catalogue code (${targetName})`, async () => {
      for (const [request, status, code, message] of CASES) {
        const response = await targets[index].send(request);
        assert.deepEqual([response.status, response.json?.error?.code], [status, code], `${request.method} ${request.path}: ${response.text}`);
        if (message) assert.match(response.json?.error?.message ?? '', message);
        assert.doesNotMatch(response.text, /%C0|decode param/);
      }
    });
  }

  for (const [index, targetName] of ['direct', 'through the relay'].entries()) {
    it(`never answers 500 to ${RUNS_PER_ROUTE} malformed calls per route (${targetName})`, async () => {
      const target = targets[index];
      const problems: string[] = [];
      let calls = 0;
      const statuses = new Map<number, number>();
      const timings: string[] = [];
      for (const [routeIndex, [route, arbitrary]] of Object.entries(ROUTES).entries()) {
        const requests = fc.sample(arbitrary, { seed: SEED + routeIndex, numRuns: RUNS_PER_ROUTE });
        const started = Date.now();
        await inPool(requests, 12, async (request) => {
          calls += 1;
          let response: RawResponse;
          try {
            response = await target.send(request);
          } catch (error) {
            problems.push(`${route}: ${request.method} ${request.path} → no answer (${(error as Error).message})`);
            return;
          }
          const problem = problemWith(response, request, index === 0);
          if (problem) problems.push(`${route}: ${request.method} ${request.path.slice(0, 120)} ${JSON.stringify(request.headers ?? {})} ${request.body?.subarray(0, 80).toString('utf8') ?? ''} → ${problem}`);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        });
        timings.push(`${route} ${Date.now() - started} ms`);
      }
      console.log(`# ${targetName}: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; ${timings.join(', ')}`);
      assert.equal(calls, RUNS_PER_ROUTE * Object.keys(ROUTES).length);
      assert.deepEqual(problems.slice(0, 10), [], `${problems.length} of ${calls} calls answered wrongly`);
    });
  }
});
