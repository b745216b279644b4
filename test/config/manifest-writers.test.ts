import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readManifest } from '../../src/config/manifest-store';

const WRITERS = 3;
const ADDS_PER_WRITER = 8;

/** A child process that adds connectors one by one through updateManifest. */
const WRITER_SCRIPT = `
const { updateManifest } = require(${JSON.stringify(path.join(__dirname, '../../src/config/manifest-store.js'))});
const { connectorNames, nextConnectorNumber, nextConnectorPort } = require(${JSON.stringify(path.join(__dirname, '../../src/config/names.js'))});
const [home, writer, count] = process.argv.slice(1);
(async () => {
  for (let i = 0; i < Number(count); i++) {
    await updateManifest(home, async (m) => {
      const names = connectorNames(nextConnectorNumber(m));
      m.connectors.push({ ...names, port: await nextConnectorPort(m), kind: 'sql',
        hybridConnection: { endpoint: 'sb://contoso.servicebus.windows.net/', entityPath: 'w' + writer + '-' + i,
          keyName: 'listen', key: 'k', emulator: false }, settings: { server: 'db' } });
      return m;
    });
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('two or more writers', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-writers-'));
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('never corrupt the manifest nor lose an update', async () => {
    const exits = await Promise.all(
      Array.from({ length: WRITERS }, (_unused, writer) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['-e', WRITER_SCRIPT, home, String(writer), String(ADDS_PER_WRITER)], { stdio: 'inherit' });
          child.on('exit', resolve);
        }),
      ),
    );
    assert.deepEqual(exits, Array(WRITERS).fill(0));
    const manifest = readManifest(home);
    assert.equal(manifest.connectors.length, WRITERS * ADDS_PER_WRITER);
    assert.equal(new Set(manifest.connectors.map((c) => c.site)).size, WRITERS * ADDS_PER_WRITER);
    assert.equal(new Set(manifest.connectors.map((c) => c.port)).size, WRITERS * ADDS_PER_WRITER);
    assert.deepEqual(fs.readdirSync(home), ['hcm.json']);
  });
});
