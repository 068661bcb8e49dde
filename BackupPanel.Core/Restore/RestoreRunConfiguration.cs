using BackupPanel.Core.Backups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Restore;

internal sealed class RestoreRunConfiguration : IEntityTypeConfiguration<RestoreRun>
{
    public void Configure(EntityTypeBuilder<RestoreRun> builder)
    {
        builder.ToTable("restore_runs");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.DomainName).HasMaxLength(253);
        builder.Property(r => r.TargetDirectory).HasMaxLength(4096);
        builder.Property(r => r.TargetDatabase).HasMaxLength(128);
        builder.Property(r => r.TargetDatabaseSuffix).HasMaxLength(32);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.JobId).HasMaxLength(64);
        builder.Property(r => r.Phase).HasMaxLength(200);
        builder.Property(r => r.Error).HasMaxLength(4000);
        // Restores of a backup go when the backup goes; the audit log keeps who restored what.
        builder.HasOne<Backup>().WithMany().HasForeignKey(r => r.BackupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.BackupId, r.CreatedAt });
    }
}
