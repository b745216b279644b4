// Drives the SQL Server stand-in with Microsoft.Data.SqlClient, a client we did not write: every
// demo table and column type (NOT NULL and NULL), OUTPUT, procedures with output parameters,
// transactions, SQL Server's error numbers, bulk copy and Encrypt=true. One process runs every case
// and prints one line per case: "PASS <name>" or "FAIL <name>: <reason>" (read by sqlclient.test.ts).
// Usage: sqlclient-probe "<connection string with Encrypt=false>" [part of a case name, to run only those]
using System.Data;
using Microsoft.Data.SqlClient;

var baseString = args.Length > 0 ? args[0] : throw new ArgumentException("Give the stand-in's connection string.");
var cases = new List<(string Name, Func<Task> Run)>();
void Case(string name, Func<Task> run) => cases.Add((name, run));

SqlConnection Open(string? extra = null)
{
    var connection = new SqlConnection(extra == null ? baseString : $"{baseString};{extra}");
    connection.Open();
    return connection;
}

static void Expect(bool condition, string what)
{
    if (!condition) throw new Exception(what);
}

static void Equal<T>(T expected, T actual, string what)
{
    if (!EqualityComparer<T>.Default.Equals(expected, actual)) throw new Exception($"{what}: expected {expected}, got {actual}");
}

Case("NOT NULL int column read with GetInt32 (TOP 2 OrderId)", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand("SELECT TOP 2 OrderId FROM dbo.Orders ORDER BY OrderId", c).ExecuteReaderAsync();
    var ids = new List<int>();
    while (await r.ReadAsync()) ids.Add(r.GetInt32(0));
    Equal("1000,1001", string.Join(",", ids), "order ids");
});

Case("every column of dbo.Customers (identity, nvarchar NOT NULL/NULL, datetime2(3))", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand("SELECT CustomerId, Name, Email, City, Country, CreatedAt FROM dbo.Customers ORDER BY CustomerId", c).ExecuteReaderAsync();
    int rows = 0, nullCities = 0;
    while (await r.ReadAsync())
    {
        rows++;
        r.GetInt32(0); r.GetString(1); r.GetString(2);
        if (r.IsDBNull(3)) nullCities++; else r.GetString(3);
        r.GetString(4);
        Expect(r.GetDateTime(5).Year >= 2000, "CreatedAt is a recent datetime2");
        Equal(typeof(DateTime), r.GetFieldType(5), "CreatedAt field type");
    }
    Equal(60, rows, "customers");
    Expect(nullCities > 0, "some City values are NULL");
});

Case("every column of dbo.Products (varchar, decimal, int, bit, rowversion)", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand("SELECT ProductId, Sku, Name, UnitPrice, InStock, Discontinued, RowVersion FROM dbo.Products ORDER BY ProductId", c).ExecuteReaderAsync();
    int rows = 0;
    while (await r.ReadAsync())
    {
        rows++;
        r.GetInt32(0); r.GetString(1); r.GetString(2);
        Expect(r.GetDecimal(3) >= 0, "UnitPrice");
        r.GetInt32(4); r.GetBoolean(5);
        Equal(8, ((byte[])r.GetValue(6)).Length, "rowversion length");
    }
    Equal(40, rows, "products");
});

Case("every column of dbo.Orders (datetime2(0), varchar, money NULL, nvarchar(max) NULL, uniqueidentifier NULL)", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand("SELECT OrderId, CustomerId, OrderDate, Status, Total, Notes, TrackingId FROM dbo.Orders ORDER BY OrderId", c).ExecuteReaderAsync();
    int rows = 0, guids = 0, totals = 0;
    while (await r.ReadAsync())
    {
        rows++;
        r.GetInt32(0); r.GetInt32(1); r.GetDateTime(2); r.GetString(3);
        if (!r.IsDBNull(4)) { r.GetDecimal(4); totals++; }
        if (!r.IsDBNull(5)) r.GetString(5);
        if (!r.IsDBNull(6)) { r.GetGuid(6); guids++; }
    }
    Expect(rows >= 200, "orders");
    Expect(guids > 0 && totals > 0, "some TrackingId and Total values");
});

