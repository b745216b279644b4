/**
 * A real Squid (Debian's squid package) for the proxy tests, started by the test on loopback.
 * Squid cannot listen on port 0, so a free port is picked and another tried when it clashes.
 * The squid binary comes from HCM_SQUID (test/tools/tool-table.js finds or installs it); a test
 * that needs it fails when it is unset.
 *
 * `hosts` become Squid's hosts file: a name only Squid can resolve (relay.hcm.test) proves that a
 * connection that reached it went through the proxy.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anyFreeLoopbackPort } from '../../../src/config/names';
import { Context, waitFor } from '../relay-fixtures';

export interface SquidOptions {
  /** Require Basic authentication with this user and password. */
  basicAuth?: { user: string; password: string };
  /** Offer only NTLM (Squid's fake NTLM helper): a 407 hcm cannot answer. */
  ntlmOnly?: boolean;
  /** Refuse every request (403). */
  denyAll?: boolean;
  /** name → address lines for Squid's own name resolution. */
  hosts?: Record<string, string>;
}

export interface AccessLogEntry {
  /** e.g. TCP_TUNNEL/200, TCP_DENIED/407, NONE_NONE/503 */
  result: string;
  status: number;
  method: string;
  /** host:port for CONNECT */
  url: string;
  user: string;
}

export function squidBinary(): string {
  const found = process.env.HCM_SQUID;
  if (!found) throw new Error('HCM_SQUID is unset: run the suite with "npm test", which finds or installs Squid (test/tools/tool-table.js).');
  return found;
}

export class Squid {
  private child: ChildProcess | undefined;
  port = 0;
  readonly dir: string;

  constructor(private readonly options: SquidOptions = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-squid-'));
    // Squid drops root to its own user, which must write the logs here.
    fs.chmodSync(this.dir, 0o777);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get accessLogPath(): string {
    return path.join(this.dir, 'access.log');
  }

  private config(port: number): string {
    const o = this.options;
    const lines = [
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${path.join(this.dir, 'squid.pid')}`,
      `access_log stdio:${this.accessLogPath}`,
      `cache_log ${path.join(this.dir, 'cache.log')}`,
      `coredump_dir ${this.dir}`,
      'cache deny all',
      'cache_mem 8 MB',
      'shutdown_lifetime 0 seconds',
      'pinger_enable off',
      'logfile_rotate 0',
      `hosts_file ${path.join(this.dir, 'hosts')}`,
      // No SSL_ports rule: CONNECT to the emulator's plain port is what these tests do.
    ];
    if (process.getuid?.() === 0) lines.push('cache_effective_user proxy');
    if (o.basicAuth) {
      lines.push(`auth_param basic program ${path.join(path.dirname(squidBinary()), '..', 'lib', 'squid', 'basic_ncsa_auth')} ${path.join(this.dir, 'passwd')}`, 'auth_param basic realm hcm-test', 'acl authed proxy_auth REQUIRED', 'http_access allow authed');
    } else if (o.ntlmOnly) {
      lines.push(`auth_param ntlm program ${path.join(path.dirname(squidBinary()), '..', 'lib', 'squid', 'ntlm_fake_auth')}`, 'acl authed proxy_auth REQUIRED', 'http_access allow authed');
    } else if (!o.denyAll) {
      lines.push('http_access allow localhost');
    }
    lines.push('http_access deny all');
    return `${lines.join('\n')}\n`;
  }

  /** Starts Squid on a free loopback port (retrying on a clash); resolves once it accepts connections. */
  async start(t: Context, port?: number): Promise<this> {
    const binary = squidBinary();
    const hosts = Object.entries(this.options.hosts ?? {}).map(([name, address]) => `${address} ${name}`);
    fs.writeFileSync(path.join(this.dir, 'hosts'), `127.0.0.1 localhost\n${hosts.join('\n')}\n`, { mode: 0o644 });
    if (this.options.basicAuth) {
      const hash = execFileSync('openssl', ['passwd', '-apr1', this.options.basicAuth.password], { encoding: 'utf8' }).trim();
      fs.writeFileSync(path.join(this.dir, 'passwd'), `${this.options.basicAuth.user}:${hash}\n`, { mode: 0o644 });
    }
    t.after(() => this.stop());
    t.after(() => fs.rmSync(this.dir, { recursive: true, force: true }));
    for (let attempt = 1; ; attempt++) {
      const candidate = port ?? (await anyFreeLoopbackPort());
      if (await this.tryStart(binary, candidate)) return this;
      if (port !== undefined || attempt >= 5) throw new Error(`Squid did not start on 127.0.0.1:${candidate}: ${this.cacheLogTail()}`);
    }
  }

  private async tryStart(binary: string, port: number): Promise<boolean> {
    const configFile = path.join(this.dir, 'squid.conf');
    fs.writeFileSync(configFile, this.config(port), { mode: 0o644 });
    fs.rmSync(path.join(this.dir, 'cache.log'), { force: true });
    const child = spawn(binary, ['-N', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    this.child = child;
    const outcome = await waitFor(`Squid to listen on ${port}`, () => {
      const log = this.cacheLogTail();
      if (/Accepting HTTP Socket connections/.test(log)) return 'up';
      if (exited || /commBind|Cannot open HTTP Port|Address already in use/i.test(log + stderr)) return 'clash';
      return undefined;
    }, 20_000);
    if (outcome === 'up') {
      this.port = port;
      return true;
    }
    await this.stop();
    return false;
  }

  cacheLogTail(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'cache.log'), 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no cache.log)';
    }
  }

  /** Kills Squid at once (SIGKILL): every tunnel through it drops. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Stops Squid (SIGTERM: with shutdown_lifetime 0 it closes every tunnel and logs it). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Squid's access log (native format), one entry per finished transaction. */
  accessLog(): AccessLogEntry[] {
    let text = '';
    try {
      text = fs.readFileSync(this.accessLogPath, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').filter((line) => line.trim() !== '').map((line) => {
      // time elapsed client result/status bytes method url user hierarchy type
      const fields = line.trim().split(/\s+/);
      return { result: fields[3], status: Number(fields[3].split('/')[1]), method: fields[5], url: fields[6], user: fields[7] };
    });
  }
}
