using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Security.Paths;

internal sealed class AllowedRootsConfiguration : IEntityTypeConfiguration<AllowedRoots>
{
    public void Configure(EntityTypeBuilder<AllowedRoots> builder)
    {
        builder.ToTable("allowed_roots");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.UpgradeNote).HasMaxLength(20_000);
    }
}
