/** Child processes for the benchmark: each server runs in its own process, so the load generator never shares an event loop with what it measures. */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const REPO_ROOT = path.join(__dirname, '..', '..', '..');
const HCM = path.join(REPO_ROOT, 'bin', 'hcm.js');

export interface Started {
  child: ChildProcess;
  /** Lines printed so far. */
  lines: string[];
}

/** Starts `node args…` and resolves once `count` lines match `pattern` (the child prints its address). */
export function startPrinting(args: string[], pattern: RegExp, count = 1, env: NodeJS.ProcessEnv = {}): Promise<Started & { matches: RegExpMatchArray[] }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HCM_LOG_LEVEL: 'silent', ...env } });
  const lines: string[] = [];
  const matches: RegExpMatchArray[] = [];
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`${args.join(' ')} printed no ${pattern} within 60 s:\n${lines.join('\n')}`)), 60_000);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = pattern.exec(line);
      if (match) matches.push(match);
      if (matches.length === count) {
        clearTimeout(guard);
        resolve({ child, lines, matches });
      }
    });
    child.stderr!.on('data', (chunk) => lines.push(String(chunk)));
    child.once('exit', (code) => {
      clearTimeout(guard);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}

/** Node options for every server the benchmark starts: `--cpu-prof DIR` profiles them all. */
export const childExecArgv: string[] = [];

export function hcmArgs(...args: string[]): string[] {
  return [...childExecArgv, HCM, ...args];
}

/** An echo server: answers every request with what it got (method, URL, body length). */
export const ECHO_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let length = 0;
  req.on('data', (c) => { length += c.length; }).on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, length }));
  });
});
server.listen(0, '127.0.0.1', () => console.log('echo listening on ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
