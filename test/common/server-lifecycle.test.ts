import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/common/logger';
import { boundPort, closeServer, LifecycleServer, listen, listenOnIpv6Loopback } from '../../src/common/server-lifecycle';
import { startSite } from '../../src/listener/site';

const hasIpv6 = Object.values(os.networkInterfaces()).some((addresses) => addresses?.some((a) => a.internal && a.address === '::1'));

class Probe extends LifecycleServer {
  starts = 0;
  constructor(private readonly failStart = false) {
    super();
  }
  protected async onStart(): Promise<void> {
    this.starts++;
    if (this.failStart) throw new Error('cannot start');
  }
  protected async onClose(): Promise<void> {}
}

describe('LifecycleServer', () => {
  it('goes Closed → Running → Closed and refuses illegal moves', async () => {
    const server = new Probe();
    assert.equal(server.status, 'Closed');
    await assert.rejects(server.close(), /Cannot close: the server is Closed/);
    await server.start();
    assert.equal(server.status, 'Running');
    await assert.rejects(server.start(), /Cannot start: the server is Running/);
    await server.close();
    assert.equal(server.status, 'Closed');
  });

  it('returns to Closed when start fails', async () => {
    const server = new Probe(true);
    await assert.rejects(server.start(), /cannot start/);
    assert.equal(server.status, 'Closed');
  });
});

describe('listen', () => {
  it('says which port is taken', async () => {
    const first = http.createServer();
    await listen(first, 0, '127.0.0.1');
    try {
      await assert.rejects(listen(http.createServer(), boundPort(first), '127.0.0.1'), /Port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      await closeServer(first);
    }
  });
});

describe('listenOnIpv6Loopback', { skip: hasIpv6 ? false : 'this host has no IPv6 loopback ([::1]); the twin is not created there' }, () => {
  it('answers on [::1] with the same handlers as on 127.0.0.1', async () => {
    const server = http.createServer((_req, res) => res.end('same handler'));
    await listen(server, 0, '127.0.0.1');
    const twin = await listenOnIpv6Loopback(server, boundPort(server));
    try {
      assert.ok(twin, 'no [::1] twin');
      assert.equal(await (await fetch(`http://[::1]:${boundPort(server)}/`)).text(), 'same handler');
      assert.equal(await (await fetch(`http://127.0.0.1:${boundPort(server)}/`)).text(), 'same handler');
    } finally {
      await closeServer(server);
      if (twin) await closeServer(twin);
    }
  });

  it('makes no twin for a socket path', async () => {
    assert.equal(await listenOnIpv6Loopback(http.createServer(), path.join(os.tmpdir(), 'x.sock')), undefined);
  });

  it('serves the listener site on [::1] too', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-ipv6-'));
    const site = await startSite({ env: { HCM_HOME: home, PORT: '0' }, processHandlers: false, logger: silentLogger() });
    try {
      const response = await fetch(`http://[::1]:${site.address}/status`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { hybridConnections: [] });
    } finally {
      await site.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
