namespace BackupPanel.Core.Security;

/// <summary>A user as the Users page lists it. No password hash, no security stamp.</summary>
public sealed record UserSummary(
    string Id,
    string Email,
    string? DisplayName,
    string Role,
    bool IsDisabled,
    bool TwoFactorEnabled,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt);

/// <summary>The result of creating a user or resetting a password: the one-time password when one was generated.</summary>
public sealed record PasswordIssued(SecurityResult Result, string? GeneratedPassword);
