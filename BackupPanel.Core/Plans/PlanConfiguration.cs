using BackupPanel.Core.Destinations;
using BackupPanel.Core.Domains;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Plans;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("plans");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Type).HasConversion<string>().HasMaxLength(16);
        builder.ComplexProperty(p => p.Schedule, s =>
        {
            s.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            s.Property(x => x.DayOfWeek).HasConversion<string>().HasMaxLength(16);
            s.Property(x => x.Cron).HasMaxLength(120);
            s.Property(x => x.TimeZone).HasMaxLength(64);
        });
        builder.ComplexProperty(p => p.Retention);
        builder.Property(p => p.WebhookUrl).HasMaxLength(2048);
        builder.Property(p => p.PingUrl).HasMaxLength(2048);
        builder.HasMany(p => p.Domains).WithOne().HasForeignKey(d => d.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Destinations).WithOne().HasForeignKey(d => d.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanDomainConfiguration : IEntityTypeConfiguration<PlanDomain>
{
    public void Configure(EntityTypeBuilder<PlanDomain> builder)
    {
        builder.ToTable("plan_domains");
        builder.HasKey(d => new { d.PlanId, d.DomainId });
        builder.HasOne<Domain>().WithMany().HasForeignKey(d => d.DomainId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => d.DomainId);
    }
}

internal sealed class PlanDestinationConfiguration : IEntityTypeConfiguration<PlanDestination>
{
    public void Configure(EntityTypeBuilder<PlanDestination> builder)
    {
        builder.ToTable("plan_destinations");
        builder.HasKey(d => new { d.PlanId, d.DestinationId });
        builder.HasOne<Destination>().WithMany().HasForeignKey(d => d.DestinationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => d.DestinationId);
        builder.ComplexProperty(d => d.Retention);
    }
}
