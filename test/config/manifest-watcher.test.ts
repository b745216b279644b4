import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Manifest } from '../../src/config/manifest';
import { manifestPath, writeManifest } from '../../src/config/manifest-store';
import { watchManifest } from '../../src/config/manifest-watcher';
import { sampleManifest } from './manifest-fixtures';

function nextEvent<T>(register: (resolve: (value: T) => void) => void, what: string): Promise<T> {
  // A generous deadline: it only stops a broken test from hanging, it asserts no speed.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('watchManifest', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-watch-'));
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('calls back with the new manifest after another writer replaces it', async () => {
    writeManifest(home, sampleManifest());
    let onChange: (m: Manifest) => void = () => undefined;
    const watcher = watchManifest(home, (m) => onChange(m), { intervalMs: 50 });
    try {
      const changed = nextEvent<Manifest>((resolve) => (onChange = resolve), 'change');
      const next = sampleManifest();
      next.connectors[0].settings.pageSize = 17;
      writeManifest(home, next);
      assert.equal((await changed).connectors[0].settings.pageSize, 17);
    } finally {
      watcher.close();
    }
  });

  it('reports an invalid file as an error and keeps quiet otherwise', async () => {
    writeManifest(home, sampleManifest());
    let onError: (e: Error) => void = () => undefined;
    const changes: Manifest[] = [];
    const watcher = watchManifest(home, (m) => changes.push(m), { intervalMs: 50, onError: (e) => onError(e) });
    try {
      const failed = nextEvent<Error>((resolve) => (onError = resolve), 'error');
      fs.writeFileSync(manifestPath(home), '{ broken');
      assert.match((await failed).message, /not valid JSON/);
      assert.equal(changes.length, 0);
    } finally {
      watcher.close();
    }
  });
});
