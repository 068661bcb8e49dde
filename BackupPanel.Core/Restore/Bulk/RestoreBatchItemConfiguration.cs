using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Restore.Bulk;

internal sealed class RestoreBatchItemConfiguration : IEntityTypeConfiguration<RestoreBatchItem>
{
    public void Configure(EntityTypeBuilder<RestoreBatchItem> builder)
    {
        builder.ToTable("restore_batch_items");
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.DomainName).HasMaxLength(253);
        builder.Property(i => i.TargetDirectory).HasMaxLength(4096);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Preflight).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Error).HasMaxLength(4000);
        builder.HasIndex(i => new { i.BatchId, i.Position });
    }
}
