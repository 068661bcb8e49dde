using BackupPanel.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BackupPanel.Tests.Web;

/// <summary>The one live refresh of the pages, on a clock the test moves.</summary>
public sealed class LiveRefreshTests : BunitTestBase
{
    private readonly FakeTimeProvider _clock = new();
    private int _refreshes;

    public LiveRefreshTests() => Services.AddSingleton<TimeProvider>(_clock);

    [Fact]
    public void LiveRefresh_WhileTrue_RefreshesEveryPeriod()
    {
        var refresh = Render(true);

        Tick(refresh, 1);
        Tick(refresh, 2);

        Assert.True(refresh.Instance.Running);
    }

    [Fact]
    public void LiveRefresh_WhileTurnsFalse_StopsAndStartsAgainWhenTrue()
    {
        var refresh = Render(true);
        Tick(refresh, 1);

        refresh.Render(p => p.Add(r => r.While, false));
        Assert.False(refresh.Instance.Running);

        refresh.Render(p => p.Add(r => r.While, true));
        Assert.True(refresh.Instance.Running);
        Tick(refresh, 2);
    }

    [Fact]
    public async Task LiveRefresh_Disposed_StopsItsLoop()
    {
        var refresh = Render(true);
        Tick(refresh, 1);

        await refresh.Instance.DisposeAsync();

        Assert.False(refresh.Instance.Running);
    }

    [Fact]
    public void LiveRefresh_WhileFalse_NeverStarts()
    {
        var refresh = Render(false);

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.False(refresh.Instance.Running);
        Assert.Equal(0, _refreshes);
    }

    private IRenderedComponent<LiveRefresh> Render(bool refreshing) => Render<LiveRefresh>(p => p
        .Add(r => r.Every, TimeSpan.FromSeconds(1))
        .Add(r => r.While, refreshing)
        .Add(r => r.OnRefresh, EventCallback.Factory.Create(this, () => _refreshes++)));

    // One period passes; the refresh it brings is waited for (it runs on the renderer, after the timer's tick).
    private void Tick(IRenderedComponent<LiveRefresh> refresh, int expected)
    {
        _clock.Advance(TimeSpan.FromSeconds(1));
        refresh.WaitForState(() => Volatile.Read(ref _refreshes) >= expected, TimeSpan.FromSeconds(5));
    }
}
