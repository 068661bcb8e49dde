using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Backups;

internal sealed class BackupConfiguration : IEntityTypeConfiguration<Backup>
{
    public void Configure(EntityTypeBuilder<Backup> builder)
    {
        builder.ToTable("backups");
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.DomainName).HasMaxLength(253);
        builder.Property(b => b.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(b => b.RequestedBy).HasMaxLength(256);
        builder.Property(b => b.JobId).HasMaxLength(64);
        builder.Property(b => b.FolderKey).HasMaxLength(1024);
        builder.Property(b => b.Error).HasMaxLength(4000);
        builder.Property(b => b.ManifestSha256).HasMaxLength(64);
        builder.Property(b => b.Phase).HasMaxLength(200);
        builder.Property(b => b.VerifyMessage).HasMaxLength(4000);
        builder.Ignore(b => b.IsFinished);
        builder.HasMany(b => b.Components).WithOne().HasForeignKey(c => c.BackupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(b => b.Copies).WithOne().HasForeignKey(c => c.BackupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Domains.Domain>().WithMany().HasForeignKey(b => b.DomainId).OnDelete(DeleteBehavior.SetNull);

        // History pages filter by domain, status, type and date, newest first; these keep them fast at 100,000 rows.
        builder.HasIndex(b => b.CreatedAt);
        builder.HasIndex(b => new { b.DomainId, b.CreatedAt });
        builder.HasIndex(b => new { b.Status, b.CreatedAt });
        builder.HasIndex(b => new { b.Type, b.CreatedAt });
        builder.HasIndex(b => new { b.PlanId, b.CreatedAt });
        builder.HasIndex(b => b.PlanRunId).HasFilter("\"PlanRunId\" IS NOT NULL");
    }
}

internal sealed class BackupComponentConfiguration : IEntityTypeConfiguration<BackupComponent>
{
    public void Configure(EntityTypeBuilder<BackupComponent> builder)
    {
        builder.ToTable("backup_components");
        builder.Property(c => c.Id).ValueGeneratedNever(); // ids are made in code; new rows found through navigations are inserts
        builder.Property(c => c.Name).HasMaxLength(256);
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.Database).HasMaxLength(128);
        builder.Property(c => c.StoredSha256).HasMaxLength(64);
        builder.Property(c => c.PlainSha256).HasMaxLength(64);
    }
}

internal sealed class BackupCopyConfiguration : IEntityTypeConfiguration<BackupCopy>
{
    public void Configure(EntityTypeBuilder<BackupCopy> builder)
    {
        builder.ToTable("backup_copies");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.DestinationName).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Error).HasMaxLength(4000);
        builder.HasOne<Destinations.Destination>().WithMany().HasForeignKey(c => c.DestinationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(c => c.DestinationId);
    }
}
