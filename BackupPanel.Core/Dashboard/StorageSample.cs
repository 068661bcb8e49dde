using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Dashboard;

/// <summary>
/// What a destination held on a day (UTC): the bytes and backups with a stored copy there, as last measured that day.
/// The watch job upserts today's row every few minutes; the rows are the dashboard's "stored size over time".
/// </summary>
public sealed class StorageSample
{
    public DateOnly Day { get; set; }

    public Guid DestinationId { get; set; }

    public long Bytes { get; set; }

    public int Backups { get; set; }
}

internal sealed class StorageSampleConfiguration : IEntityTypeConfiguration<StorageSample>
{
    public void Configure(EntityTypeBuilder<StorageSample> builder)
    {
        builder.ToTable("storage_samples");
        builder.HasKey(s => new { s.Day, s.DestinationId });
    }
}
