/**
 * Reading and writing $HCM_HOME/hcm.json. Writes are atomic (write a temporary file, fsync,
 * rename), so a crash never leaves half a file; read-modify-write goes through a lock file so two
 * writers never lose each other's changes. Outside Windows the folder is 0700 and files 0600.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Manifest, emptyManifest, validateManifest } from './manifest';
import { canonicalJson } from './validation';
import { processExists } from '../common/process-exists';

export const MANIFEST_FILE = 'hcm.json';
const LOCK_TIMEOUT_MS = 10_000;
const STALE_LOCK_MS = 30_000;

/** HCM_HOME, else %ProgramData%\HybridConnectionManager on Windows, else ~/.hcm. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HCM_HOME) return path.resolve(env.HCM_HOME);
  if (process.platform === 'win32') return path.join(env.ProgramData ?? 'C:\\ProgramData', 'HybridConnectionManager');
  return path.join(os.homedir(), '.hcm');
}

export function manifestPath(home: string): string {
  return path.join(home, MANIFEST_FILE);
}

export function logDirectory(home: string): string {
  return path.join(home, 'logs');
}

/** Creates HCM_HOME if needed and (outside Windows) restricts it to its owner. */
export function ensureHome(home: string): void {
  makeDirectory(path.resolve(home));
  if (process.platform !== 'win32') fs.chmodSync(home, 0o700);
}

/**
 * mkdir -p by hand: Node's recursive mkdirSync loops forever when a parent exists but refuses
 * children with ENOENT (as /proc does), and a clear message beats a bare errno.
 */
function makeDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir || fs.existsSync(parent)) {
      throw new Error(`Cannot create the folder ${dir} (${code ?? (error as Error).message}); choose another --home or fix its permissions.`);
    }
    makeDirectory(parent);
    makeDirectory(dir);
  }
}

/** Reads and validates the manifest; a missing file is an empty installation. */
export function readManifest(home: string): Manifest {
  const file = manifestPath(home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
    throw new Error(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): run as a user allowed to read HCM_HOME (administrators and NetworkService on Windows, its owner elsewhere), or choose another folder with --home.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): restore it from a backup, or fix it by hand against docs/manifest.schema.json.`);
  }
  return validateManifest(parsed, file);
}

/** Validates, then replaces the manifest atomically. */
export function writeManifest(home: string, manifest: Manifest): void {
  const valid = validateManifest(manifest, 'the manifest to write');
  ensureHome(home);
  writeFileAtomic(manifestPath(home), `${JSON.stringify(valid, null, 2)}\n`);
}

export function writeFileAtomic(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  if (process.platform !== 'win32') fs.chmodSync(file, 0o600);
}

/**
 * Read-modify-write under an exclusive lock: `change` gets the current manifest and returns the new
 * one (or the same object for "no change", which skips the write). Returns what was stored.
 */
export async function updateManifest(home: string, change: (current: Manifest) => Manifest | Promise<Manifest>): Promise<Manifest> {
  ensureHome(home);
  const release = await acquireLock(path.join(home, `${MANIFEST_FILE}.lock`));
  try {
    const current = readManifest(home);
    const next = await change(structuredClone(current));
    if (canonicalJson(next) !== canonicalJson(current)) writeManifest(home, next);
    return next;
  } finally {
    release();
  }
}

async function acquireLock(lockFile: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const fd = fs.openSync(lockFile, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      removeIfStale(lockFile);
      if (Date.now() > deadline) {
        throw new Error(`${lockFile} is held by another hcm process; try again, or delete it if no hcm command is running.`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A lock older than STALE_LOCK_MS, or whose process is gone, is left over from a crash. */
function removeIfStale(lockFile: string): void {
  try {
    const stat = fs.statSync(lockFile);
    const pid = Number(fs.readFileSync(lockFile, 'utf8'));
    if (Date.now() - stat.mtimeMs > STALE_LOCK_MS || (pid > 0 && !processExists(pid))) fs.rmSync(lockFile, { force: true });
  } catch {
    // The lock vanished meanwhile: the next attempt takes it.
  }
}