Case("every column of dbo.OrderLines (smallint NOT NULL, decimal)", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand("SELECT OrderId, LineNumber, ProductId, Quantity, UnitPrice FROM dbo.OrderLines", c).ExecuteReaderAsync();
    int rows = 0;
    while (await r.ReadAsync()) { rows++; r.GetInt32(0); r.GetInt16(1); r.GetInt32(2); r.GetInt32(3); r.GetDecimal(4); }
    Expect(rows > 0, "order lines");
});

Case("literals of every fixed-length type, NOT NULL and NULL", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand(@"SELECT CAST(7 AS tinyint), CAST(-2 AS smallint), 3, CAST(3000000000 AS bigint), CAST(1 AS bit),
        CAST(1.5 AS real), CAST(2.5 AS float), CAST(3.25 AS money), CAST(4.5 AS smallmoney),
        CAST('2024-01-05T10:00:00' AS datetime), CAST('2024-01-05T10:00:00' AS smalldatetime),
        CAST(NULL AS int), CAST(NULL AS bit), CAST(NULL AS float), CAST(NULL AS money), CAST(NULL AS datetime)", c).ExecuteReaderAsync();
    Expect(await r.ReadAsync(), "one row");
    Equal((byte)7, r.GetByte(0), "tinyint"); Equal((short)-2, r.GetInt16(1), "smallint"); Equal(3, r.GetInt32(2), "int");
    Equal(3000000000L, r.GetInt64(3), "bigint"); Equal(true, r.GetBoolean(4), "bit"); Equal(1.5f, r.GetFloat(5), "real");
    Equal(2.5, r.GetDouble(6), "float"); Equal(3.25m, r.GetDecimal(7), "money"); Equal(4.5m, r.GetDecimal(8), "smallmoney");
    Equal(new DateTime(2024, 1, 5, 10, 0, 0), r.GetDateTime(9), "datetime"); Equal(new DateTime(2024, 1, 5, 10, 0, 0), r.GetDateTime(10), "smalldatetime");
    for (var i = 11; i <= 15; i++) Expect(r.IsDBNull(i), $"column {i} is NULL");
});

Case("date, time(7), datetime2(7), datetimeoffset(7) with all seven digits", async () =>
{
    using var c = Open();
    using var r = await new SqlCommand(@"SELECT CAST('2024-01-05' AS date), CAST('23:59:59.9999999' AS time(7)),
        CAST('2024-12-31 23:59:59.9999999' AS datetime2(7)), CAST('2024-12-31 23:59:59.9999999 +05:30' AS datetimeoffset(7))", c).ExecuteReaderAsync();
    Expect(await r.ReadAsync(), "one row");
    Equal(new DateTime(2024, 1, 5), r.GetDateTime(0), "date");
    Equal(TimeSpan.FromTicks(863_999_999_999), r.GetTimeSpan(1), "time(7)");
    Equal(new DateTime(2024, 12, 31, 23, 59, 59).AddTicks(9_999_999), r.GetDateTime(2), "datetime2(7)");
    Equal(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(330)).AddTicks(9_999_999), r.GetDateTimeOffset(3), "datetimeoffset(7)");
});

