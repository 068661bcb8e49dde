using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace BackupPanel.Hosting;

/// <summary>
/// Behind a reverse proxy (TLS terminated there): X-Forwarded-For and X-Forwarded-Proto are honoured only from the
/// addresses listed in <c>BackupPanel:KnownProxies</c> (addresses or CIDR networks), so the audit log shows the real
/// client and cookies are Secure when the browser used HTTPS. From anyone else the headers are ignored: a client cannot
/// make itself look like another address.
/// </summary>
internal static class ProxyHosting
{
    public const string Section = "BackupPanel:KnownProxies";

    public static void UseKnownProxies(this WebApplication app)
    {
        var entries = app.Configuration.GetSection(Section).Get<string[]>() ?? [];
        if (entries.Length == 0) return; // no proxy: forwarded headers mean nothing
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in entries)
        {
            if (IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
            else if (System.Net.IPNetwork.TryParse(entry, out var network)) options.KnownIPNetworks.Add(network);
            else throw new StartupException($"{Section}: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.");
        }

        app.UseForwardedHeaders(options);
    }
}
