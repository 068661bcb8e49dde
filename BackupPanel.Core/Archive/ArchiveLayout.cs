using System.Globalization;
using System.Text;

namespace BackupPanel.Core.Archive;

/// <summary>Where a backup's files live at a destination, and how components are named (docs/FORMAT.md).</summary>
public static class ArchiveLayout
{
    /// <summary>Component kind of the files root.</summary>
    public const string FilesKind = "files";

    /// <summary>Component kind of the Maildir tree.</summary>
    public const string MailKind = "mail";

    /// <summary>Component kind of a PostgreSQL custom-format dump.</summary>
    public const string PostgreSqlKind = "postgresql";

    /// <summary>Component kind of a MySQL/MariaDB SQL dump.</summary>
    public const string MySqlKind = "mysql";

    /// <summary>Component kind of an imported archive kept byte for byte (cPanel, Virtualmin, Plesk); never restored by the panel, only downloaded.</summary>
    public const string OriginalKind = "original";

    /// <summary><c>&lt;domain&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;yyyyMMdd'T'HHmmss'Z'&gt;_&lt;backupId&gt;/</c></summary>
    public static string FolderKey(string domain, DateTimeOffset startedAt, Guid backupId)
    {
        var utc = startedAt.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{domain}/{utc:yyyy}/{utc:MM}/{utc:yyyyMMdd'T'HHmmss'Z'}_{backupId:D}/");
    }

    /// <summary>The stored file name of a component: its plain name + <c>.zst</c> (+ <c>.age</c> when encrypted).</summary>
    public static string ComponentName(string kind, string? database, bool encrypted)
    {
        var plain = kind switch
        {
            FilesKind => "files.tar",
            MailKind => "mail.tar",
            PostgreSqlKind => $"db-postgresql-{SafeFilePart(database)}.dump",
            MySqlKind => $"db-mysql-{SafeFilePart(database)}.sql",
            OriginalKind => "original-archive",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown component kind."),
        };
        return plain + ".zst" + (encrypted ? ".age" : "");
    }

    /// <summary>Database names in file names: letters, digits, '_', '-' and '.' kept, anything else as '_'.</summary>
    public static string SafeFilePart(string? name)
    {
        var sb = new StringBuilder();
        foreach (var c in name ?? "")
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        }

        return sb.Length == 0 ? "_" : sb.ToString(0, Math.Min(sb.Length, 100)).TrimStart('.');
    }
}
