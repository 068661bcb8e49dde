using System.ComponentModel.DataAnnotations;
using BackupPanel.Circuit;
using BackupPanel.Components;
using BackupPanel.Core.Backups;
using BackupPanel.Core.Dashboard;
using BackupPanel.Core.Data;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Health;
using BackupPanel.Core.Import;
using BackupPanel.Core.Notifications;
using BackupPanel.Core.Plans;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Retention;
using BackupPanel.Core.Runs;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.KeyRing;
using BackupPanel.Core.Security.Paths;
using BackupPanel.Endpoints;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics;

namespace BackupPanel.Hosting;

/// <summary>The two calls Program.cs composes: services, then the pipeline.</summary>
public static class BackupPanelHost
{
    /// <summary>Resolves the database (starting the embedded one if needed) and registers every feature.</summary>
    public static async Task AddBackupPanelAsync(this WebApplicationBuilder builder, CancellationToken ct = default)
    {
        // Serve package assets (MudBlazor, blazor.web.js) from a build output too, not only from `dotnet publish`:
        // `make run` runs the built app. A published app has no such manifest and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        var options = ReadOptions(builder.Configuration);
        using var startLog = LoggerFactory.Create(l => l.AddConsole());
        var (connections, embedded) = await DatabaseHosting.ResolveAsync(builder.Configuration, options, ct, startLog.CreateLogger("BackupPanel.Database"));
        if (embedded is not null) builder.Services.AddSingleton(embedded);
        if (embedded is { OwnsServer: true }) builder.Services.AddHostedService<EmbeddedPostgresSupervisor>();
        if (options.Role != NodeRoles.Web)
        {
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<InterruptedRunWatcher>(sp, TimeSpan.FromSeconds(options.InterruptedRunSweepSeconds)));
        }

        builder.Services.AddOptions<BackupPanelOptions>().BindConfiguration(BackupPanelOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        KeyRingKey keyRingKey;
        try
        {
            keyRingKey = KeyRingKey.LoadOrCreate(options.ResolveKeyRingKeyFile());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Cannot use the key ring key file: {ex.Message}");
        }
        builder.Services.AddBackupPanelData(connections, keyRingKey);
        builder.Services.AddBackupPanelSecurity();
        builder.Services.AddSingleton(new PathGuardOptions(options.ResolveDataDirectory(),
            builder.Configuration.GetSection("BackupPanel:AllowedRoots:Data").Get<string[]>() ?? [],
            builder.Configuration.GetSection("BackupPanel:AllowedRoots:Destinations").Get<string[]>() ?? [],
            builder.Configuration.GetSection("BackupPanel:AllowedRoots:PrivateAddresses").Get<string[]>() ?? []));
        builder.Services.AddSingleton(new Core.Databases.DatabaseStallTimeout(TimeSpan.FromMinutes(options.DatabaseStallMinutes)));
        builder.Services.AddBackupPanelDomains();
        builder.Services.AddBackupPanelDestinations(options.ResolveSpoolDirectory());
        builder.Services.AddBackupPanelEncryption();
        builder.Services.AddBackupPanelRuns();
        builder.Services.AddBackupPanelBackups();
        builder.Services.AddBackupPanelRestore();
        builder.Services.AddBackupPanelImport();
        builder.Services.AddBackupPanelPlans();
        builder.Services.AddBackupPanelRetention();
        builder.Services.AddBackupPanelDashboard();
        builder.Services.AddBackupPanelNotifications();
        builder.Services.AddBackupPanelHealth(new NodeInfo(options.Role, embedded is not null));
        builder.Services.AddBackupPanelJobs(connections, options);
        builder.Services.AddBackupPanelIdentityStores();
        if (options.Role == NodeRoles.Worker) return; // jobs only: no sign-in, no pages

        builder.Services.AddBackupPanelSignIn();
        builder.Services.AddBackupPanelWeb();
    }

