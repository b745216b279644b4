/** Manifests and configuration strings shared by the config tests. */
import { Manifest, emptyManifest } from '../../src/config/manifest';

export const TEST_KEY = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGw=';

export function sampleManifest(): Manifest {
  const manifest = emptyManifest();
  manifest.connectors.push({
    site: 'MicrosoftSqlConnector_001',
    appPool: 'HybridAppPool001',
    port: 6569,
    kind: 'sql',
    hybridConnection: {
      endpoint: 'sb://contoso.servicebus.windows.net/',
      entityPath: 'sql-orders',
      keyName: 'listen',
      key: TEST_KEY,
      emulator: false,
    },
    settings: {
      server: 'sql01.corp.local',
      port: 1433,
      database: 'Orders',
      user: 'hcm_reader',
      password: 'not-a-real-password',
      encrypt: true,
      trustServerCertificate: false,
      tables: ['Orders', 'dbo.OrderLines'],
      procedures: ['dbo.GetOrderSummary'],
      allowQuery: false,
      requestTimeoutMs: 45000,
      maxRequestBytes: 10485760,
      pageSize: 1000,
    },
  });
  return manifest;
}
