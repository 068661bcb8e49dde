using System.Diagnostics;
using System.Security.Cryptography;
using BackupPanel.Core.Storage.Sftp;
using BackupPanel.Hosting;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A private OpenSSH server for SFTP (a second sshd, UsePAM off): its own config, host key and authorized keys under /tmp,
/// 127.0.0.1 and a free port, `internal-sftp` only, one local test user with a password set per run and two client
/// keys (ed25519 in OpenSSH format, RSA in PEM format with a passphrase). Needs root (useradd, chpasswd).
/// </summary>
public sealed class SshdFixture : IAsyncLifetime, IDisposable
{
    public const string User = "bp-sftptest";
    private string _dir = "";
    private ServerProcess? _server;

    public int Port { get; private set; }

    /// <summary>One password per test process: every instance sets it for the shared user (chpasswd), so they agree.</summary>
    public static string Password { get; } = "Sftp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public string KeyPassphrase { get; } = "Key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>"SHA256:…" of the server's host key, as ssh-keygen prints it.</summary>
    public string HostKey { get; private set; } = "";

    public string Ed25519Key { get; private set; } = "";

    public string RsaPemKey { get; private set; } = "";

    /// <summary>The test user's home (the SFTP login folder), to look at what the server really holds.</summary>
    public string Home => Path.Combine(_dir, "home");

    public async Task InitializeAsync()
    {
        _dir = TestPaths.NewTempDir("sshd");
        Port = EmbeddedPostgres.FreePort();
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory("/run/sshd");
        // One system user for every instance; each server starts SFTP sessions in its own folder (internal-sftp -d),
        // so instances running side by side never share files.
        await Shell.BashAsync($"id {User} >/dev/null 2>&1 || useradd -M -d /tmp -s /usr/sbin/nologin {User}; [ \"$(getent passwd {User} | cut -d: -f6)\" = /tmp ] || usermod -d /tmp {User}; " +
            $"echo '{User}:{Password}' | chpasswd; chown {User}: {Home}; " +
            $"ssh-keygen -q -t ed25519 -N '' -f {_dir}/host_ed25519; ssh-keygen -q -t ed25519 -N '' -f {_dir}/client_ed25519; " +
            $"ssh-keygen -q -t rsa -b 2048 -m PEM -N '{KeyPassphrase}' -f {_dir}/client_rsa; cat {_dir}/client_*.pub > {_dir}/authorized_keys")
            .ContinueWith(t => t.Result.EnsureSuccess("sshd set-up"));
        HostKey = (await Shell.RunAsync("ssh-keygen", ["-l", "-E", "sha256", "-f", $"{_dir}/host_ed25519.pub"])).EnsureSuccess("ssh-keygen -l").Output.Split(' ')[1];
        Ed25519Key = await File.ReadAllTextAsync($"{_dir}/client_ed25519");
        RsaPemKey = await File.ReadAllTextAsync($"{_dir}/client_rsa");
        await File.WriteAllTextAsync($"{_dir}/sshd_config", $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {_dir}/host_ed25519
            PidFile {_dir}/sshd.pid
            UsePAM no
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            AuthorizedKeysFile {_dir}/authorized_keys
            StrictModes no
            PermitRootLogin no
            AllowUsers {User}
            Subsystem sftp internal-sftp -d {Home}
            ForceCommand internal-sftp -d {Home}
            MaxStartups 100
            MaxSessions 100
            """);
        _server = new ServerProcess("sshd", Port, new ProcessStartInfo("/usr/sbin/sshd") { ArgumentList = { "-D", "-e", "-f", $"{_dir}/sshd_config" } });
        await _server.StartAsync();
    }

    /// <summary>Settings for a fresh folder of the login folder, with the password and the pinned host key.</summary>
    public SftpSettings Settings(string? root = null) => new()
    {
        Host = "127.0.0.1", Port = Port, User = User, Password = Password, HostKeySha256 = HostKey,
        Root = root ?? "t-" + Guid.NewGuid().ToString("N")[..8],
    };

    /// <summary>Stops the server and every open session (an outage).</summary>
    public void Kill() => _server!.Kill();

    public Task RestartAsync() => _server!.StartAsync();

    public void Dispose() => _server?.Dispose();

    public Task DisposeAsync()
    {
        _server?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SshdCollectionDefinition : ICollectionFixture<SshdFixture>
{
    public const string Name = "sshd";
}
