using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BackupPanel.Core.Runs;

namespace BackupPanel.Core.Notifications;

/// <summary>
/// What happened, in the words every channel uses: the email's subject and bodies and the webhook's JSON are rendered
/// from the same facts, so they never disagree. <see cref="LinkPath"/> is relative to the panel's address.
/// </summary>
public sealed record NotificationFacts(NotificationEvents Event, string Headline)
{
    public Guid? PlanId { get; init; }
    public string? PlanName { get; init; }
    public Guid? BackupId { get; init; }
    public string? DomainName { get; init; }
    public string? Type { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long? StoredBytes { get; init; }
    public IReadOnlyList<string> Destinations { get; init; } = [];
    public string? Error { get; init; }

    /// <summary>More lines: the backups retention deleted, the domains a missed run covered, …</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>"backups/{id}" and the like.</summary>
    public string? LinkPath { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false,
    };

    public string Subject => RunLogClip($"[BackupPanel] {NotificationEventNames.Label(Event)}: {Headline}", 400);

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f && f >= s ? f - s : null;

    /// <summary>The facts as label–value pairs, in the order messages show them.</summary>
    public IReadOnlyList<(string Label, string Value)> Table()
    {
        var rows = new List<(string, string)>();
        void Add(string label, string? value) { if (!string.IsNullOrEmpty(value)) rows.Add((label, value)); }
        Add("Domain", DomainName);
        Add("Plan", PlanName);
        Add("Type", Type);
        Add("Status", Status);
        Add("Started", StartedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Add("Finished", FinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Add("Duration", Duration is { } d ? Units.Duration(d) : null);
        Add("Size", StoredBytes is > 0 ? Units.Bytes(StoredBytes.Value) : null);
        Add("Destinations", Destinations.Count > 0 ? string.Join(", ", Destinations) : null);
        Add("Error", Error);
        return rows;
    }

    public string Link(string? panelUrl) => panelUrl is { Length: > 0 } && LinkPath is not null ? panelUrl.TrimEnd('/') + "/" + LinkPath : "";

    public string Text(string? panelUrl)
    {
        var text = new StringBuilder().Append(Headline).Append("\n\n");
        foreach (var (label, value) in Table())
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }

        foreach (var line in Details)
        {
            text.Append("- ").Append(line).Append('\n');
        }

        if (Link(panelUrl) is { Length: > 0 } link)
        {
            text.Append("\nOpen it: ").Append(link).Append('\n');
        }

        return text.Append("\n-- \nBackupPanel\n").ToString();
    }

    public string Html(string? panelUrl)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif;color:#222\">");
        html.Append("<h2 style=\"font-size:18px\">").Append(E(Headline)).Append("</h2><table cellpadding=\"4\" style=\"border-collapse:collapse\">");
        foreach (var (label, value) in Table())
        {
            html.Append("<tr><th align=\"left\" valign=\"top\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        html.Append("</table>");
        if (Details.Count > 0)
        {
            html.Append("<ul>").AppendJoin("", Details.Select(d => "<li>" + E(d) + "</li>")).Append("</ul>");
        }

        if (Link(panelUrl) is { Length: > 0 } link)
        {
            html.Append("<p><a href=\"").Append(E(link)).Append("\">Open it in BackupPanel</a></p>");
        }

        return html.Append("<p style=\"color:#777;font-size:12px\">BackupPanel</p></body></html>").ToString();
    }

    /// <summary>The webhook body (docs/SCHEDULES.md, "Webhooks"): stable field names, times in ISO 8601 UTC.</summary>
    public string WebhookJson(Guid deliveryId, DateTimeOffset occurredAt, string? panelUrl) => JsonSerializer.Serialize(new
    {
        @event = NotificationEventNames.Key(Event),
        id = deliveryId,
        occurredAt = occurredAt.ToUniversalTime(),
        summary = Headline,
        plan = PlanId is null ? null : new { id = PlanId, name = PlanName },
        domain = DomainName,
        backup = BackupId is null ? null : new
        {
            id = BackupId, type = Type, status = Status, startedAt = StartedAt?.ToUniversalTime(), finishedAt = FinishedAt?.ToUniversalTime(),
            durationSeconds = Duration?.TotalSeconds, storedBytes = StoredBytes, destinations = Destinations,
        },
        error = Error,
        details = Details.Count > 0 ? Details : null,
        url = Link(panelUrl) is { Length: > 0 } l ? l : null,
    }, Json);

    private static string RunLogClip(string s, int max) => RunLog.Clip(s.ReplaceLineEndings(" "), max);
}
