/**
 * `hcm … | head -1`: the reader closes after one line. A short command stops writing and exits 0;
 * a long-running one shuts down as on SIGTERM and exits 0. No EPIPE stack trace either way.
 * Real pipes, made by bash, as a user's shell makes them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const hcm = path.resolve(__dirname, '..', '..', '..', 'bin', 'hcm.js');

interface PipedRun {
  hcmExit: number;
  firstLine: string;
  stderr: string;
}

const temporaries: string[] = [];
after(() => temporaries.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function temporary(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}

/** Runs `node hcm.js ARGS | head -1` in bash and reports hcm's own exit code (PIPESTATUS). */
function pipeIntoHead(args: string[], env: NodeJS.ProcessEnv = {}): Promise<PipedRun> {
  const quoted = [process.execPath, hcm, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} 2>"$HCM_STDERR_FILE" | head -1; echo "hcm-exit=\${PIPESTATUS[0]}"`;
  const stderrFile = path.join(temporary('hcm-pipe-'), 'stderr.txt');
  return new Promise((resolve, reject) => {
    const shell = spawn('bash', ['-c', script], { env: { ...process.env, ...env, HCM_STDERR_FILE: stderrFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A hang guard, not a speed assertion: a command that never notices its reader left hangs here.
    const guard = setTimeout(() => {
      shell.kill('SIGKILL');
      reject(new Error(`hcm ${args[0]} did not stop after its reader closed; output so far:\n${output}`));
    }, 60_000);
    shell.on('close', () => {
      clearTimeout(guard);
      const lines = output.split('\n');
      const exit = /hcm-exit=(\d+)/.exec(output);
      resolve({ hcmExit: exit ? Number(exit[1]) : -1, firstLine: lines[0], stderr: fs.readFileSync(stderrFile, 'utf8') });
    });
  });
}

describe('output cut short by the reader', () => {
  it('a short command (hcm --help) stops writing and exits 0', async () => {
    const run = await pipeIntoHead(['--help']);
    assert.equal(run.firstLine, 'Usage: hcm <command> [options]');
    assert.equal(run.hcmExit, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /EPIPE|Error/);
  });

  it('a long-running command (hcm relay) shuts down as on SIGTERM and exits 0', async () => {
    const home = temporary('hcm-pipe-home-');
    // With logging on: its log lines go to stderr, so stdout's first line is a configuration string.
    const run = await pipeIntoHead(['relay', '--port', '0', '--home', home, '--hybrid-connection', 'sql-orders', '--hybrid-connection', 'sql-invoices'], { HCM_LOG_LEVEL: 'info' });
    assert.match(run.firstLine, /^Endpoint=sb:\/\/127\.0\.0\.1:\d+\/;.*EntityPath=sql-orders/);
    assert.match(run.stderr, /"msg":"Relay emulator listening\."/);
    assert.equal(run.hcmExit, 0, run.stderr);
    assert.match(run.stderr, /Relay emulator stopping \(SIGPIPE\)/);
    assert.doesNotMatch(run.stderr, /EPIPE|at .*\.js:\d+/);
  });
});
