using BackupPanel.Core.Backups;
using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using BackupPanel.Core.Encryption;
using BackupPanel.Core.Restore;
using BackupPanel.Core.Security;
using BackupPanel.Core.Security.Audit;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BackupPanel.Core.Data;

/// <summary>The one EF Core context. Entity configurations live next to their entities.</summary>
public sealed class BackupPanelDbContext(DbContextOptions<BackupPanelDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Domain> Domains => Set<Domain>();

    public DbSet<DomainDatabase> DomainDatabases => Set<DomainDatabase>();

    public DbSet<Destination> Destinations => Set<Destination>();

    public DbSet<Backup> Backups => Set<Backup>();

    public DbSet<EncryptionKey> EncryptionKeys => Set<EncryptionKey>();

    public DbSet<RestoreRun> RestoreRuns => Set<RestoreRun>();

    public DbSet<Restore.Bulk.RestoreBatch> RestoreBatches => Set<Restore.Bulk.RestoreBatch>();

    public DbSet<Restore.Bulk.RestoreBatchItem> RestoreBatchItems => Set<Restore.Bulk.RestoreBatchItem>();

    public DbSet<Import.ImportRun> ImportRuns => Set<Import.ImportRun>();

    public DbSet<Plans.Plan> Plans => Set<Plans.Plan>();

    public DbSet<Notifications.NotificationSettings> NotificationSettings => Set<Notifications.NotificationSettings>();

    public DbSet<Security.Paths.AllowedRoots> AllowedRoots => Set<Security.Paths.AllowedRoots>();

    public DbSet<Security.TwoFactor.TwoFactorPolicy> TwoFactorPolicies => Set<Security.TwoFactor.TwoFactorPolicy>();

    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();

    public DbSet<Notifications.NotificationMark> NotificationMarks => Set<Notifications.NotificationMark>();

    public DbSet<Dashboard.StorageSample> StorageSamples => Set<Dashboard.StorageSample>();

    /// <summary>ASP.NET Data Protection key ring, so that cookies and encrypted secrets survive restarts and nodes.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BackupPanelDbContext).Assembly);
    }
}
