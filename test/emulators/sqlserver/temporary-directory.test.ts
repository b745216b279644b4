/** The stand-in's private folders: a killed stand-in's folder is removed by the next one to start. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { createOwnedFolder } from '../../../src/emulators/sqlserver/engine/temporary-directory';

const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hcmt-owned-'));
after(() => fs.rmSync(parent, { recursive: true, force: true }));

function folderOwnedBy(name: string, pid: number | undefined): string {
  const folder = path.join(parent, name);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'standin.sqlite'), 'data');
  if (pid !== undefined) fs.writeFileSync(path.join(folder, 'owner.pid'), String(pid));
  return folder;
}

it('removes the folder of a stand-in whose process is gone, and keeps live owners\' and unmarked folders', () => {
  const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(exited.stdout);
  assert.ok(deadPid > 0, 'a finished process gave its pid');
  const abandoned = folderOwnedBy('hcm-sqlserver-dead', deadPid);
  const live = folderOwnedBy('hcm-sqlserver-live', process.ppid);
  const unmarked = folderOwnedBy('hcm-sqlserver-unmarked', undefined);
  const unrelated = folderOwnedBy('other-dead', deadPid);

  const created = createOwnedFolder(parent);

  assert.equal(fs.existsSync(abandoned), false, 'the dead owner\'s folder is gone');
  for (const kept of [live, unmarked, unrelated]) assert.equal(fs.existsSync(kept), true, `${path.basename(kept)} is kept`);
  assert.match(path.basename(created), /^hcm-sqlserver-/);
  assert.equal(fs.readFileSync(path.join(created, 'owner.pid'), 'utf8'), String(process.pid));
});
