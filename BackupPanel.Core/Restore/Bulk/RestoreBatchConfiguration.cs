using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Restore.Bulk;

internal sealed class RestoreBatchConfiguration : IEntityTypeConfiguration<RestoreBatch>
{
    public void Configure(EntityTypeBuilder<RestoreBatch> builder)
    {
        builder.ToTable("restore_batches");
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.RequestedBy).HasMaxLength(256);
        builder.Property(b => b.AlternateRoot).HasMaxLength(4096);
        builder.Property(b => b.DatabaseSuffix).HasMaxLength(32);
        builder.HasMany(b => b.Items).WithOne().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => b.CreatedAt);
    }
}
