/**
 * HTTP senders through the relay emulator to the REAL hyco-https listener: round trips, large
 * bodies both ways (rendezvous), bodiless responses, load sharing, anonymous hybrid connections
 * and the lenient/strict treatment of a response rendezvous.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAll, RelayHarness } from './relay-test-kit';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A hyco-https handler that records what it got and echoes it back as JSON. */
function echoHandler(seen: Seen[]) {
  return (req: { method: string; url: string; headers: Record<string, string> } & NodeJS.ReadableStream, res: import('./relay-test-kit').HycoResponse) => {
    readAll(req).then((body) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Listener', 'hyco');
      res.writeHead(201, 'Made It');
      res.end(JSON.stringify({ method: req.method, url: req.url, length: body.length, text: body.toString('utf8').slice(0, 100) }));
    });
  };
}

describe('HTTP senders through the relay to a hyco-https listener', () => {
  it('relays GET, POST, PUT and DELETE with query strings and headers, both ways', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'orders' }] });
    const seen: Seen[] = [];
    await h.hycoListener('orders', echoHandler(seen));
    const token = h.token('orders');
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const body = method === 'GET' ? undefined : `payload for ${method}`;
      const answer = await h.request(`/orders/items/7?select=a,b&sb-hc-id=trace${method}&x=%20y`, {
        method,
        headers: { ServiceBusAuthorization: token, 'X-Custom': `value-${method}`, 'Content-Type': 'text/plain' },
        body,
      });
      assert.equal(answer.status, 201, answer.body.toString());
      assert.equal(answer.statusMessage, 'Made It');
      assert.equal(answer.headers['x-listener'], 'hyco');
      assert.match(String(answer.headers.via), /^1\.1 127\.0\.0\.1:\d+$/);
      assert.equal(answer.headers['content-length'], String(answer.body.length));
      const echoed = JSON.parse(answer.body.toString());
      assert.deepEqual(echoed, { method, url: '/orders/items/7?select=a,b&x=%20y', length: body?.length ?? 0, text: body ?? '' });
    }
    assert.equal(seen.length, 4);
    for (const request of seen) {
      assert.equal(request.headers['x-custom'], `value-${request.method}`);
      assert.equal(request.headers['servicebusauthorization'], undefined, 'the relay token never reaches the listener');
      assert.match(request.headers.via, /^1\.1 127\.0\.0\.1:\d+$/);
      assert.equal(request.headers['content-length'], undefined, 'framing headers are the relay\'s business');
      assert.match(request.headers.host, /^127\.0\.0\.1:\d+$/, 'Host is forwarded, as Azure does');
    }
  });

  it('carries a 1 MB request and a 1 MB response through rendezvous sockets', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'big' }] });
    const request = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < request.length; i += 1) request[i] = (i * 7) % 251;
    await h.hycoListener('big', (req, res) => {
      readAll(req).then((body) => {
        // Answer with the request reversed, so both directions are checked byte for byte.
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(Buffer.from(body).reverse());
      });
    });
    const answer = await h.request('/big/upload', { method: 'POST', headers: { ServiceBusAuthorization: h.token('big') }, body: request });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.length, request.length);
    assert.ok(answer.body.equals(Buffer.from(request).reverse()));
  });

  it('sends a chunked upload (unknown length) through a rendezvous, as one body', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'chunks' }] });
    const seen: Seen[] = [];
    await h.hycoListener('chunks', echoHandler(seen));
    const chunks = [Buffer.from('first,'), Buffer.from('second,'), Buffer.from('third')];
    const answer = await h.request('/chunks', { method: 'POST', headers: { ServiceBusAuthorization: h.token('chunks') }, body: chunks });
    assert.equal(answer.status, 201);
    assert.equal(seen[0].body.toString(), 'first,second,third');
  });

  it('relays 204 and HEAD answers without a body (tolerating the empty binary frame hyco-https sends)', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'nobody' }] });
    await h.hycoListener('nobody', (req, res) => {
      res.setHeader('X-Method', req.method);
      if (req.method === 'HEAD') res.setHeader('Content-Type', 'text/html');
      else res.statusCode = 204;
      res.end();
    });
    const token = h.token('nobody');
    const noContent = await h.request('/nobody/x', { method: 'DELETE', headers: { ServiceBusAuthorization: token } });
    assert.equal(noContent.status, 204);
    assert.equal(noContent.body.length, 0);
    assert.equal(noContent.headers['x-method'], 'DELETE');
    const head = await h.request('/nobody/x', { method: 'HEAD', headers: { ServiceBusAuthorization: token } });
    assert.equal(head.status, 200);
    assert.equal(head.headers['x-method'], 'HEAD');
    assert.equal(head.body.length, 0);
    // The channel is still in step after both: a normal request works.
    const after = await h.request('/nobody/x', { headers: { ServiceBusAuthorization: token } });
    assert.equal(after.status, 204);
  });

  it('shares requests between two listeners of one hybrid connection', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'shared' }] });
    const counts = [0, 0];
    for (const index of [0, 1]) {
      await h.hycoListener('shared', (_req, res) => {
        counts[index] += 1;
        res.end(`listener ${index}`);
      });
    }
    assert.equal(h.relay.listenerCount('shared'), 2);
    const token = h.token('shared');
    const answers = await Promise.all(Array.from({ length: 40 }, () => h.request('/shared', { headers: { ServiceBusAuthorization: token } })));
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.equal(counts[0] + counts[1], 40);
    assert.ok(counts[0] > 0 && counts[1] > 0, `both listeners served requests (${counts.join(' / ')})`);
  });

  it('lets senders of an anonymous hybrid connection in without a token, and passes their Authorization through', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'public', requiresClientAuthorization: false }] });
    const seen: Seen[] = [];
    await h.hycoListener('public', echoHandler(seen));
    const answer = await h.request('/public/hello', { headers: { Authorization: 'Bearer app-token' } });
    assert.equal(answer.status, 201);
    assert.equal(seen[0].headers.authorization, 'Bearer app-token');
  });

  it('takes a SAS token from the Authorization header or sb-hc-token, and strips what it used', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'auth' }] });
    const seen: Seen[] = [];
    await h.hycoListener('auth', echoHandler(seen));
    const byAuthorization = await h.request('/auth/a', { headers: { Authorization: h.token('auth') } });
    assert.equal(byAuthorization.status, 201);
    assert.equal(seen[0].headers.authorization, undefined);
    const byQuery = await h.request(`/auth/b?keep=1&sb-hc-token=${encodeURIComponent(h.token('auth'))}`, { headers: { Authorization: 'Bearer app' } });
    assert.equal(byQuery.status, 201);
    assert.equal(seen[1].url, '/auth/b?keep=1');
    assert.equal(seen[1].headers.authorization, 'Bearer app', 'Authorization is the application\'s when another token was used');
  });

  it('routes a path to the longest hybrid connection name that prefixes it', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'a' }, { name: 'a/b' }] });
    await h.hycoListener('a', (req, res) => res.end(`a got ${req.url}`));
    await h.hycoListener('a/b', (req, res) => res.end(`a/b got ${req.url}`));
    const deep = await h.request('/a/b/c', { headers: { ServiceBusAuthorization: h.token('a/b') } });
    assert.equal(deep.body.toString(), 'a/b got /a/b/c');
    const shallow = await h.request('/a/bc', { headers: { ServiceBusAuthorization: h.token('a') } });
    assert.equal(shallow.body.toString(), 'a got /a/bc');
  });

  it('by default closes a response rendezvous after its response, so the next request on the connection still works', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'lenient' }], responseTimeoutMs: 2000 });
    await h.hycoListener('lenient', (req, res) => res.end(req.url.endsWith('big') ? Buffer.alloc(100_000, 1) : 'small'));
    const agent = h.keepAliveAgent();
    const headers = { ServiceBusAuthorization: h.token('lenient') };
    const big = await h.request('/lenient/big', { headers, agent });
    assert.equal(big.body.length, 100_000);
    const next = await h.request('/lenient/next', { headers, agent });
    assert.equal(next.status, 200);
    assert.equal(next.body.toString(), 'small');
  });

  it('in strict mode sends the next request over the response rendezvous, where hyco-https loses it (504)', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'strict' }], responseTimeoutMs: 1500, strict: true });
    let handled = 0;
    await h.hycoListener('strict', (req, res) => {
      handled += 1;
      res.end(req.url.endsWith('big') ? Buffer.alloc(100_000, 1) : 'small');
    });
    const agent = h.keepAliveAgent();
    const headers = { ServiceBusAuthorization: h.token('strict') };
    const big = await h.request('/strict/big', { headers, agent });
    assert.equal(big.body.length, 100_000);
    const lost = await h.request('/strict/next', { headers, agent });
    assert.equal(lost.status, 504, 'hyco-https reads no requests on a response rendezvous (defect B12)');
    assert.equal(handled, 1);
  });

  it('in strict mode reuses a request rendezvous for the connection\'s next request, which hyco-https serves', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'reuse' }], responseTimeoutMs: 5000, strict: true });
    const seen: Seen[] = [];
    await h.hycoListener('reuse', echoHandler(seen));
    const agent = h.keepAliveAgent();
    const headers = { ServiceBusAuthorization: h.token('reuse') };
    // A body over 64 kB makes the relay send only {address, id}; hyco-https fetches the request there.
    const first = await h.request('/reuse/one', { method: 'POST', headers, body: Buffer.alloc(70_000, 3), agent });
    assert.equal(first.status, 201);
    const second = await h.request('/reuse/two', { method: 'POST', headers, body: 'small', agent });
    assert.equal(second.status, 201);
    assert.deepEqual(JSON.parse(second.body.toString()), { method: 'POST', url: '/reuse/two', length: 5, text: 'small' });
    assert.deepEqual(seen.map((request) => request.body.length), [70_000, 5]);
  });

  it('in strict mode the next request arrives on the rendezvous socket itself, without an address', async (t) => {
    const h = await RelayHarness.start(t, { hybridConnections: [{ name: 'wire' }], strict: true });
    const listener = await h.plainListener('wire');
    const agent = h.keepAliveAgent();
    const headers = { ServiceBusAuthorization: h.token('wire') };
    const first = h.request('/wire/1', { method: 'POST', headers, body: [Buffer.from('chunked')], agent });
    const pointer = await listener.nextJson();
    const rendezvous = await h.connect(pointer.request.address);
    const request1 = await rendezvous.nextJson();
    assert.equal((await rendezvous.next()).data.toString(), 'chunked');
    rendezvous.respond(request1.request.id, 200, 'one');
    assert.equal((await first).body.toString(), 'one');
    const second = h.request('/wire/2?q=1', { headers, agent });
    const request2 = await rendezvous.nextJson();
    assert.equal(request2.request.requestTarget, '/wire/2?q=1');
    assert.equal(request2.request.address, undefined, 'a request repeated on a rendezvous carries no address');
    rendezvous.respond(request2.request.id, 200, 'two');
    assert.equal((await second).body.toString(), 'two');
    // The listener closes the rendezvous between requests (the .NET listener always does): Azure
    // keeps serving the sender's connection, its next request going to the control channel.
    const closedSockets: number[] = [];
    for (const sockets of Object.values(agent.sockets)) for (const socket of sockets ?? []) socket.once('close', () => closedSockets.push(1));
    for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.once('close', () => closedSockets.push(1));
    rendezvous.ws.close();
    await rendezvous.closed;
    const third = h.request('/wire/3', { headers, agent });
    const request3 = await listener.nextJson();
    assert.equal(request3.request.requestTarget, '/wire/3');
    listener.respond(request3.request.id, 200, 'three');
    assert.equal((await third).body.toString(), 'three');
    assert.equal(closedSockets.length, 0, 'the sender\'s connection was kept');
  });
});
