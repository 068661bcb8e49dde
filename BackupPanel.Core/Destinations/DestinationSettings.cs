using System.Text.Json.Serialization;

namespace BackupPanel.Core.Destinations;

/// <summary>
/// A kind's settings as stored (the destination's JSON column): where it points and how to log in, with every secret
/// as Data Protection ciphertext. <see cref="Where"/> and <see cref="ToString"/> never show a secret.
/// </summary>
public abstract record DestinationSettings
{
    /// <summary>The kind these settings belong to (<see cref="DestinationKind.Name"/>).</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>Where it points, for people: a folder, an sftp:// or ftp(s):// address, or s3://bucket/prefix.</summary>
    [JsonIgnore]
    public abstract string Where { get; }

    /// <summary>What the audit log adds when these settings replace <paramref name="before"/> (a host key confirmed); null for nothing.</summary>
    public virtual string? ChangeNote(DestinationSettings? before) => null;

    /// <summary>
    /// Who the stored secrets are given to (server, port, user; S3: the service and key id). When it changes, the stored
    /// secrets are not kept: the form asks for them again, so they never go to a server they were not given for.
    /// </summary>
    [JsonIgnore]
    public virtual string? Endpoint => null;

    /// <summary>Never a secret.</summary>
    public override string ToString() => Where;
}
