using System.Net;
using System.Text.RegularExpressions;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A browser-like HTTP client for the static (SSR) pages: keeps cookies, does not follow redirects, and posts Blazor
/// forms with their antiforgery token and handler name, as a browser would.
/// </summary>
public sealed partial class PanelClient : IDisposable
{
    private readonly HttpClient _http;

    public PanelClient(string baseUrl)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(baseUrl),
        };
    }

    public CookieContainer Cookies { get; }

    /// <summary>Headers sent with every request (e.g. what a reverse proxy adds).</summary>
    public System.Net.Http.Headers.HttpRequestHeaders Headers => _http.DefaultRequestHeaders;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content) => _http.PostAsync(path, content);

    /// <summary>GETs <paramref name="path"/>, then posts the named Blazor form there with the given fields.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string path, string formName, IDictionary<string, string> fields)
    {
        var page = await _http.GetStringAsync(path);
        return await PostFormAsync(path, formName, fields, page);
    }

    /// <summary>Posts a form using the antiforgery token found in <paramref name="page"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, string formName, IDictionary<string, string> fields, string page)
    {
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["_handler"] = formName,
        };
        return await _http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Signs in through the real sign-in page; returns the response (a redirect when it worked).</summary>
    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        SubmitFormAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    /// <summary>The antiforgery token a page's forms carry.</summary>
    public static string AntiforgeryToken(string page)
    {
        var token = TokenPattern().Match(page);
        Assert.True(token.Success, "no antiforgery token on the page");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
