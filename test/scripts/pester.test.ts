/**
 * Runs the PowerShell suite (test/scripts/*.Tests.ps1) with the real pwsh and Pester 5.9.1, and
 * fails when any Pester test, block or file fails or when no test ran. `npm test` finds or installs
 * both first (test/tools/tool-table.js) and hands them over as HCM_PWSH and HCM_PESTER_PATH; a run
 * without them fails: there is no skip.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const runner = path.join(repoRoot, 'test', 'scripts', 'run-pester.ps1');
const PESTER_VERSION = '5.9.1';
const RESULT_MARKER = 'HCM_PESTER_RESULT ';

interface PesterSummary {
  pester: string;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
  failedBlocks: number;
  failedContainers: number;
  seconds: number;
  failures: Array<{ test: string; error: string }>;
  /** Tests that could not run here, each with Pester's reason (printed: a skip is never silent). */
  skips?: Array<{ test: string; reason: string }>;
}

function runPester(pwsh: string, pester: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', runner, '-PesterPath', pester], {
      cwd: repoRoot,
      env: { ...process.env, HCM_PESTER_PATH: pester },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function parseSummary(output: string): PesterSummary | undefined {
  const line = output.split(/\r?\n/).reverse().find((candidate) => candidate.startsWith(RESULT_MARKER));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_MARKER.length)) as PesterSummary);
}

test('the PowerShell provisioner suite passes under Pester 5.9.1', { timeout: 10 * 60_000 }, async () => {
  const pwsh = process.env.HCM_PWSH;
  const pester = process.env.HCM_PESTER_PATH;
  assert.ok(pwsh && pester, 'HCM_PWSH and HCM_PESTER_PATH are unset: run the suite with "npm test", which finds or installs PowerShell and Pester.');
  const { code, output } = await runPester(pwsh, pester);
  const summary = parseSummary(output);
  const tail = output.split(/\r?\n/).slice(-60).join('\n');
  assert.ok(summary, `Pester printed no result line (exit code ${code}). Its output ended with:\n${tail}`);
  // The line a reader of the run looks for; printed on the runner's own output, not as a diagnostic.
  process.stdout.write(
    `Pester ${summary.pester}: ${summary.total} tests, ${summary.passed} passed, ${summary.failed} failed, ` +
      `${summary.skipped} skipped, ${summary.notRun} not run, in ${summary.seconds} s\n`,
  );
  for (const skip of summary.skips ?? []) process.stdout.write(`Pester skipped: ${skip.test} (${skip.reason})\n`);
  const failures = summary.failures.map((failure) => `- ${failure.test}: ${failure.error}`).join('\n');
  assert.equal(summary.pester, PESTER_VERSION);
  assert.ok(summary.total > 0, 'Pester ran no tests');
  assert.equal(summary.failedContainers, 0, `Pester could not run some test files:\n${failures}`);
  assert.equal(summary.failedBlocks, 0, `Pester set-up blocks failed:\n${failures}`);
  assert.equal(summary.failed, 0, `${summary.failed} Pester test(s) failed:\n${failures}\n\nOutput tail:\n${tail}`);
  assert.equal(code, 0, `run-pester.ps1 exited with ${code}:\n${tail}`);
});
