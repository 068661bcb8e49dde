using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Import;

/// <summary>An archive that cannot be imported: unknown or ambiguous format, hostile, too big, truncated or corrupt. The message says why, for a person.</summary>
public sealed class ImportRefusedException : RunFailedException
{
    public ImportRefusedException() { }

    public ImportRefusedException(string message) : base(message) { }

    public ImportRefusedException(string message, Exception inner) : base(message, inner) { }
}
