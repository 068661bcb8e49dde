using System.Net;
using System.Net.Sockets;

namespace BackupPanel.Core.Security.Network;

/// <summary>
/// Which addresses the panel's outgoing webhooks and pings may reach: none of the loopback, private, link-local
/// (cloud metadata at 169.254.169.254 included), carrier-grade NAT, unspecified or multicast ones, unless an Admin
/// listed the address, network or host name (Administration → Security). An Operator's URL must not make the panel
/// call into its own network.
/// </summary>
public static class NetworkRules
{
    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Whether <paramref name="address"/> is in the panel's own or a private network.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Private.Any(n => n.BaseAddress.AddressFamily == plain.AddressFamily && n.Contains(plain));
    }

    /// <summary>Whether an allow-list entry (an address, a network in CIDR notation, or a host name) covers this host and address.</summary>
    public static bool IsListed(string host, IPAddress address, IReadOnlyList<string> allowList)
    {
        ArgumentNullException.ThrowIfNull(allowList);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return allowList.Any(entry =>
            string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(entry, out var ip) && ip.Equals(plain))
            || (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network)
                && network.BaseAddress.AddressFamily == plain.AddressFamily && network.Contains(plain)));
    }

    /// <summary>Why a URL's host may not be called (checked without DNS: literal addresses and localhost), or null.</summary>
    public static string? UrlHostError(string? url, IReadOnlyList<string> allowList)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null; // the URL's own rules say what is wrong
        }

        var host = uri.IdnHost.Trim('[', ']');
        var address = IPAddress.TryParse(host, out var literal) ? literal
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
        return address is not null && IsPrivate(address) && !IsListed(host, address, allowList) ? Refusal(host, address) : null;
    }

    /// <summary>The message for a refused address.</summary>
    public static string Refusal(string host, IPAddress address) =>
        $"{host} is {(host == address.ToString() ? "" : $"at {address}, ")}a loopback, private or link-local address: the panel does not call into its own network unless an Admin allows it (Administration → Security).";

    /// <summary>
    /// Resolves the end point's host and connects to the first address that is public or listed; throws
    /// <see cref="HttpRequestException"/> naming the address when every one is refused (so a name that resolves to a
    /// private address at send time, DNS rebinding included, is refused too).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, IReadOnlyList<string> allowList, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var addresses = IPAddress.TryParse(endPoint.Host.Trim('[', ']'), out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, ct).ConfigureAwait(false);
        var allowed = addresses.Where(a => !IsPrivate(a) || IsListed(endPoint.Host, a, allowList)).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException(addresses.Length == 0 ? $"{endPoint.Host} has no address." : Refusal(endPoint.Host, addresses[0]));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.Select(a => new IPEndPoint(a, endPoint.Port)).First(), ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
