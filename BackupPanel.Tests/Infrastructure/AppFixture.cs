using BackupPanel.Core.Security;
using BackupPanel.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// The panel running in this process on a real Kestrel port, against a fresh database in the suite's PostgreSQL,
/// composed exactly as Program.cs composes it. Hangfire's storage is process-wide, so one such app per test run.
/// Tests make their own users (unique e-mails), so they do not depend on each other's data.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public string ConnectionString { get; private set; } = "";

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    public WebApplication App => _app ?? throw new InvalidOperationException("not started");

    /// <summary>The app's PostgreSQL cluster, also used as a real source server for database backups.</summary>
    public PostgresFixture Postgres => _postgres;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync("app");
        BaseUrl = $"http://127.0.0.1:{EmbeddedPostgres.FreePort()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "BackupPanel",
            EnvironmentName = "Production",
            ContentRootPath = Path.Combine(TestPaths.RepositoryRoot, "BackupPanel"),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:BackupPanel"] = ConnectionString,
            ["BackupPanel:WorkerCount"] = "1",
            ["BackupPanel:NotificationFirstRetrySeconds"] = "1", // retries within a test's patience
            ["BackupPanel:NotificationTimeoutSeconds"] = "10",
            ["BackupPanel:AllowedRoots:Data:0"] = TestPaths.AllowedTestRoot, // the suite's domains live in temporary folders
            ["BackupPanel:AllowedRoots:Destinations:0"] = TestPaths.AllowedTestRoot,
            ["BackupPanel:AllowedRoots:PrivateAddresses:0"] = "127.0.0.1", // the suite's webhook and ping listeners
            ["BackupPanel:KnownProxies:0"] = "127.0.0.1", // the suite's clients play the reverse proxy (ProxyTests)
            ["Logging:LogLevel:Default"] = "Warning",
            ["urls"] = BaseUrl,
        });
        await builder.AddBackupPanelAsync();
        _app = builder.Build();
        await _app.UseBackupPanelAsync();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _postgres.DisposeAsync();
    }

    /// <summary>Creates a user with a role and returns its e-mail; the password is <see cref="Password"/>.</summary>
    public async Task<string> CreateUserAsync(string role, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var created = await UserAdminService.CreateWithRoleAsync(users, email, Password, role, DateTimeOffset.UtcNow, default);
        Assert.True(created.Succeeded, created.ErrorText);
        return email;
    }

    /// <summary>The password every test user gets. Only for throwaway test databases.</summary>
    public const string Password = "correct-horse-battery-9";

    public PanelClient NewClient() => new(BaseUrl);
}

[CollectionDefinition(Name)]
public sealed class AppCollectionDefinition : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
