using BackupPanel.Core.Destinations.Kinds.Ftp;
using BackupPanel.Core.Destinations.Kinds.Local;
using BackupPanel.Core.Destinations.Kinds.S3;
using BackupPanel.Core.Destinations.Kinds.Sftp;

namespace BackupPanel.Components.Pages.Destinations;

/// <summary>The form fields of each destination kind (a component whose Form parameter is the kind's input); a new kind adds one line.</summary>
public static class DestinationFields
{
    private static readonly Dictionary<string, Type> Fields = new(StringComparer.Ordinal)
    {
        [LocalKind.KindName] = typeof(LocalFields),
        [SftpKind.KindName] = typeof(SftpFields),
        [FtpKind.KindName] = typeof(FtpFields),
        [S3Kind.KindName] = typeof(S3Fields),
    };

    /// <summary>The fields component for <paramref name="kind"/>.</summary>
    public static Type For(string kind) => Fields[kind];
}
