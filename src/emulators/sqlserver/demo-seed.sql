-- HCM demo database: customers, products, orders and order lines, and a few procedures.
-- Plain T-SQL that also runs unchanged on SQL Server (sqlcmd -d HcmDemo -i demo-seed.sql).
-- dbo.Orders has an IDENTITY key; dbo.Products has a ROWVERSION column (for "modified" triggers).
SET NOCOUNT ON;
GO
CREATE TABLE dbo.Customers (
  CustomerId int IDENTITY(1,1) NOT NULL CONSTRAINT PK_Customers PRIMARY KEY,
  Name nvarchar(100) NOT NULL,
  Email nvarchar(200) NOT NULL CONSTRAINT UQ_Customers_Email UNIQUE,
  City nvarchar(60) NULL,
  Country nvarchar(60) NOT NULL CONSTRAINT DF_Customers_Country DEFAULT N'USA',
  CreatedAt datetime2(3) NOT NULL CONSTRAINT DF_Customers_CreatedAt DEFAULT SYSUTCDATETIME()
);
CREATE TABLE dbo.Products (
  ProductId int IDENTITY(1,1) NOT NULL CONSTRAINT PK_Products PRIMARY KEY,
  Sku varchar(20) NOT NULL CONSTRAINT UQ_Products_Sku UNIQUE,
  Name nvarchar(100) NOT NULL,
  UnitPrice decimal(10,2) NOT NULL CONSTRAINT CK_Products_UnitPrice CHECK (UnitPrice >= 0),
  InStock int NOT NULL CONSTRAINT DF_Products_InStock DEFAULT 0,
  Discontinued bit NOT NULL CONSTRAINT DF_Products_Discontinued DEFAULT 0,
  RowVersion rowversion NOT NULL
);
CREATE TABLE dbo.Orders (
  OrderId int IDENTITY(1000,1) NOT NULL CONSTRAINT PK_Orders PRIMARY KEY,
  CustomerId int NOT NULL CONSTRAINT FK_Orders_Customers REFERENCES dbo.Customers (CustomerId),
  OrderDate datetime2(0) NOT NULL,
  Status varchar(20) NOT NULL CONSTRAINT DF_Orders_Status DEFAULT 'New',
  Total money NULL,
  Notes nvarchar(max) NULL,
  TrackingId uniqueidentifier NULL
);
CREATE TABLE dbo.OrderLines (
  OrderId int NOT NULL CONSTRAINT FK_OrderLines_Orders REFERENCES dbo.Orders (OrderId) ON DELETE CASCADE,
  LineNumber smallint NOT NULL,
  ProductId int NOT NULL CONSTRAINT FK_OrderLines_Products REFERENCES dbo.Products (ProductId),
  Quantity int NOT NULL CONSTRAINT CK_OrderLines_Quantity CHECK (Quantity > 0),
  UnitPrice decimal(10,2) NOT NULL,
  CONSTRAINT PK_OrderLines PRIMARY KEY (OrderId, LineNumber)
);
CREATE INDEX IX_Orders_CustomerId ON dbo.Orders (CustomerId);
GO
-- 60 customers
DECLARE @i int = 1;
WHILE @i <= 60
BEGIN
  DECLARE @first nvarchar(20) = CHOOSE(@i % 10 + 1, N'Alice', N'Bruno', N'Chen', N'Dana', N'Emeka', N'Fatima', N'Gustav', N'Hana', N'Ivan', N'Júlia');
  DECLARE @last nvarchar(20) = CHOOSE(@i % 7 + 1, N'Smith', N'García', N'Müller', N'Okafor', N'Tanaka', N'Rossi', N'Novak');
  INSERT INTO dbo.Customers (Name, Email, City, Country)
  VALUES (@first + N' ' + @last, LOWER(@first) + N'.' + CAST(@i AS nvarchar(10)) + N'@example.com',
    CHOOSE(@i % 6 + 1, N'Seattle', N'Berlin', N'Lagos', N'Osaka', N'Porto', NULL),
    CHOOSE(@i % 6 + 1, N'USA', N'Germany', N'Nigeria', N'Japan', N'Portugal', N'USA'));
  SET @i = @i + 1;
END;
GO
-- 40 products
DECLARE @i int = 1;
WHILE @i <= 40
BEGIN
  INSERT INTO dbo.Products (Sku, Name, UnitPrice, InStock, Discontinued)
  VALUES ('SKU-' + RIGHT('0000' + CAST(@i AS varchar(4)), 4),
    CHOOSE(@i % 5 + 1, N'Classic', N'Deluxe', N'Compact', N'Outdoor', N'Smart') + N' ' + CHOOSE(@i % 8 + 1, N'Kettle', N'Lamp', N'Chair', N'Backpack', N'Speaker', N'Mug', N'Tent', N'Clock'),
    CAST((@i * 37) % 500 AS decimal(10,2)) + 0.99,
    (@i * 13) % 120,
    CASE WHEN @i % 11 = 0 THEN 1 ELSE 0 END);
  SET @i = @i + 1;