Case("parameters of every demo column type round-trip", async () =>
{
    using var c = Open();
    var cmd = new SqlCommand("SELECT @i, @s, @v, @n, @d, @m, @b, @g, @dt, @bin, @sm", c);
    var guid = Guid.NewGuid();
    cmd.Parameters.Add("@i", SqlDbType.Int).Value = 42;
    cmd.Parameters.Add("@s", SqlDbType.NVarChar, 100).Value = "Zoë";
    cmd.Parameters.Add("@v", SqlDbType.VarChar, 20).Value = "SKU-1";
    cmd.Parameters.Add("@n", SqlDbType.NVarChar, -1).Value = new string('n', 5000);
    var dec = cmd.Parameters.Add("@d", SqlDbType.Decimal); dec.Precision = 10; dec.Scale = 2; dec.Value = 12.34m;
    cmd.Parameters.Add("@m", SqlDbType.Money).Value = 99.99m;
    cmd.Parameters.Add("@b", SqlDbType.Bit).Value = true;
    cmd.Parameters.Add("@g", SqlDbType.UniqueIdentifier).Value = guid;
    cmd.Parameters.Add("@dt", SqlDbType.DateTime2).Value = new DateTime(2024, 2, 29, 12, 0, 0);
    cmd.Parameters.Add("@bin", SqlDbType.VarBinary, 8).Value = new byte[] { 1, 2, 3 };
    cmd.Parameters.Add("@sm", SqlDbType.SmallInt).Value = (short)5;
    using var r = await cmd.ExecuteReaderAsync();
    Expect(await r.ReadAsync(), "one row");
    Equal(42, r.GetInt32(0), "int"); Equal("Zoë", r.GetString(1), "nvarchar"); Equal("SKU-1", r.GetString(2), "varchar");
    Equal(5000, r.GetString(3).Length, "nvarchar(max)"); Equal(12.34m, r.GetDecimal(4), "decimal"); Equal(99.99m, r.GetDecimal(5), "money");
    Equal(true, r.GetBoolean(6), "bit"); Equal(guid, r.GetGuid(7), "uniqueidentifier"); Equal(new DateTime(2024, 2, 29, 12, 0, 0), r.GetDateTime(8), "datetime2");
    Equal("010203", Convert.ToHexString((byte[])r.GetValue(9)), "varbinary"); Equal((short)5, r.GetInt16(10), "smallint");
});

Case("sql_variant column written with SqlDbType.Variant parameters and read back with each base type", async () =>
{
    using var c = Open();
    await new SqlCommand("CREATE TABLE #v (Id int NOT NULL, V sql_variant NULL)", c).ExecuteNonQueryAsync();
    var guid = Guid.NewGuid();
    // SqlClient sends a decimal variant as NUMERICN (MS-TDS 2.2.5.5.4), so its base type reads numeric.
    var values = new object?[] { 42, "abc", 12.5m, new DateTime(2024, 2, 29, 12, 0, 0), guid, new byte[] { 1, 2 }, 7L, null };
    for (var i = 0; i < values.Length; i++)
    {
        var insert = new SqlCommand("INSERT INTO #v (Id, V) VALUES (@id, @v)", c);
        insert.Parameters.Add("@id", SqlDbType.Int).Value = i;
        insert.Parameters.Add("@v", SqlDbType.Variant).Value = values[i] ?? DBNull.Value;
        await insert.ExecuteNonQueryAsync();
    }
    using (var r = await new SqlCommand("SELECT Id, V, SQL_VARIANT_PROPERTY(V, 'BaseType') FROM #v ORDER BY Id", c).ExecuteReaderAsync())
    {
        var i = 0;
        var bases = new List<string>();
        while (await r.ReadAsync())
        {
            var v = r.GetValue(1);
            if (values[i] is byte[] bytes) Equal(Convert.ToHexString(bytes), Convert.ToHexString((byte[])v), "varbinary variant");
            else Equal(values[i] ?? DBNull.Value, v, $"variant {i}");
            bases.Add(r.IsDBNull(2) ? "NULL" : (string)r.GetValue(2));
            i++;
        }
        Equal(values.Length, i, "rows");
        Equal("int,nvarchar,numeric,datetime,uniqueidentifier,varbinary,bigint,NULL", string.Join(",", bases), "base types");
    }
    Equal(0, (int)(await new SqlCommand("SELECT Id FROM #v WHERE V = 42", c).ExecuteScalarAsync())!, "compare with int");
    Equal("4", Convert.ToString(await new SqlCommand("SELECT COUNT(*) FROM #v WHERE V > N'zzz'", c).ExecuteScalarAsync()), "numbers and dates sort above strings");
    Equal(11, (int)(await new SqlCommand("SELECT CAST(CAST(11 AS sql_variant) AS int)", c).ExecuteScalarAsync())!, "cast from sql_variant");
    var output = new SqlCommand("SET @o = SQL_VARIANT_PROPERTY(@v, 'BaseType')", c);
    output.Parameters.Add("@v", SqlDbType.Variant).Value = 2.5;
    var o = output.Parameters.Add("@o", SqlDbType.Variant); o.Direction = ParameterDirection.Output;
    await output.ExecuteNonQueryAsync();
    Equal("float", (string)o.Value, "sql_variant OUTPUT parameter");
});

