import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport } from './bench/report';
import { runBenchmarks } from './bench/run';
import { SMOKE } from './bench/scenarios';

// The benchmark with tiny counts, so its code cannot rot. It asserts the shape and that every
// figure was measured, never a speed: speed is for `npm run bench`.
describe('npm run bench, smoke version', () => {
  it('measures every pair and prints every figure with its ratio', { timeout: 180_000 }, async () => {
    const report = await runBenchmarks(SMOKE);
    for (const section of [report.relay, report.echo]) {
      for (const c of ['c1', 'c32'] as const) {
        const { direct, relayed, rpsRatio } = section[c];
        assert.ok(direct.rps > 0 && relayed.rps > 0, JSON.stringify(section[c]));
        assert.equal(relayed.errors, 0, `relayed calls failed: ${JSON.stringify(relayed)}`);
        assert.equal(direct.errors, 0);
        assert.ok(relayed.p99 >= relayed.p50);
        assert.equal(rpsRatio, Math.round((relayed.rps / direct.rps) * 1000) / 1000);
      }
    }
    for (const large of [report.large.rows10k, report.large.rows100k]) {
      assert.ok(large.seconds > 0 && large.mbPerSecond > 0, JSON.stringify(large));
      assert.ok(large.listenerRssMb > 0 && large.connectorRssMb > 0, JSON.stringify(large));
    }
    assert.equal(report.large.rows100k.rows, SMOKE.largeRows[1]);
    assert.ok(typeof report.large.rssRatio === 'number' && report.large.rssRatio > 0);
    assert.ok(report.driver.c1.rps > 0 && report.driver.c32.rps > 0);
    const table = formatReport(report);
    assert.match(table, /relay c32\s+relayed .* ratio \d\.\d{3}/);
    assert.match(table, /goal: relayed\/direct ≥ 0\.6 at concurrency 32/);
    assert.match(table, /median of 1/);
  });
});
