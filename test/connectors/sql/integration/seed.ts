/**
 * The integration suite's own schema (Hcm* objects in dbo), as T-SQL that runs unchanged on SQL
 * Server and on the stand-in. The real server gets the objects dropped first; the stand-in starts
 * empty. 10,000 numbered rows feed the paging tests.
 */
import sql from 'mssql';

export const NUMBER_ROWS = 10_000;
export const SECRET_CODE = 'TOP-SECRET-7731';

export const DROP_BATCHES = [
  `IF OBJECT_ID('dbo.HcmCustomerOrders', 'P') IS NOT NULL DROP PROCEDURE dbo.HcmCustomerOrders;`,
  `IF OBJECT_ID('dbo.HcmLines', 'U') IS NOT NULL DROP TABLE dbo.HcmLines;
IF OBJECT_ID('dbo.HcmOrders', 'U') IS NOT NULL DROP TABLE dbo.HcmOrders;
IF OBJECT_ID('dbo.HcmCustomers', 'U') IS NOT NULL DROP TABLE dbo.HcmCustomers;
IF OBJECT_ID('dbo.HcmNumbers', 'U') IS NOT NULL DROP TABLE dbo.HcmNumbers;
IF OBJECT_ID('dbo.HcmQueue', 'U') IS NOT NULL DROP TABLE dbo.HcmQueue;
IF OBJECT_ID('dbo.HcmSecret', 'U') IS NOT NULL DROP TABLE dbo.HcmSecret;`,
];

export const CREATE_BATCHES = [
  `CREATE TABLE dbo.HcmCustomers (
  Id int IDENTITY(1,1) NOT NULL PRIMARY KEY,
  Name nvarchar(100) NOT NULL UNIQUE,
  City nvarchar(50) NULL
);
CREATE TABLE dbo.HcmOrders (
  Id int IDENTITY(1,1) NOT NULL PRIMARY KEY,
  CustomerId int NOT NULL FOREIGN KEY REFERENCES dbo.HcmCustomers (Id),
  Total decimal(38,10) NOT NULL DEFAULT 0,
  Big bigint NULL,
  Amount money NULL,
  PlacedAt datetimeoffset(7) NULL,
  Placed datetime2(7) NULL,
  Note nvarchar(200) NULL,
  Version rowversion
);
CREATE TABLE dbo.HcmLines (
  OrderId int NOT NULL,
  LineNo int NOT NULL,
  Sku varchar(20) NOT NULL,
  Qty int NOT NULL,
  PRIMARY KEY (OrderId, LineNo)
);
CREATE TABLE dbo.HcmNumbers (
  N int NOT NULL PRIMARY KEY,
  Label nvarchar(20) NOT NULL,
  Even bit NOT NULL
);
CREATE TABLE dbo.HcmQueue (
  Id int IDENTITY(1,1) NOT NULL PRIMARY KEY,
  Payload nvarchar(200) NOT NULL,
  Taken bit NOT NULL DEFAULT 0
);
CREATE TABLE dbo.HcmSecret (
  Id int NOT NULL PRIMARY KEY,
  Code nvarchar(50) NOT NULL
);`,
  `CREATE PROCEDURE dbo.HcmCustomerOrders
  @CustomerId int,
  @OrderCount int OUTPUT
AS
BEGIN
  SELECT Id, Name, City FROM dbo.HcmCustomers WHERE Id = @CustomerId;
  SELECT Id, Total FROM dbo.HcmOrders WHERE CustomerId = @CustomerId ORDER BY Id;
  SELECT @OrderCount = COUNT(*) FROM dbo.HcmOrders WHERE CustomerId = @CustomerId;
  RETURN 7;
END`,
  `INSERT INTO dbo.HcmCustomers (Name, City) VALUES (N'Contoso', N'Seattle'), (N'Fabrikam', N'Berlin'), (N'Northwind', NULL);
INSERT INTO dbo.HcmOrders (CustomerId, Total, Big, Amount, PlacedAt, Placed, Note) VALUES
  (1, 12345678901234567890.1234567891, 9223372036854775807, 922337203685477.5807, '2024-05-01T10:00:00.1234567+02:00', '2024-05-01T10:00:00.1234567', N'first'),
  (1, 0.5, -42, 1.25, '2024-05-02T00:00:00-05:30', '2024-05-02T00:00:00', N'second'),
  (2, 10, NULL, NULL, NULL, NULL, NULL);
INSERT INTO dbo.HcmLines (OrderId, LineNo, Sku, Qty) VALUES (1, 1, 'A-1', 2), (1, 2, 'B,2', 1), (2, 1, 'C''3', 5);
INSERT INTO dbo.HcmSecret (Id, Code) VALUES (1, N'${SECRET_CODE}');`,
];

/** INSERT batches for the numbered rows (1000 rows per statement, SQL Server's VALUES limit). */
export function numberBatches(): string[] {
  const batches: string[] = [];
  for (let start = 1; start <= NUMBER_ROWS; start += 1000) {
    const values: string[] = [];
    for (let n = start; n < start + 1000 && n <= NUMBER_ROWS; n += 1) values.push(`(${n}, N'n${n}', ${n % 2 === 0 ? 1 : 0})`);
    batches.push(`INSERT INTO dbo.HcmNumbers (N, Label, Even) VALUES ${values.join(', ')};`);
  }
  return batches;
}

export async function runBatches(config: sql.config, batches: string[]): Promise<void> {
  const pool = new sql.ConnectionPool(structuredClone(config));
  pool.on('error', () => undefined);
  await pool.connect();
  try {
    for (const batch of batches) await pool.request().batch(batch);
  } finally {
    await pool.close();
  }
}
