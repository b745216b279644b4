/**
 * The demo database: its name, its well-known development login (like Azurite's development
 * keys: documented, for loopback use only) and its seed script, demo-seed.sql — plain T-SQL that
 * also runs on SQL Server. The script is read from the package's src folder, found by walking up
 * from this file, so it is found from dist/ as well.
 */
import fs from 'node:fs';
import path from 'node:path';

export const DEMO_DATABASE = 'HcmDemo';

/** The stand-in's development login. Not a secret: it only opens the loopback-bound stand-in. */
export const DEMO_LOGIN = { user: 'hcm_demo', password: 'HcmDemo-Passw0rd!' } as const;

const SEED_PATH = ['src', 'emulators', 'sqlserver', 'demo-seed.sql'];

/** Walks up from the compiled file (dist/src/…) or the source file (src/…) to the package's src folder. */
function seedPath(start: string): string {
  let directory = start;
  for (;;) {
    const candidate = path.join(directory, ...SEED_PATH);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`Cannot find ${SEED_PATH.join('/')} above ${start}.`);
    directory = parent;
  }
}

let cached: string | undefined;

/** The demo seed script (GO-separated T-SQL batches). */
export function demoSeedSql(): string {
  cached ??= fs.readFileSync(seedPath(__dirname), 'utf8');
  return cached;
}
