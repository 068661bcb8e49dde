using MudBlazor;

namespace BackupPanel.Components.Layout;

/// <summary>The panel's colours; system fonts so that nothing is fetched from outside.</summary>
internal static class BackupPanelTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5bb8",
            Secondary = "#00897b",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2937",
            Background = "#f3f5f9",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#ed6c02",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea0ff",
            Secondary = "#4db6ac",
            AppbarBackground = "#1d2025",
            Background = "#121417",
            Surface = "#1d2025",
            DrawerBackground = "#1a1c20",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
