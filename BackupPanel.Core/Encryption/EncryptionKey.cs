namespace BackupPanel.Core.Encryption;

/// <summary>An age key that backups are encrypted to: the panel's own (with its protected identity) or an Admin's.</summary>
public sealed class EncryptionKey
{
    public Guid Id { get; set; }

    /// <summary>True for the one key the panel made itself and can decrypt with.</summary>
    public bool IsPanelKey { get; set; }

    /// <summary>"Panel key", or what the Admin called theirs ("Ops laptop").</summary>
    public string Label { get; set; } = "";

    /// <summary>The age recipient, <c>age1…</c>.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>The panel key's identity, encrypted with Data Protection; null for Admins' keys (the panel never sees theirs).</summary>
    public string? ProtectedIdentity { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string AddedBy { get; set; } = "";

    /// <summary>When someone last downloaded the recovery kit (panel key only); the dashboard warns while null.</summary>
    public DateTimeOffset? RecoveryKitDownloadedAt { get; set; }

    /// <summary>Never a secret.</summary>
    public override string ToString() => $"{Label} ({PublicKey})";
}
