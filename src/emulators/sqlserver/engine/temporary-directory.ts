/**
 * The private folder an in-memory stand-in keeps its SQLite file in. A stand-in that is killed
 * (SIGKILL, a crashed test run) cannot delete its folder, so each folder records its owner's pid
 * and the first stand-in a process starts removes the folders of owners that are gone (once per
 * process: a test run starts many stand-ins). Folders without a pid file, or of a live process, are
 * never touched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processExists } from '../../../common/process-exists';

const PREFIX = 'hcm-sqlserver-';
const OWNER_FILE = 'owner.pid';

/** Removes folders left by stand-ins that were killed; never fails the caller. */
export function removeAbandonedFolders(parent = os.tmpdir()): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const folder = path.join(parent, name);
    try {
      const pid = Number(fs.readFileSync(path.join(folder, OWNER_FILE), 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processExists(pid)) fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // No pid file (not ours to judge) or already gone.
    }
  }
}

const swept = new Set<string>();

/** A new private folder owned by this process. */
export function createOwnedFolder(parent = os.tmpdir()): string {
  if (!swept.has(parent)) removeAbandonedFolders(parent);
  swept.add(parent);
  const folder = fs.mkdtempSync(path.join(parent, PREFIX));
  fs.writeFileSync(path.join(folder, OWNER_FILE), String(process.pid));
  return folder;
}
