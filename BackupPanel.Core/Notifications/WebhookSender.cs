using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace BackupPanel.Core.Notifications;

/// <summary>
/// Webhooks and pings over HTTP. A webhook is a JSON POST signed with HMAC-SHA256 over "timestamp.body"
/// (docs/SCHEDULES.md shows how to check it); a ping is a POST to a healthchecks.io-style URL. Redirects are not
/// followed and only a 2xx answer counts.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, TimeProvider clock)
{
    public const string ClientName = "notifications";
    public const string SignatureHeader = "X-BackupPanel-Signature";
    public const string TimestampHeader = "X-BackupPanel-Timestamp";
    public const string EventHeader = "X-BackupPanel-Event";
    public const string DeliveryHeader = "X-BackupPanel-Delivery";

    /// <summary>"sha256=" and the lowercase hex HMAC-SHA256 of "<paramref name="timestamp"/>.<paramref name="body"/>" keyed by the secret's UTF-8 bytes.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    public async Task PostJsonAsync(string url, string secret, string eventKey, Guid deliveryId, string body, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(EventHeader, eventKey);
        request.Headers.Add(DeliveryHeader, deliveryId.ToString());
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(secret, timestamp, body));
        await SendAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>Pings <paramref name="url"/> with a short plain-text body (healthchecks.io keeps it as the ping's log).</summary>
    public async Task PingAsync(string url, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        await SendAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>The ping URL for a run's start, success or failure: "/start" and "/fail" go before any query.</summary>
    public static string PingUrl(string baseUrl, string? suffix, Guid runId)
    {
        var uri = new UriBuilder(baseUrl);
        if (suffix is not null)
        {
            uri.Path = uri.Path.TrimEnd('/') + "/" + suffix;
        }

        var rid = "rid=" + runId.ToString("D"); // healthchecks.io pairs a run's start and end by this id
        uri.Query = string.IsNullOrEmpty(uri.Query) || uri.Query == "?" ? rid : uri.Query.TrimStart('?') + "&" + rid;
        return uri.Uri.AbsoluteUri;
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("BackupPanel", typeof(WebhookSender).Assembly.GetName().Version?.ToString(3)));
        var where = Notification.Redact(request.RequestUri!.AbsoluteUri);
        var client = http.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new NotificationDeliveryException($"{where} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new NotificationDeliveryException($"Could not reach {where}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new NotificationDeliveryException($"{where} did not answer within {client.Timeout.TotalSeconds:0} s.", ex);
        }
    }
}
