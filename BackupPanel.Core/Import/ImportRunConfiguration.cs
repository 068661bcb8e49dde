using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Import;

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> builder)
    {
        builder.ToTable("import_runs");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.SourceName).HasMaxLength(4096);
        builder.Property(r => r.ArchivePath).HasMaxLength(4096);
        builder.Property(r => r.SourceKey).HasMaxLength(4096);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.Error).HasMaxLength(4000);
        builder.Property(r => r.Phase).HasMaxLength(300);
        builder.HasIndex(r => r.CreatedAt);
    }
}
