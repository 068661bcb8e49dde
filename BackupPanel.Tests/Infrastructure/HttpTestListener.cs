using System.Collections.Concurrent;
using System.Net;
using BackupPanel.Hosting;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) that records every request and answers with <see cref="Status"/>.</summary>
public sealed class HttpTestListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public HttpTestListener()
    {
        Port = EmbeddedPostgres.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>What every request gets back.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public ConcurrentQueue<Request> Received { get; } = new();

    public sealed record Request(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);

    public async Task<Request> WaitForAsync(Func<Request, bool> match, string what, int timeoutSeconds = 60)
    {
        Request? found = null;
        await Poll.UntilAsync(() => (found = Received.FirstOrDefault(match)) is not null, what, timeoutSeconds);
        return found!;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body));
            context.Response.StatusCode = (int)Status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
