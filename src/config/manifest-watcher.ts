/**
 * Notices a changed manifest from any process: polls hcm.json's content (stat polling survives the
 * atomic rename that fs.watch loses track of) and calls back with the new, validated manifest.
 */
import fs from 'node:fs';
import { Manifest } from './manifest';
import { manifestPath, readManifest } from './manifest-store';

export interface ManifestWatcher {
  close(): void;
}

export interface WatchOptions {
  /** How often the file is checked; the default keeps changes visible within 2 s. */
  intervalMs?: number;
  /** Called when the changed file is unreadable or invalid (the last good manifest stays in force). */
  onError?: (error: Error) => void;
}

export function watchManifest(home: string, onChange: (manifest: Manifest) => void, options: WatchOptions = {}): ManifestWatcher {
  const file = manifestPath(home);
  let lastText = readText(file);
  const check = () => {
    const text = readText(file);
    if (text === lastText) return;
    lastText = text;
    try {
      onChange(readManifest(home));
    } catch (error) {
      options.onError?.(error as Error);
    }
  };
  const timer = setInterval(check, options.intervalMs ?? 500);
  timer.unref();
  return { close: () => clearInterval(timer) };
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
