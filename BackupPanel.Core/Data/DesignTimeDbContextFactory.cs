using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BackupPanel.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the web host or the embedded database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BackupPanelDbContext>
{
    public BackupPanelDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BackupPanelDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=backuppanel_design")
            .Options;
        return new BackupPanelDbContext(options);
    }
}
