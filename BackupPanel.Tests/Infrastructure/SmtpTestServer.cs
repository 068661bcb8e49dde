using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackupPanel.Hosting;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Storage;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A real SMTP server in this process (NuGet SmtpServer) on 127.0.0.1: STARTTLS with a self-signed certificate,
/// AUTH required and refused before TLS, one user. Messages received are parsed with MimeKit and kept with their envelope.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    public const string User = "mailer";
    public const string Password = "Smtp-test-password-7";

    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    public SmtpTestServer(int port = 0)
    {
        Port = port == 0 ? EmbeddedPostgres.FreePort() : port;
        var options = new SmtpServerOptionsBuilder().ServerName("smtp.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).Certificate(Certificate).AuthenticationRequired(true).AllowUnsecureAuthentication(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new DelegatingUserAuthenticator((user, password) => user == User && password == Password));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>One self-signed certificate for every server of the run, so a pin survives a server's restart.</summary>
    public static X509Certificate2 Certificate => SharedCertificate.Value;

    private static readonly Lazy<X509Certificate2> SharedCertificate = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=smtp.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    });

    /// <summary>What arrived: the envelope's recipients and the parsed message.</summary>
    public ConcurrentQueue<(IReadOnlyList<string> To, MimeMessage Message)> Received { get; } = new();

    /// <summary>The first message to <paramref name="to"/> whose subject contains <paramref name="subject"/>, waiting for it.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, string subject, int timeoutSeconds = 60)
    {
        MimeMessage? found = null;
        await Poll.UntilAsync(() => (found = Received.Where(r => r.To.Contains(to, StringComparer.OrdinalIgnoreCase))
            .Select(r => r.Message).FirstOrDefault(m => m.Subject?.Contains(subject, StringComparison.Ordinal) == true)) is not null,
            $"an email to {to} about \"{subject}\"", timeoutSeconds);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(10));
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override async Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            owner.Received.Enqueue(([.. transaction.To.Select(m => $"{m.User}@{m.Host}")], message));
            return SmtpServer.Protocol.SmtpResponse.Ok;
        }
    }
}
