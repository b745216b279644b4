/**
 * Runs the PowerShell suite (test/scripts/*.Tests.ps1) with the real pwsh and Pester 5.9.1, and
 * fails when any Pester test, block or file fails or when no test ran. Under CI a missing pwsh or
 * Pester is a failure; elsewhere the test says plainly that the PowerShell suite could not run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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
}

/** pwsh on PATH, else the .NET global tool's folder (where .ci/run installs it). */
function findPwsh(): string | undefined {
  const names = process.platform === 'win32' ? ['pwsh.exe'] : ['pwsh'];
  const folders = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  folders.push(path.join(os.homedir(), '.dotnet', 'tools'));
  for (const folder of folders) {
    for (const name of names) {
      const candidate = path.join(folder, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here; try the next folder
      }
    }
  }
  return undefined;
}

function findPester(): string | undefined {
  const candidates = [
    process.env.HCM_PESTER_PATH,
    path.join(repoRoot, 'tools', 'packages', 'pester', PESTER_VERSION, 'tools', 'Pester.psd1'),
  ].filter((candidate): candidate is string => Boolean(candidate));
  return candidates.find((candidate) => fs.existsSync(candidate));
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

test('the PowerShell provisioner suite passes under Pester 5.9.1', { timeout: 10 * 60_000 }, async (t) => {
  const pwsh = findPwsh();
  const pester = findPester();
  const missing = [
    pwsh ? undefined : 'pwsh (PowerShell 7) was not found on PATH or in ~/.dotnet/tools',
    pester ? undefined : `Pester ${PESTER_VERSION} was not found (HCM_PESTER_PATH, or tools/packages/pester/${PESTER_VERSION})`,
  ].filter(Boolean);
  if (missing.length > 0) {
    const message = `The PowerShell suite could not run: ${missing.join('; ')}. .ci/run installs both.`;
    if (process.env.CI === 'true' || process.env.CI === '1') assert.fail(`${message} Under CI this is a failure.`);
    console.error(`\n*** ${message} ***\n`);
    t.skip(message);
    return;
  }
  const { code, output } = await runPester(pwsh!, pester!);
  const summary = parseSummary(output);
  const tail = output.split(/\r?\n/).slice(-60).join('\n');
  assert.ok(summary, `Pester printed no result line (exit code ${code}). Its output ended with:\n${tail}`);
  t.diagnostic(
    `Pester ${summary.pester}: ${summary.total} tests, ${summary.passed} passed, ${summary.failed} failed, ` +
      `${summary.skipped} skipped, ${summary.notRun} not run, in ${summary.seconds} s`,
  );
  const failures = summary.failures.map((failure) => `- ${failure.test}: ${failure.error}`).join('\n');
  assert.equal(summary.pester, PESTER_VERSION);
  assert.ok(summary.total > 0, 'Pester ran no tests');
  assert.equal(summary.failedContainers, 0, `Pester could not run some test files:\n${failures}`);
  assert.equal(summary.failedBlocks, 0, `Pester set-up blocks failed:\n${failures}`);
  assert.equal(summary.failed, 0, `${summary.failed} Pester test(s) failed:\n${failures}\n\nOutput tail:\n${tail}`);
  assert.equal(code, 0, `run-pester.ps1 exited with ${code}:\n${tail}`);
});
