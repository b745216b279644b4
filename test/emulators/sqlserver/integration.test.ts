/**
 * The stand-in judged by the real client: mssql (and tedious) over real sockets, the same suite
 * against the TDS stand-in and — when HCM_TEST_SQLSERVER holds a connection string — against a
 * real SQL Server, so the two can be compared.
 */
import { after, before, describe } from 'node:test';
import { openPool, runScript, TARGETS } from './target';
import { FIXTURE_SCRIPT } from './fixtures';
import { SuiteContext } from './suites/context';
import { basicsSuite } from './suites/basics';
import { typesSuite } from './suites/types';
import { transactionsSuite } from './suites/transactions';
import { streamingSuite } from './suites/streaming';
import { bulkSuite } from './suites/bulk';
import { errorsSuite } from './suites/errors';
import { languageSuite } from './suites/language';
import { exactValuesSuite } from './suites/exact-values';
import { sessionSemanticsSuite } from './suites/session-semantics';
import { tableTypesSuite } from './suites/table-types';

for (const definition of TARGETS) {
  describe(`mssql against ${definition.name}`, { skip: definition.unavailable }, () => {
    const context = new SuiteContext();
    before(async () => {
      context.target = await definition.start();
      context.pool = await openPool(context.target.config);
      await runScript(context.pool, FIXTURE_SCRIPT);
    });
    after(async () => {
      await context.pool?.close();
      await context.target?.close();
    });
    describe('queries, procedures and metadata', () => basicsSuite(context));
    describe('types both ways', () => typesSuite(context));
    describe('transactions and locking', () => transactionsSuite(context));
    describe('streaming and cancellation', () => streamingSuite(context));
    describe('bulk insert', () => bulkSuite(context));
    describe('error numbers and texts', () => errorsSuite(context));
    describe('the wider T-SQL language', () => languageSuite(context));
    describe('exact decimals and datetimeoffset instants', () => exactValuesSuite(context));
    describe('session semantics: dates, SET options, temporary objects, concurrency', () => sessionSemanticsSuite(context));
    describe('table types, table variables, table-valued parameters and triggers', () => tableTypesSuite(context));
  });
}
