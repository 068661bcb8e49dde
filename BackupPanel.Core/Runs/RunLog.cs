using System.Globalization;
using System.Text;

namespace BackupPanel.Core.Runs;

/// <summary>A run's log: timestamped lines for the backup's page, capped at 200,000 characters.</summary>
public sealed class RunLog(TimeProvider clock)
{
    private readonly StringBuilder _text = new();

    public void Add(string line)
    {
        lock (_text)
        {
            if (_text.Length < 200_000)
            {
                _text.Append(clock.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append("  ").AppendLine(line);
            }
        }
    }

    /// <summary>Lines an earlier attempt of the same run left (a backup queued again after its node died), kept first as they were.</summary>
    public void Continue(string earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        lock (_text)
        {
            _text.Append(Clip(earlier, 100_000));
        }
    }

    /// <summary>At most <paramref name="max"/> characters of a message, for columns of bounded length.</summary>
    public static string Clip(string text, int max) => text.Length > max ? text[..max] : text;

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
