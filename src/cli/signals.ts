/**
 * Waits for Ctrl-C or a service stop (SIGINT / SIGTERM), the way long-running commands end — or for
 * the reader of our output to go away (`hcm relay | head -1`), reported as SIGPIPE.
 */
import { outputClosed } from './output-closed';

export function untilSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (signal: NodeJS.Signals) => {
      if (done) return;
      done = true;
      for (const name of signals) process.off(name, handler);
      resolve(signal);
    };
    const handler = (signal: NodeJS.Signals) => finish(signal);
    for (const name of signals) process.on(name, handler);
    void outputClosed().then(() => finish('SIGPIPE'));
  });
}