    /// <summary>Migrates, creates the unattended first Admin if asked, and maps the pipeline for this node's role.</summary>
    public static async Task UseBackupPanelAsync(this WebApplication app)
    {
        // Each feature's own settings, checked before the database is touched (Program.cs words a failure).
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        if (app.Services.GetService<EmbeddedPostgres>() is { } embedded)
            app.Lifetime.ApplicationStopped.Register(() => embedded.StopAsync().GetAwaiter().GetResult());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        await SealKeyRingAsync(app);
        await app.Services.GetRequiredService<EncryptionService>().EnsurePanelKeyAsync(CancellationToken.None);
        await app.Services.GetRequiredService<PathGuard>().GetAsync(CancellationToken.None); // the allowed roots: defaults, or on an upgrade what is in use
        if (app.Services.GetRequiredService<NodeInfo>().Role != NodeRoles.Web)
        {
            // Runs a crashed process left "Running" are swept now (a queued backup is queued again), and then every
            // BackupPanel:InterruptedRunSweepSeconds by InterruptedRunWatcher, in case a node dies.
            await app.Services.GetRequiredService<InterruptedRunSweeper>().SweepAsync(CancellationToken.None);
            await app.Services.GetRequiredService<PlanScheduler>().SyncAllAsync(CancellationToken.None); // the plans table is the truth
            var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
            recurring.RemoveIfExists("sweep-interrupted-runs"); // an older version's recurring job; InterruptedRunWatcher does it now
            recurring.AddOrUpdate<ApplyRetentionJob>(ApplyRetentionJob.NightlyId, j => j.RunAllAsync(CancellationToken.None), "15 3 * * *");
            recurring.AddOrUpdate<CleanLeftoversJob>(CleanLeftoversJob.NightlyId, j => j.RunAsync(CancellationToken.None), "45 3 * * *");
            recurring.AddOrUpdate<WatchJob>(WatchJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *"); // at-risk emails, storage samples
        }
        app.UseKnownProxies();
        app.UseSecurityHeaders();
        app.MapHealthEndpoints();
        if (app.Services.GetRequiredService<NodeInfo>().Role == NodeRoles.Worker) return; // jobs only: no pages, no dashboard

        await UnattendedSetup.RunAsync(app.Services, app.Configuration, app.Logger);
        var firstRun = app.Services.GetRequiredService<FirstRunService>();
        if (!await firstRun.HasUsersAsync())
        {
            // The one-time setup link, to the console and the log only: whoever reads them runs the server.
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogWarning(
                "No Admin yet. Create the first one at {Url}/setup?token={Token} (the link works until an Admin exists; a new one is printed at each start).",
                (app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080").TrimEnd('/'), firstRun.SetupToken));
        }

        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            // APIs keep their status: re-executing a refused POST as the not-found page would end in that page's antiforgery 400.
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseMiddleware<FirstRunRedirectMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapBackupEndpoints();
        app.MapImportEndpoints();
        app.MapJobsDashboard();
    }

    /// <summary>Seals keys an older version stored in the clear, and stops at once when the key file is the wrong one.</summary>
    private static async Task SealKeyRingAsync(WebApplication app)
    {
        var key = app.Services.GetRequiredService<KeyRingKey>();
        try
        {
            var sealedNow = await app.Services.GetRequiredService<KeyRingSealing>().SealAndCheckAsync(CancellationToken.None);
            if (sealedNow > 0)
            {
                app.Logger.LogWarning("Sealed {Count} Data Protection keys that were stored in the clear with {KeyFile}; keep that file with the panel's backups.", sealedNow, key.Path);
            }
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new StartupException($"{key.Path} does not open the key ring in the database: {ex.Message} Copy the key file from the node that made " +
                "the key ring, or restore it from the panel's backup (docs/OPERATIONS.md).");
        }
    }

    private static BackupPanelOptions ReadOptions(ConfigurationManager config)
    {
        var options = config.GetSection(BackupPanelOptions.Section).Get<BackupPanelOptions>() ?? new BackupPanelOptions();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            throw new StartupException("Invalid configuration: " + string.Join(" ", errors.Select(e => e.ErrorMessage)));
        return options;
    }
}
