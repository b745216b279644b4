/**
 * When the reader of our output goes away (`hcm list | head -1`), writing fails with EPIPE. Every
 * command then stops writing, quietly: no stack trace, and the exit code stays the command's own.
 * The long-running commands (`relay`, `sqlserver`, `start`, `demo`) also shut down, as on SIGTERM:
 * `outputClosed()` is one of the events `untilSignal()` waits for.
 *
 * EPIPE alone is noticed only at the next write, and a server may have nothing more to say. So,
 * for a pipe, a `tail -f /dev/null` sharing our stdout watches it: GNU tail polls its output and
 * exits (SIGPIPE) as soon as the pipe's reader closes — something Node cannot ask the kernel itself.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';

const events = new EventEmitter();
let closed = false;
let guarded = false;

/** Makes EPIPE on stdout or stderr a quiet "the reader went away" (call once, at start-up). */
export function guardAgainstClosedOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (guarded) return;
  guarded = true;
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stream.write = (() => true) as typeof stream.write; // nobody reads it any more
      if (stream === process.stdout) markClosed();
    });
  }
}

/** Resolves when our standard output's reader has gone away. */
export function outputClosed(): Promise<void> {
  if (closed) return Promise.resolve();
  watchPipeReader();
  return new Promise((resolve) => events.once('closed', resolve));
}

function markClosed(): void {
  if (closed) return;
  closed = true;
  events.emit('closed');
}

let watcher: ReturnType<typeof spawn> | undefined;

function watchPipeReader(): void {
  if (watcher !== undefined || process.platform === 'win32' || !stdoutIsPipe()) return;
  watcher = spawn('tail', ['-f', '/dev/null'], { stdio: ['ignore', 'inherit', 'ignore'] });
  watcher.on('error', () => undefined); // no tail here: EPIPE at the next write still tells us
  watcher.on('exit', (_code, signal) => {
    if (signal === 'SIGPIPE') markClosed();
  });
  watcher.unref();
  process.once('exit', () => watcher?.kill());
}

function stdoutIsPipe(): boolean {
  try {
    return fs.fstatSync(1).isFIFO();
  } catch {
    return false;
  }
}
