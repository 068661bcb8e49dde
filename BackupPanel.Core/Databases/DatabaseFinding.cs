namespace BackupPanel.Core.Databases;

/// <summary>How one finding of a database check came out.</summary>
public enum FindingLevel
{
    Ok,
    Warning,
    Error,
}

/// <summary>One finding of a database check, in words for the person reading it.</summary>
public sealed record DatabaseFinding(FindingLevel Level, string Text);
