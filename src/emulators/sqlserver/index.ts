/**
 * The SQL Server stand-in: a TDS server backed by SQLite, for development and tests. Only
 * `src/cli` wires it (`hcm sqlserver`, `hcm demo`); the product never imports it.
 */
export { SqlServerStandIn } from './server';
export type { SqlServerStandInOptions, StandInFaults } from './server';
export { DEMO_DATABASE, DEMO_LOGIN, demoSeedSql } from './demo';