END;
GO
-- 200 orders with 1 to 3 lines each
DECLARE @i int = 1;
DECLARE @orderId int;
DECLARE @line int;
WHILE @i <= 200
BEGIN
  INSERT INTO dbo.Orders (CustomerId, OrderDate, Status, Notes)
  VALUES ((@i * 7) % 60 + 1, DATEADD(hour, @i * 5, CAST('2024-01-01T08:00:00' AS datetime2(0))),
    CHOOSE(@i % 4 + 1, 'New', 'Shipped', 'Delivered', 'Cancelled'),
    CASE WHEN @i % 9 = 0 THEN N'Leave at the front desk.' END);
  SET @orderId = SCOPE_IDENTITY();
  SET @line = 1;
  WHILE @line <= @i % 3 + 1
  BEGIN
    INSERT INTO dbo.OrderLines (OrderId, LineNumber, ProductId, Quantity, UnitPrice)
    SELECT @orderId, @line, ProductId, (@i + @line) % 4 + 1, UnitPrice
    FROM dbo.Products WHERE ProductId = (@i * 3 + @line * 11) % 40 + 1;
    SET @line = @line + 1;
  END;
  SET @i = @i + 1;
END;
UPDATE o SET Total = (SELECT SUM(l.Quantity * l.UnitPrice) FROM dbo.OrderLines l WHERE l.OrderId = o.OrderId)
FROM dbo.Orders o;
UPDATE dbo.Orders SET TrackingId = NEWID() WHERE Status IN ('Shipped', 'Delivered');
GO
-- One customer and their orders: two result sets and an OUTPUT parameter.
CREATE PROCEDURE dbo.GetCustomerOrders
  @CustomerId int,
  @OrderCount int OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SELECT CustomerId, Name, Email, City, Country FROM dbo.Customers WHERE CustomerId = @CustomerId;
  SELECT OrderId, OrderDate, Status, Total FROM dbo.Orders WHERE CustomerId = @CustomerId ORDER BY OrderDate;
  SELECT @OrderCount = COUNT(*) FROM dbo.Orders WHERE CustomerId = @CustomerId;
  IF @OrderCount = 0 RETURN 1;
  RETURN 0;
END
GO
-- An order with its lines (two result sets).
CREATE PROCEDURE dbo.GetOrderDetails
  @OrderId int
AS
BEGIN
  SET NOCOUNT ON;
  SELECT o.OrderId, o.OrderDate, o.Status, o.Total, c.Name AS CustomerName
  FROM dbo.Orders o JOIN dbo.Customers c ON c.CustomerId = o.CustomerId
  WHERE o.OrderId = @OrderId;
  SELECT l.LineNumber, p.Sku, p.Name, l.Quantity, l.UnitPrice, l.Quantity * l.UnitPrice AS LineTotal
  FROM dbo.OrderLines l JOIN dbo.Products p ON p.ProductId = l.ProductId
  WHERE l.OrderId = @OrderId ORDER BY l.LineNumber;
END
GO
-- Places a one-line order in a transaction; returns the new order id.
CREATE PROCEDURE dbo.PlaceOrder
  @CustomerId int,
  @ProductId int,
  @Quantity int,
  @OrderId int OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  BEGIN TRY
    BEGIN TRANSACTION;
    INSERT INTO dbo.Orders (CustomerId, OrderDate, Status) VALUES (@CustomerId, SYSUTCDATETIME(), 'New');
    SET @OrderId = SCOPE_IDENTITY();
    INSERT INTO dbo.OrderLines (OrderId, LineNumber, ProductId, Quantity, UnitPrice)
    SELECT @OrderId, 1, ProductId, @Quantity, UnitPrice FROM dbo.Products WHERE ProductId = @ProductId;
    UPDATE dbo.Orders SET Total = (SELECT SUM(Quantity * UnitPrice) FROM dbo.OrderLines WHERE OrderId = @OrderId) WHERE OrderId = @OrderId;
    UPDATE dbo.Products SET InStock = InStock - @Quantity WHERE ProductId = @ProductId;
    COMMIT TRANSACTION;
    RETURN 0;
  END TRY
  BEGIN CATCH
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
    THROW;
  END CATCH
END
GO
-- Products whose name or SKU contains a term (all of them without one).
CREATE PROCEDURE dbo.SearchProducts
  @Term nvarchar(50) = NULL,
  @IncludeDiscontinued bit = 0
AS
BEGIN
  SET NOCOUNT ON;
  SELECT ProductId, Sku, Name, UnitPrice, InStock, Discontinued
  FROM dbo.Products
  WHERE (@Term IS NULL OR Name LIKE N'%' + @Term + N'%' OR Sku LIKE '%' + @Term + '%')
    AND (@IncludeDiscontinued = 1 OR Discontinued = 0)
  ORDER BY Name;
END
GO
