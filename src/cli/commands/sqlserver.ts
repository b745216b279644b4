/** `hcm sqlserver`: runs the SQL Server stand-in (TDS over SQLite) until SIGINT/SIGTERM. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateTlsIdentity, TlsIdentity } from '../../common/tls-certificate';
import { createLogger, silentLogger } from '../../common/logger';
import { DEMO_DATABASE, DEMO_LOGIN, demoSeedSql } from '../../emulators/sqlserver/demo';
import { Command, EXIT_OK, stringOption, UsageError } from '../command';
import { untilSignal } from '../signals';

const HELP = `Usage: hcm sqlserver [--port 1433] [--seed FILE] [--data FILE] [--tls-cert FILE --tls-key FILE]

Runs a stand-in for Microsoft SQL Server on 127.0.0.1: a TDS server that mssql/tedious (and the
product's SQL connector) talk to as to a real server, storing its data in an embedded SQLite
database (the optional dependency better-sqlite3). It speaks the T-SQL the connector sends and
people usually write — tables with IDENTITY, ROWVERSION, keys and constraints, procedures with
OUTPUT parameters, transactions, INFORMATION_SCHEMA — and answers with SQL Server's error numbers
and texts. On start it prints, alone on one line, an ADO.NET connection string for its login:

  Server=127.0.0.1,<port>;Database=${DEMO_DATABASE};User Id=${DEMO_LOGIN.user};Password=${DEMO_LOGIN.password};Encrypt=false

then runs until Ctrl+C (SIGINT) or SIGTERM. The login is a well-known DEVELOPMENT-ONLY credential;
the stand-in binds to 127.0.0.1 only.

TLS: a client that asks for encryption (Encrypt=true) gets TLS inside TDS, as from SQL Server.
The certificate is self-signed, made on the first start and kept in <home>/tls/hcm-sqlserver.crt
(its path and SHA-1 thumbprint are printed on stderr), unless --tls-cert/--tls-key name your own.
Clients either trust that file or say TrustServerCertificate=true; otherwise they refuse it.

The database starts with the demo data (dbo.Customers, dbo.Products, dbo.Orders, dbo.OrderLines
and a few procedures) unless --seed names another T-SQL script (GO-separated batches, as sqlcmd
reads them). A seed runs only into an empty database, so --data keeps its contents across runs.

Options:
  --port N       port (default 1433; 0 = any free port, shown in the printed string; env HCM_SQL_PORT)
  --seed FILE    T-SQL script to create and fill the database instead of the demo data
  --data FILE    keep the database in this SQLite file (default: in memory, gone on exit)
  --tls-cert FILE, --tls-key FILE
                 PEM certificate and private key to use instead of the generated one (both or neither)
  --home DIR     ignored (accepted by every command)
  -h, --help     show this help

Output: the connection string goes to stdout; messages go to stderr, and so does the stand-in's
JSON log when HCM_LOG_LEVEL (debug, info, …) turns it on.

Exit codes: 0 stopped by a signal, 1 could not start (e.g. the port is in use, a seed error),
2 bad option.`;

export const sqlserverCommand: Command = {
  name: 'sqlserver',
  summary: 'Run the SQL Server stand-in (TDS over SQLite) for development and tests.',
  help: HELP,
  options: { port: { type: 'string' }, seed: { type: 'string' }, data: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' } },
  async run(context) {
    const portText = stringOption(context, 'port') ?? context.env.HCM_SQL_PORT;
    if (portText !== undefined && (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)) throw new UsageError('--port must be a whole number from 0 to 65535.');
    const port = portText === undefined ? 1433 : Number(portText);
    const seedFile = stringOption(context, 'seed');
    let seedSql: string;
    try {
      seedSql = seedFile ? fs.readFileSync(seedFile, 'utf8') : demoSeedSql();
    } catch (error) {
      throw new UsageError(`--seed ${seedFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
    }
    let tls: TlsIdentity;
    try {
      tls = loadOrCreateTlsIdentity({
        dir: path.join(context.home, 'tls'), name: 'hcm-sqlserver', hosts: ['localhost', '127.0.0.1', os.hostname()],
        certFile: stringOption(context, 'tls-cert'), keyFile: stringOption(context, 'tls-key'),
      });
    } catch (error) {
      throw new UsageError(`--tls-cert/--tls-key: ${(error as Error).message}`);
    }
    // The stand-in loads only when this command runs, not for every hcm call.
    const { SqlServerStandIn } = await import('../../emulators/sqlserver/server');
    const server = new SqlServerStandIn({ port, seedSql, tls, dataFile: stringOption(context, 'data'), logger: context.env.HCM_LOG_LEVEL ? createLogger({ name: 'sqlserver-stand-in', toStderr: true }) : silentLogger() });
    await server.start();
    context.print(server.connectionString());
    const { host, port: bound } = server.address();
    context.printError(`SQL Server stand-in listening on ${host}:${bound}, database ${DEMO_DATABASE} (development login; Ctrl+C stops).`);
    context.printError(`TLS certificate for Encrypt=true: ${tls.certPath} (SHA-1 thumbprint ${tls.sha1Thumbprint}); trust it or use TrustServerCertificate=true.`);
    const signal = await untilSignal();
    context.printError(`SQL Server stand-in stopping (${signal}).`);
    await server.close();
    return EXIT_OK;
  },
};
