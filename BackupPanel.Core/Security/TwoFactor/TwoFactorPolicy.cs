using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupPanel.Core.Security.TwoFactor;

/// <summary>
/// Whose accounts must use two-factor sign-in (Administration → Security, Admin only). An account of such a role
/// without an authenticator reaches only its own account pages, where it sets one up, until it has.
/// </summary>
public sealed class TwoFactorPolicy
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public bool RequiredForAdmins { get; set; }

    public bool RequiredForOperators { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>True when a user in these roles must have two-factor sign-in on.</summary>
    public bool AppliesTo(Func<string, bool> isInRole) =>
        (RequiredForAdmins && isInRole(Roles.Admin)) || (RequiredForOperators && isInRole(Roles.Operator));
}

internal sealed class TwoFactorPolicyConfiguration : IEntityTypeConfiguration<TwoFactorPolicy>
{
    public void Configure(EntityTypeBuilder<TwoFactorPolicy> builder)
    {
        builder.ToTable("two_factor_policy");
        builder.Property(s => s.Id).ValueGeneratedNever();
    }
}
