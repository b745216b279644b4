/**
 * docs/metrics.md lists every metric the sites export, with exactly its labels (like the error
 * catalogue's test): a metric added in the code and not in the document, or the reverse, fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConnectorMetrics } from '../../src/connectors/sql/http/metrics';
import { ListenerMetrics } from '../../src/listener/listener-metrics';

const DOC = path.resolve(__dirname, '..', '..', '..', 'docs', 'metrics.md');

/** `| \`name\` | type | \`a\`, \`b\` | … |` rows of the document. */
function documented(): Map<string, { type: string; labels: string[] }> {
  const rows = fs.readFileSync(DOC, 'utf8').matchAll(/^\| `(hcm_[a-z_]+)` \| (\w+) \| ([^|]*) \|/gm);
  return new Map([...rows].map((m) => [m[1], { type: m[2], labels: [...m[3].matchAll(/`([a-z_]+)`/g)].map((l) => l[1]).sort() }]));
}

describe('docs/metrics.md', () => {
  it('lists every hcm_ metric of the listener and the connector with its type and labels', () => {
    const listener = new ListenerMetrics({ siteName: 'S', status: () => [] });
    const connector = new ConnectorMetrics('S', () => ({ size: 0, inUse: 0, waiters: 0 }));
    const inCode = new Map(
      [...listener.registry.getMetricsAsArray(), ...connector.registry.getMetricsAsArray()].map((metric) => {
        const m = metric as unknown as { name: string; type: string; labelNames: string[] };
        return [m.name, { type: String(m.type), labels: ['site', ...m.labelNames].sort() }];
      }),
    );
    assert.deepEqual(Object.fromEntries(documented()), Object.fromEntries(inCode));
    for (const name of inCode.keys()) assert.match(name, /^hcm_[a-z_]+(_total|_seconds|_bytes|_size|_in_use|_waiters|_state|_in_flight|_listeners)$/);
  });
});
