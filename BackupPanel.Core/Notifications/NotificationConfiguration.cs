using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Notifications;

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.ToTable("notification_settings");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.SmtpHost).HasMaxLength(255);
        builder.Property(s => s.SmtpUser).HasMaxLength(255);
        builder.Property(s => s.SmtpSecurity).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.CertificateSha256).HasMaxLength(128);
        builder.Property(s => s.FromAddress).HasMaxLength(320);
        builder.Property(s => s.PanelUrl).HasMaxLength(2048);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Recipient).HasMaxLength(2048);
        builder.Property(n => n.Subject).HasMaxLength(400);
        builder.Property(n => n.DomainName).HasMaxLength(253);
        builder.Property(n => n.LastError).HasMaxLength(2000);
        builder.Ignore(n => n.Shown);
        builder.HasIndex(n => n.CreatedAt);
    }
}

internal sealed class NotificationMarkConfiguration : IEntityTypeConfiguration<NotificationMark>
{
    public void Configure(EntityTypeBuilder<NotificationMark> builder)
    {
        builder.ToTable("notification_marks");
        builder.HasKey(m => m.Key);
        builder.Property(m => m.Key).HasMaxLength(200);
    }
}
