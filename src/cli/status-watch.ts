/**
 * `hcm status --watch`: the status table again every interval until Ctrl-C. On a terminal each
 * frame redraws the screen in place (cursor home, every line cleared to its end, the rest of the
 * screen cleared: no flicker, no scrolling); into a file or a pipe each frame is printed in turn,
 * headed by its time, so a log of it reads top to bottom. It stops on SIGINT/SIGTERM, when the
 * reader of a pipe goes away, or after --count frames.
 */
import { outputClosed } from './output-closed';

export const ESC = {
  home: '\x1b[H',
  clearLine: '\x1b[K',
  clearBelow: '\x1b[J',
  hideCursor: '\x1b[?25l',
  showCursor: '\x1b[?25h',
} as const;

export interface WatchOptions {
  out: NodeJS.WritableStream;
  intervalMs: number;
  /** Stop after this many frames (default: until stopped). */
  count?: number;
  /** Redraw in place (a terminal) rather than print frame after frame. */
  terminal: boolean;
  /** Watch for the pipe's reader going away (only for the real process.stdout). */
  watchOutput: boolean;
}

export type WatchEnd = 'count' | 'SIGINT' | 'SIGTERM' | 'closed';

/** Shows `frame()` every interval; resolves with why it stopped and the last frame's result. */
export async function watch<T>(frame: () => Promise<{ lines: string[]; result: T }>, options: WatchOptions): Promise<{ end: WatchEnd; result?: T }> {
  const { out, terminal } = options;
  let stop: ((end: WatchEnd) => void) | undefined;
  const stopped = new Promise<WatchEnd>((resolve) => (stop = resolve));
  const onSignal = (signal: NodeJS.Signals) => stop!(signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onError = () => stop!('closed');
  out.on('error', onError);
  if (options.watchOutput) void outputClosed().then(() => stop!('closed'));
  let end: WatchEnd | undefined;
  void stopped.then((why) => (end = why));
  let result: T | undefined;
  try {
    if (terminal) out.write(ESC.hideCursor);
    for (let shown = 0; end === undefined; ) {
      const next = await frame();
      if (end !== undefined) break;
      result = next.result;
      const stamp = new Date().toISOString().replace('T', ' ').slice(0, 19);
      const heading = `Every ${options.intervalMs / 1000}s: hcm status    ${stamp}`;
      if (terminal) out.write(`${ESC.home}${[heading, '', ...next.lines].map((line) => `${line}${ESC.clearLine}`).join('\n')}\n${ESC.clearBelow}`);
      else out.write(`${shown === 0 ? '' : '\n'}${[heading, ...next.lines].join('\n')}\n`);
      shown += 1;
      if (options.count !== undefined && shown >= options.count) return { end: 'count', result };
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.intervalMs)))]);
      clearTimeout(timer);
    }
    return { end: end!, result };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    out.off('error', onError);
    if (terminal && end !== 'closed') out.write(ESC.showCursor);
  }
}
