namespace BackupPanel.Core.Restore.Bulk;

/// <summary>How a bulk restore went, counted over its items; <see cref="Problems"/> names each failed, skipped or cancelled one with its reason.</summary>
public sealed record BulkRestoreSummary(int Total, int Succeeded, int Failed, int Skipped, int Cancelled, int Open, IReadOnlyList<string> Problems)
{
    public static BulkRestoreSummary Of(IReadOnlyCollection<RestoreBatchItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int Count(RestoreItemStatus status) => items.Count(i => i.Status == status);
        var problems = items.Where(i => i.Status is RestoreItemStatus.Failed or RestoreItemStatus.Skipped or RestoreItemStatus.Cancelled)
            .OrderBy(i => i.Position).Select(i => $"{i.DomainName}: {i.Status.ToString().ToLowerInvariant()} — {i.Error ?? "no reason recorded"}").ToList();
        return new BulkRestoreSummary(items.Count, Count(RestoreItemStatus.Succeeded), Count(RestoreItemStatus.Failed), Count(RestoreItemStatus.Skipped),
            Count(RestoreItemStatus.Cancelled), items.Count(i => !i.IsFinished), problems);
    }

    /// <summary>"5 total: 4 succeeded, 1 failed, 0 skipped, 0 cancelled".</summary>
    public override string ToString() =>
        $"{Total} total: {Succeeded} succeeded, {Failed} failed, {Skipped} skipped, {Cancelled} cancelled{(Open > 0 ? $", {Open} not finished" : "")}";
}

/// <summary>A bulk restore as its page shows it: the batch, each item with its latest restore run, and the counts.</summary>
public sealed record BulkRestoreView(RestoreBatch Batch, IReadOnlyList<BulkRestoreItemView> Items, BulkRestoreSummary Summary);

/// <summary>One item and the restore run of its latest attempt (progress, log), when it started one.</summary>
public sealed record BulkRestoreItemView(RestoreBatchItem Item, RestoreRun? Run);
