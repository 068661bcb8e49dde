using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Destinations;

internal sealed class DestinationConfiguration : IEntityTypeConfiguration<Destination>
{
    public void Configure(EntityTypeBuilder<Destination> builder)
    {
        builder.ToTable("destinations");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.Kind).HasMaxLength(16);
        builder.Property(d => d.SettingsJson).HasColumnName("Settings").HasColumnType("jsonb");
        builder.Property(d => d.LastTestMessage).HasMaxLength(1000);
        builder.Ignore(d => d.Settings);
        builder.Ignore(d => d.IsLocal);
        builder.Ignore(d => d.Where);
    }
}