Case("INSERT … OUTPUT inserted.* returns the identity and defaults", async () =>
{
    using var c = Open();
    var cmd = new SqlCommand("INSERT INTO dbo.Customers (Name, Email) OUTPUT inserted.CustomerId, inserted.Country, inserted.CreatedAt VALUES (@n, @e)", c);
    cmd.Parameters.AddWithValue("@n", "SqlClient Probe");
    cmd.Parameters.AddWithValue("@e", $"probe-{Guid.NewGuid():N}@example.test");
    using var r = await cmd.ExecuteReaderAsync();
    Expect(await r.ReadAsync(), "one row");
    Expect(r.GetInt32(0) > 60, "new identity");
    Equal("USA", r.GetString(1), "default country");
    r.GetDateTime(2);
});

Case("UPDATE and DELETE report their row counts", async () =>
{
    using var c = Open();
    var updated = await new SqlCommand("UPDATE dbo.Products SET InStock = InStock WHERE ProductId <= 3", c).ExecuteNonQueryAsync();
    Equal(3, updated, "rows updated");
    var deleted = await new SqlCommand("DELETE FROM dbo.Customers WHERE Email LIKE 'nobody-%'", c).ExecuteNonQueryAsync();
    Equal(0, deleted, "rows deleted");
});

Case("procedure with an output parameter and a return value (dbo.GetCustomerOrders)", async () =>
{
    using var c = Open();
    var cmd = new SqlCommand("dbo.GetCustomerOrders", c) { CommandType = CommandType.StoredProcedure };
    cmd.Parameters.AddWithValue("@CustomerId", 1);
    var count = cmd.Parameters.Add("@OrderCount", SqlDbType.Int); count.Direction = ParameterDirection.Output;
    var ret = cmd.Parameters.Add("@RETURN_VALUE", SqlDbType.Int); ret.Direction = ParameterDirection.ReturnValue;
    int sets = 0;
    using (var r = await cmd.ExecuteReaderAsync())
    {
        do { sets++; while (await r.ReadAsync()) { } } while (await r.NextResultAsync());
    }
    Equal(2, sets, "result sets");
    Expect(count.Value is int n && n >= 0, "output parameter");
    Expect(ret.Value is int rv && (rv == 0 || rv == 1), "return value");
});

Case("procedures dbo.GetOrderDetails, dbo.SearchProducts (defaults), dbo.PlaceOrder (output, transaction inside)", async () =>
{
    using var c = Open();
    var details = new SqlCommand("dbo.GetOrderDetails", c) { CommandType = CommandType.StoredProcedure };
    details.Parameters.AddWithValue("@OrderId", 1000);
    using (var r = await details.ExecuteReaderAsync())
    {
        Expect(await r.ReadAsync(), "the order"); r.GetInt32(0); r.GetDateTime(1); r.GetString(2);
        Expect(await r.NextResultAsync(), "lines result set");
        while (await r.ReadAsync()) { r.GetInt16(0); r.GetString(1); r.GetDecimal(4); r.GetDecimal(5); }
    }
    var search = new SqlCommand("dbo.SearchProducts", c) { CommandType = CommandType.StoredProcedure };
    int products = 0;
    using (var r = await search.ExecuteReaderAsync()) while (await r.ReadAsync()) products++;
    Expect(products > 0, "products found with default parameters");
    var place = new SqlCommand("dbo.PlaceOrder", c) { CommandType = CommandType.StoredProcedure };
    place.Parameters.AddWithValue("@CustomerId", 2);
    place.Parameters.AddWithValue("@ProductId", 1);
    place.Parameters.AddWithValue("@Quantity", 1);
    var orderId = place.Parameters.Add("@OrderId", SqlDbType.Int); orderId.Direction = ParameterDirection.Output;
    await place.ExecuteNonQueryAsync();
    Expect(orderId.Value is int id && id > 1000, "new order id");
});

