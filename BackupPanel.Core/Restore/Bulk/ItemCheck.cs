namespace BackupPanel.Core.Restore.Bulk;

/// <summary>One finding of the preflight.</summary>
internal sealed record PreflightFinding(PreflightLevel Level, string Text);

/// <summary>Bytes a tree component needs at its target folder (staged there in full before it replaces anything).</summary>
internal sealed record SpaceNeed(string Target, long Bytes, string Kind);

/// <summary>What the preflight found for one item, and the room it needs.</summary>
internal sealed class ItemCheck
{
    public List<PreflightFinding> Findings { get; } = [];

    public List<SpaceNeed> Needs { get; } = [];

    public ItemCheck Add(PreflightLevel level, string text)
    {
        lock (Findings)
        {
            Findings.Add(new PreflightFinding(level, text));
        }

        return this;
    }
}
