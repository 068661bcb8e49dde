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
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Path).HasMaxLength(4096);
        builder.Property(d => d.Host).HasMaxLength(253);
        builder.Property(d => d.UserName).HasMaxLength(256);
        builder.Property(d => d.HostKeySha256).HasMaxLength(100);
        builder.Property(d => d.CertificateSha256).HasMaxLength(100);
        builder.Property(d => d.Bucket).HasMaxLength(63);
        builder.Property(d => d.Region).HasMaxLength(64);
        builder.Property(d => d.ServiceUrl).HasMaxLength(2048);
        builder.Property(d => d.AccessKeyId).HasMaxLength(128);
        builder.Property(d => d.StorageClass).HasMaxLength(32);
        builder.Property(d => d.ServerSideEncryption).HasMaxLength(16);
        builder.Property(d => d.KmsKeyId).HasMaxLength(2048);
        builder.Property(d => d.ObjectLockMode).HasMaxLength(16);
        builder.Property(d => d.LastTestMessage).HasMaxLength(1000);
        builder.Ignore(d => d.Where);
    }
}