Case("transactions: rollback undoes, commit keeps", async () =>
{
    using var c = Open();
    var email = $"tx-{Guid.NewGuid():N}@example.test";
    using (var tx = c.BeginTransaction())
    {
        var insert = new SqlCommand("INSERT INTO dbo.Customers (Name, Email) VALUES (N'Tx', @e)", c, tx);
        insert.Parameters.AddWithValue("@e", email);
        await insert.ExecuteNonQueryAsync();
        tx.Rollback();
    }
    var check = new SqlCommand("SELECT COUNT(*) FROM dbo.Customers WHERE Email = @e", c);
    check.Parameters.AddWithValue("@e", email);
    Equal(0, (int)(await check.ExecuteScalarAsync())!, "after rollback");
    using (var tx = c.BeginTransaction(IsolationLevel.ReadCommitted))
    {
        var insert = new SqlCommand("INSERT INTO dbo.Customers (Name, Email) VALUES (N'Tx', @e)", c, tx);
        insert.Parameters.AddWithValue("@e", email);
        await insert.ExecuteNonQueryAsync();
        tx.Commit();
    }
    Equal(1, (int)(await check.ExecuteScalarAsync())!, "after commit");
});

Case("SQL Server's error numbers: 2627, 547, 208, 515, 8134", async () =>
{
    using var c = Open();
    async Task<int> NumberOf(string sql)
    {
        try { await new SqlCommand(sql, c).ExecuteNonQueryAsync(); return 0; }
        catch (SqlException e) { return e.Number; }
    }
    Equal(2627, await NumberOf("INSERT INTO dbo.Products (Sku, Name, UnitPrice) SELECT TOP 1 Sku, Name, UnitPrice FROM dbo.Products"), "duplicate key");
    Equal(547, await NumberOf("INSERT INTO dbo.Orders (CustomerId, OrderDate) VALUES (999999, SYSUTCDATETIME())"), "foreign key");
    Equal(208, await NumberOf("SELECT * FROM dbo.NoSuchTable"), "invalid object");
    Equal(515, await NumberOf("INSERT INTO dbo.Customers (Name, Email) VALUES (NULL, N'x@y')"), "NULL into NOT NULL");
    Equal(8134, await NumberOf("SELECT 1/0"), "divide by zero");
    Equal(1, (int)(await new SqlCommand("SELECT 1", c).ExecuteScalarAsync())!, "connection usable after errors");
});

Case("SqlBulkCopy copies 1,000 rows", async () =>
{
    using var c = Open();
    await new SqlCommand("IF OBJECT_ID('dbo.hcmt_Bulk') IS NOT NULL DROP TABLE dbo.hcmt_Bulk; CREATE TABLE dbo.hcmt_Bulk (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL, Amount decimal(10,2) NOT NULL, At datetime2(3) NULL)", c).ExecuteNonQueryAsync();
    var table = new DataTable();
    table.Columns.Add("Id", typeof(int)); table.Columns.Add("Name", typeof(string)); table.Columns.Add("Amount", typeof(decimal)); table.Columns.Add("At", typeof(DateTime));
    for (var i = 1; i <= 1000; i++) table.Rows.Add(i, i % 10 == 0 ? null : $"row {i}", i / 4m, new DateTime(2024, 1, 1).AddMinutes(i));
    using (var bulk = new SqlBulkCopy(c) { DestinationTableName = "dbo.hcmt_Bulk" }) await bulk.WriteToServerAsync(table);
    Equal(1000, (int)(await new SqlCommand("SELECT COUNT(*) FROM dbo.hcmt_Bulk", c).ExecuteScalarAsync())!, "rows copied");
    Equal(250.00m, (decimal)(await new SqlCommand("SELECT Amount FROM dbo.hcmt_Bulk WHERE Id = 1000", c).ExecuteScalarAsync())!, "a copied value");
    await new SqlCommand("DROP TABLE dbo.hcmt_Bulk", c).ExecuteNonQueryAsync();
});

