using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Encryption;

internal sealed class EncryptionKeyConfiguration : IEntityTypeConfiguration<EncryptionKey>
{
    public void Configure(EntityTypeBuilder<EncryptionKey> builder)
    {
        builder.ToTable("encryption_keys");
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Label).HasMaxLength(100);
        builder.Property(k => k.PublicKey).HasMaxLength(100);
        builder.HasIndex(k => k.PublicKey).IsUnique();
        builder.Property(k => k.AddedBy).HasMaxLength(256);
        // At most one panel key, even when two nodes start at once.
        builder.HasIndex(k => k.IsPanelKey).IsUnique().HasFilter("\"IsPanelKey\"");
    }
}
