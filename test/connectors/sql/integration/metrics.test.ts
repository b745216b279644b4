/**
 * The connector's Prometheus metrics through real HTTP → connector → mssql → target: requests by
 * route template and status, their duration, SQL errors by number, the pool's size, connections in
 * use and waiters (stand-in: slowed down so callers queue); and /metrics refused to a request
 * carrying the headers the listener puts on every relayed call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOutgoingRequest } from '../../../../src/listener/forwarding/request-passes';
import { metricTypes, sampleValue } from '../../../common/prometheus-text';
import { RunningConnector, SITE, withConnector } from './connector';
import { RunningTarget, TARGETS } from './targets';

for (const definition of TARGETS) {
  describe(`SQL connector metrics (${definition.name})`, { skip: definition.unavailable }, () => {
    let connector: RunningConnector;
    let target: RunningTarget;
    withConnector(definition, (t, c) => {
      target = t;
      connector = c;
    });
    const scrape = async () => {
      const response = await connector.http.get('/metrics');
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/);
      return response.text;
    };

    it('counts requests by route template and status, SQL errors by number, and shows the pool', async () => {
      const before = await scrape();
      const okBefore = sampleValue(before, 'hcm_connector_requests_total', { route: '/tables/:table/items', method: 'GET', status: '200' }) ?? 0;
      assert.equal((await connector.http.get('/tables/HcmCustomers/items?$top=1')).status, 200);
      assert.equal((await connector.http.get('/tables/HcmOrders/items?$top=1')).status, 200);
      assert.equal((await connector.http.get('/no/such/path')).status, 404);
      await connector.http.post('/tables/HcmCustomers/items').send({ Name: 'Metrics-dup' });
      const duplicate = await connector.http.post('/tables/HcmCustomers/items').send({ Name: 'Metrics-dup' });
      assert.equal(duplicate.status, 409, duplicate.text);
      const number = String(duplicate.body.error.sqlErrorNumber);
      assert.match(number, /^(2627|2601)$/);

      const text = await scrape();
      const labels = { site: SITE, route: '/tables/:table/items', method: 'GET', status: '200' };
      assert.equal(sampleValue(text, 'hcm_connector_requests_total', labels), okBefore + 2, 'two tables, one route template');
      assert.equal(sampleValue(text, 'hcm_connector_requests_total', { route: '/tables/:table/items', method: 'POST', status: '409' }), 1);
      assert.equal(sampleValue(text, 'hcm_connector_requests_total', { route: 'unmatched', method: 'GET', status: '404' }), 1);
      assert.ok(!text.includes('/no/such/path'), 'raw paths never become label values');
      assert.ok((sampleValue(text, 'hcm_connector_request_duration_seconds_count', { route: '/tables/:table/items', method: 'GET' }) ?? 0) >= 2);
      assert.equal(sampleValue(text, 'hcm_connector_sql_errors_total', { site: SITE, number, code: 'UniqueViolation' }), 1);
      assert.ok((sampleValue(text, 'hcm_connector_sql_pool_size', { site: SITE }) ?? 0) >= 1);
      assert.equal(sampleValue(text, 'hcm_connector_sql_pool_waiters'), 0);
      assert.equal(metricTypes(text).get('hcm_connector_request_duration_seconds'), 'histogram');
      assert.equal(metricTypes(text).get('process_cpu_seconds_total'), 'counter', "prom-client's process metrics are there too");
    });

    it('shows callers waiting for a pool connection while every connection is busy', { skip: definition.name.includes('stand-in') ? false : 'needs the stand-in to slow the server down' }, async () => {
      target.standIn!.faults.setResponseDelay(1000);
      try {
        let settled = false;
        const calls = Promise.all(Array.from({ length: 14 }, () => connector.http.get('/tables/HcmNumbers/items?$top=1').then((r) => r.status)))
          .finally(() => (settled = true));
        // Sampled while the calls run: the most seen at once of each gauge.
        const most = { size: 0, inUse: 0, waiters: 0 };
        while (!settled) {
          const text = await scrape();
          most.size = Math.max(most.size, sampleValue(text, 'hcm_connector_sql_pool_size') ?? 0);
          most.inUse = Math.max(most.inUse, sampleValue(text, 'hcm_connector_sql_pool_in_use') ?? 0);
          most.waiters = Math.max(most.waiters, sampleValue(text, 'hcm_connector_sql_pool_waiters') ?? 0);
        }
        assert.deepEqual([...new Set(await calls)], [200]);
        assert.equal(most.size, 10, 'the pool holds at most 10 connections, and grew to them');
        assert.equal(most.inUse, 10, JSON.stringify(most));
        assert.ok(most.waiters >= 4, `14 callers for 10 connections: at least 4 waited (${JSON.stringify(most)})`);
        assert.equal(sampleValue(await scrape(), 'hcm_connector_sql_pool_waiters'), 0, 'nobody waits afterwards');
      } finally {
        target.standIn!.faults.setResponseDelay(0);
      }
    });

    it('answers 404 to /metrics carrying the headers the listener adds to every relayed call', async () => {
      // The caller tries to look local: no forwarding headers of its own, or empty ones.
      for (const callerHeaders of [{}, { 'x-forwarded-prefix': '', 'x-forwarded-for': '' }]) {
        const relayed = buildOutgoingRequest(
          { method: 'GET', target: '/sql-orders/metrics', headers: { host: 'contoso.servicebus.windows.net', ...callerHeaders }, remoteAddress: '203.0.113.9' },
          { connector: SITE, port: 1, entityPath: 'sql-orders', proto: 'https', namespace: 'contoso.servicebus.windows.net' },
        );
        assert.equal(relayed.path, '/metrics');
        const request = connector.http.get(relayed.path);
        for (const [name, value] of Object.entries(relayed.headers)) if (name !== 'host' && value !== undefined) request.set(name, value as string);
        const response = await request;
        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, 'NotFound');
        assert.ok(!response.text.includes('hcm_'));
      }
      for (const spelling of ['/METRICS', '/metrics/']) {
        assert.equal((await connector.http.get(spelling).set('X-Forwarded-Prefix', '/sql-orders')).status, 404, spelling);
        assert.equal((await connector.http.get(spelling)).status, 200, `${spelling} answers locally`);
      }
      assert.equal((await connector.http.post('/metrics').set('X-Forwarded-For', '203.0.113.9')).status, 404, 'no 405 hint either');
    });
  });
}