Case("SqlBulkCopy into sql_variant and Japanese_CI_AS varchar columns (encoded in code page 932 by the column's collation)", async () =>
{
    using var c = Open();
    await new SqlCommand("IF OBJECT_ID('dbo.hcmt_BulkVariant') IS NOT NULL DROP TABLE dbo.hcmt_BulkVariant; CREATE TABLE dbo.hcmt_BulkVariant (Id int NOT NULL, V sql_variant NULL, J varchar(20) COLLATE Japanese_CI_AS NULL)", c).ExecuteNonQueryAsync();
    var table = new DataTable();
    table.Columns.Add("Id", typeof(int)); table.Columns.Add("V", typeof(object)); table.Columns.Add("J", typeof(string));
    table.Rows.Add(1, 42, "日本語"); table.Rows.Add(2, "abc", "カナ"); table.Rows.Add(3, 1.5m, null); table.Rows.Add(4, DBNull.Value, "ascii");
    using (var bulk = new SqlBulkCopy(c) { DestinationTableName = "dbo.hcmt_BulkVariant" }) await bulk.WriteToServerAsync(table);
    using var r = await new SqlCommand("SELECT Id, V, J, DATALENGTH(J) FROM dbo.hcmt_BulkVariant ORDER BY Id", c).ExecuteReaderAsync();
    var seen = new List<string>();
    while (await r.ReadAsync()) seen.Add($"{r.GetInt32(0)}:{(r.IsDBNull(1) ? "NULL" : Convert.ToString(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture))}:{(r.IsDBNull(2) ? "NULL" : r.GetString(2))}:{(r.IsDBNull(3) ? "NULL" : r.GetValue(3))}");
    Equal("1:42:日本語:6 2:abc:カナ:4 3:1.5:NULL:NULL 4:NULL:ascii:5", string.Join(" ", seen), "copied rows");
    r.Close();
    await new SqlCommand("DROP TABLE dbo.hcmt_BulkVariant", c).ExecuteNonQueryAsync();
});

Case("Encrypt=true with TrustServerCertificate=true works", async () =>
{
    using var c = Open("Encrypt=true;TrustServerCertificate=true");
    Equal(200, (int)(await new SqlCommand("SELECT COUNT(*) FROM dbo.Orders WHERE OrderId < 1200", c).ExecuteScalarAsync())!, "orders through TLS");
});

Case("Encrypt=true without TrustServerCertificate fails with the certificate error", async () =>
{
    try
    {
        using var c = Open("Encrypt=true;TrustServerCertificate=false;Connect Timeout=10");
        throw new Exception("connected although the certificate is not trusted");
    }
    catch (SqlException e)
    {
        // SqlClient reports "error occurred during the pre-login handshake"; the reason is in the inner exception.
        var messages = new List<string>();
        for (Exception? inner = e; inner != null; inner = inner.InnerException) messages.Add(inner.Message);
        Expect(messages.Any((m) => m.Contains("certificate", StringComparison.OrdinalIgnoreCase)), $"certificate error, got: {string.Join(" / ", messages)}");
    }
    await Task.CompletedTask;
});

Case("the stand-in answers a read and a write afterwards", async () =>
{
    using var c = Open();
    Equal(1, await new SqlCommand("UPDATE dbo.Products SET InStock = InStock WHERE ProductId = 1", c).ExecuteNonQueryAsync(), "write");
    Expect((int)(await new SqlCommand("SELECT COUNT(*) FROM dbo.Products", c).ExecuteScalarAsync())! > 0, "read");
});

var failed = 0;
if (args.Length > 1) cases = cases.Where((c) => c.Name.Contains(args[1], StringComparison.OrdinalIgnoreCase)).ToList();
foreach (var (name, run) in cases)
{
    try
    {
        await run();
        Console.WriteLine($"PASS {name}");
    }
    catch (Exception e)
    {
        failed++;
        var reason = e is SqlException sql ? $"SqlException {sql.Number}: {sql.Message}" : $"{e.GetType().Name}: {e.Message}";
        Console.WriteLine($"FAIL {name}: {reason.Replace('\n', ' ').Replace('\r', ' ')}");
    }
}
Console.WriteLine($"{cases.Count - failed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
