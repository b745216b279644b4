/** Runs `hcm` in-process with captured output, as the CLI tests need it. */
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main';

export interface HcmRun {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(chunks: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
}

export async function runHcm(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<HcmRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdout: sink(out),
    stderr: sink(err),
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
