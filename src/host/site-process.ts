/**
 * One site run as a child process, the way iisnode runs it: `node sites/<Site>/server.js` with
 * PORT, HCM_HOME and HCM_SITE_NAME. Restarted with back-off when it dies; stopped with SIGTERM,
 * then SIGKILL if it does not end in time.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface SiteSpec {
  site: string;
  /** The CommonJS entry, sites/<Site>/server.js. */
  script: string;
  port: number | string;
}

export interface SiteProcessOptions {
  home: string;
  logDir: string;
  /** Each output line of the child, for the console (already prefixed by the host). */
  onLine: (site: string, line: string) => void;
  /** Extra environment for the child (e.g. HCM_LOG_LEVEL). */
  env?: NodeJS.ProcessEnv;
  /** Node options for the child, e.g. ['--cpu-prof'] (NODE_OPTIONS refuses some). */
  execArgv?: string[];
  stopTimeoutMs?: number;
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10000, 30000];
/** A child that stayed up this long counts as healthy: the next crash restarts it at once again. */
const HEALTHY_AFTER_MS = 10_000;

export class SiteProcess {
  private child?: ChildProcess;
  private stopping = false;
  private failures = 0;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  restarts = 0;

  constructor(
    readonly spec: SiteSpec,
    private readonly options: SiteProcessOptions,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.stopping = false;
    const { site, script, port } = this.spec;
    this.startedAt = Date.now();
    const child = spawn(process.execPath, [...(this.options.execArgv ?? []), script], {
      cwd: path.dirname(script),
      env: { ...process.env, ...this.options.env, PORT: String(port), HCM_HOME: this.options.home, HCM_SITE_NAME: site },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    readline.createInterface({ input: child.stdout! }).on('line', (line) => this.options.onLine(site, line));
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      this.options.onLine(site, line);
      this.appendToLog({ level: 50, msg: line, stream: 'stderr' });
    });
    child.on('error', (error) => this.appendToLog({ level: 50, msg: `could not start: ${error.message}` }));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    this.appendToLog({ level: 30, msg: `started (pid ${child.pid}, port ${port})` });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.stopping) return;
    this.failures = Date.now() - this.startedAt > HEALTHY_AFTER_MS ? 1 : this.failures + 1;
    const delay = BACKOFF_MS[Math.min(this.failures - 1, BACKOFF_MS.length - 1)];
    const reason = signal ? `signal ${signal}` : `exit code ${code}`;
    this.appendToLog({ level: 40, msg: `exited with ${reason}; restarting in ${delay} ms` });
    this.options.onLine(this.spec.site, `[host] exited with ${reason}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.start();
    }, delay);
  }

  /** Stops the child (SIGTERM, then SIGKILL after stopTimeoutMs) and cancels any pending restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.appendToLog({ level: 30, msg: 'stopped' });
  }

  /** Host events and raw stderr go to the site's own log file, in the sites' JSON-lines format. */
  private appendToLog(record: { level: number; msg: string; stream?: string }): void {
    try {
      fs.mkdirSync(this.options.logDir, { recursive: true, mode: 0o700 });
      const line = JSON.stringify({ ...record, time: Date.now(), name: this.spec.site, channel: 'host' });
      fs.appendFileSync(path.join(this.options.logDir, `${this.spec.site}.log`), `${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never take the host down; the console still has the line.
    }
  }
}
