namespace BackupPanel.Core.Destinations;

/// <summary>
/// The form of one kind's settings. Secrets are write-only: an empty secret field keeps the stored one, the form says
/// only whether one is stored, and it never holds a secret after saving (<see cref="ForgetSecrets"/>).
/// </summary>
public abstract class DestinationKindInput
{
    /// <summary>The kind this form belongs to (<see cref="DestinationKind.Name"/>).</summary>
    public abstract string Kind { get; }

    /// <summary>Empties every secret field.</summary>
    public virtual void ForgetSecrets()
    {
    }
}
