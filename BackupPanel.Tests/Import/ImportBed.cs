using BackupPanel.Core.Import;
using BackupPanel.Tests.Backups;
using BackupPanel.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Npgsql;

namespace BackupPanel.Tests.Import;

/// <summary>The fixtures, a destination for the imported backups, folders for the imported domains, and helpers to drive an import to its end.</summary>
public sealed class ImportBed(AppFixture app, MariaDbFixture maria) : IDisposable
{
    public BackupTestBed Bed { get; } = new(app);

    public ImportService Imports => app.Services.GetRequiredService<ImportService>();

    public string Root => Path.Combine(Bed.Dir, "sites");

    public Task<string> FixturesAsync() => ImportFixtures.GetAsync(app.Postgres);

    /// <summary>A MariaDB user that may create databases, on TCP with a password (what a real server would give).</summary>
    public async Task<DatabaseServerInput> MySqlServerAsync(string password = ShopDatabases.Password)
    {
        var user = "imp" + Guid.NewGuid().ToString("N")[..8];
        await maria.ExecAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{ShopDatabases.Password}'; GRANT ALL ON *.* TO '{user}'@'127.0.0.1';");
        return new DatabaseServerInput { Host = "127.0.0.1", Port = maria.Port, User = user, Password = password };
    }

    public DatabaseServerInput PostgreSqlServer() => new() { Host = "127.0.0.1", Port = app.Postgres.Server.Port, User = "postgres" };

    /// <summary>Waits (bounded) for the inspection; returns the run.</summary>
    public async Task<ImportRun> InspectedAsync(Guid importId)
    {
        ImportRun? run = null;
        await Poll.UntilAsync(async () => (run = await Imports.GetAsync(importId, default))!.Status != ImportStatus.Inspecting, "the inspection to finish");
        return run!;
    }

    /// <summary>Starts the import with <paramref name="request"/> and waits (bounded) for it to end.</summary>
    public async Task<ImportRun> ImportAsync(Guid importId, ImportRequest request)
    {
        var started = await Imports.StartAsync(importId, request, BackupTestBed.Admin, default); // the suite's accounts are privileged: an Admin allows them
        Assert.True(started.Succeeded, string.Join("; ", started.Errors.Select(e => $"{e.Key}: {e.Value}")));
        ImportRun? run = null;
        await Poll.UntilAsync(async () => (run = await Imports.GetAsync(importId, default))!.Status is ImportStatus.Succeeded or ImportStatus.PartiallySucceeded or ImportStatus.Failed,
            "the import to finish", 180);
        return run!;
    }

    /// <summary>The usual choices: this bed's destination and folders, both database servers, unique database names.</summary>
    public async Task<ImportRequest> RequestAsync(ImportPreview preview)
    {
        if (Bed.DestinationId == Guid.Empty) await Bed.AddDestinationAsync();
        var request = new ImportRequest
        {
            DestinationId = Bed.DestinationId, FilesRoot = Path.Combine(Root, "{domain}", "www"), MailRoot = Path.Combine(Root, "{domain}", "mail"),
            MySql = await MySqlServerAsync(), PostgreSql = PostgreSqlServer(), AllowPrivilegedAccounts = true,
        };
        foreach (var database in preview.Domains.SelectMany(d => d.Databases))
        {
            request.DatabaseNames[ImportRequest.DatabaseKey(database.Engine, database.Name)] = $"imp_{Guid.NewGuid():N}"[..20];
        }

        return request;
    }

    public static async Task<long> MySqlCountAsync(DatabaseServerInput server, string database, string table)
    {
        var cs = new MySqlConnectionStringBuilder { Server = server.Host, Port = (uint)server.Port, UserID = server.User, Password = ShopDatabases.Password, Database = database, Pooling = false };
        await using var connection = new MySqlConnection(cs.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT count(*) FROM `{table}`", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<long> PostgresCountAsync(string database, string table)
    {
        var cs = new NpgsqlConnectionStringBuilder(app.Postgres.Server.ConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(cs.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => Bed.Dispose();
}
