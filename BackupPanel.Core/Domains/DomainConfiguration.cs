using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Domains;

internal sealed class DomainConfiguration : IEntityTypeConfiguration<Domain>
{
    public void Configure(EntityTypeBuilder<Domain> builder)
    {
        builder.ToTable("domains");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(253);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.FilesRoot).HasMaxLength(4096);
        builder.Property(d => d.MailRoot).HasMaxLength(4096);
        builder.Property(d => d.OwnerUser).HasMaxLength(32);
        builder.Property(d => d.OwnerGroup).HasMaxLength(32);
        builder.Property(d => d.Notes).HasMaxLength(4000);
        builder.HasMany(d => d.Databases).WithOne().HasForeignKey(d => d.DomainId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomainDatabaseConfiguration : IEntityTypeConfiguration<DomainDatabase>
{
    public void Configure(EntityTypeBuilder<DomainDatabase> builder)
    {
        builder.ToTable("domain_databases");
        builder.Property(d => d.Id).ValueGeneratedNever(); // ids are made in code; new rows found through navigations are inserts
        builder.Property(d => d.Engine).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Host).HasMaxLength(253);
        builder.Property(d => d.Name).HasMaxLength(128);
        builder.Property(d => d.User).HasMaxLength(128);
    }
}
