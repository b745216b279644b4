/**
 * The integration suite's own objects (dbo.hcmt_*), as T-SQL that runs unchanged on SQL Server:
 * dropped first (so a real server can be reused), then created. Constraint names are given, so
 * error texts can be compared exactly on both targets.
 */
export const FIXTURE_SCRIPT = `
IF OBJECT_ID('dbo.hcmt_ParentReport', 'P') IS NOT NULL DROP PROCEDURE dbo.hcmt_ParentReport;
IF OBJECT_ID('dbo.hcmt_Children', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Children;
IF OBJECT_ID('dbo.hcmt_Parents', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Parents;
IF OBJECT_ID('dbo.hcmt_Types', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Types;
IF OBJECT_ID('dbo.hcmt_Digits', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Digits;
IF OBJECT_ID('dbo.hcmt_Accounts', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Accounts;
IF OBJECT_ID('dbo.hcmt_Bulk', 'U') IS NOT NULL DROP TABLE dbo.hcmt_Bulk;
GO
CREATE TABLE dbo.hcmt_Types (
  Id int IDENTITY(1,1) NOT NULL PRIMARY KEY,
  I int NULL, Bi bigint NULL, Si smallint NULL, Ti tinyint NULL, B bit NULL,
  D decimal(19,4) NULL, N numeric(10,2) NULL, F float NULL, R real NULL, M money NULL,
  Vc varchar(50) NULL, Nvc nvarchar(50) NULL, C char(5) NULL, Nc nchar(5) NULL,
  VcMax varchar(max) NULL, NvcMax nvarchar(max) NULL,
  Dt datetime NULL, Dt2 datetime2(7) NULL, Da date NULL, Tm time(7) NULL, Dto datetimeoffset(7) NULL,
  G uniqueidentifier NULL, Vb varbinary(50) NULL, VbMax varbinary(max) NULL
);
CREATE TABLE dbo.hcmt_Parents (
  Id int NOT NULL PRIMARY KEY,
  Email nvarchar(100) NOT NULL CONSTRAINT UQ_hcmt_Parents_Email UNIQUE
);
CREATE TABLE dbo.hcmt_Children (
  Id int IDENTITY(1,1) NOT NULL CONSTRAINT PK_hcmt_Children PRIMARY KEY,
  ParentId int NOT NULL CONSTRAINT FK_hcmt_Children_Parents REFERENCES dbo.hcmt_Parents (Id),
  Name nvarchar(20) NOT NULL,
  Qty int NOT NULL CONSTRAINT CK_hcmt_Children_Qty CHECK (Qty > 0)
);
CREATE TABLE dbo.hcmt_Digits (D int NOT NULL PRIMARY KEY);
INSERT INTO dbo.hcmt_Digits (D) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
CREATE TABLE dbo.hcmt_Accounts (Id int NOT NULL PRIMARY KEY, Balance decimal(12,2) NOT NULL);
INSERT INTO dbo.hcmt_Accounts (Id, Balance) VALUES (1, 100.00), (2, 50.00);
INSERT INTO dbo.hcmt_Parents (Id, Email) VALUES (1, N'ann@example.com'), (2, N'bo@example.com');
INSERT INTO dbo.hcmt_Children (ParentId, Name, Qty) VALUES (1, N'first', 1), (1, N'second', 2), (2, N'third', 3);
GO
CREATE PROCEDURE dbo.hcmt_ParentReport
  @ParentId int,
  @ChildCount int OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SELECT Id, Email FROM dbo.hcmt_Parents WHERE Id = @ParentId;
  SELECT Id, Name, Qty FROM dbo.hcmt_Children WHERE ParentId = @ParentId ORDER BY Id;
  SELECT @ChildCount = COUNT(*) FROM dbo.hcmt_Children WHERE ParentId = @ParentId;
  RETURN 42;
END
`;

/** 100,000 numbered rows from five cross-joined digit tables (plain T-SQL, no numbers table needed). */
export const HUNDRED_THOUSAND_ROWS = `SELECT e.D * 10000 + d.D * 1000 + c.D * 100 + b.D * 10 + a.D AS N
FROM dbo.hcmt_Digits e CROSS JOIN dbo.hcmt_Digits d CROSS JOIN dbo.hcmt_Digits c CROSS JOIN dbo.hcmt_Digits b CROSS JOIN dbo.hcmt_Digits a
ORDER BY N`;
