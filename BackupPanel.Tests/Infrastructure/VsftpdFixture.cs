using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackupPanel.Core.Storage.Ftp;
using BackupPanel.Hosting;

namespace BackupPanel.Tests.Infrastructure;

/// <summary>
/// A private vsftpd on 127.0.0.1 and a free port, plain FTP and explicit FTPS (AUTH TLS, TLS 1.2) with a
/// self-signed certificate, passive ports from a private range, one local test user with a password set per run.
/// Needs root (useradd, chpasswd, a root-owned config).
/// </summary>
public sealed class VsftpdFixture : IAsyncLifetime, IDisposable
{
    public const string User = "bp-ftptest";
    private string _dir = "";
    private ServerProcess? _server;

    public int Port { get; private set; }

    /// <summary>One password per test process: every instance sets it for the shared user (chpasswd), so they agree.</summary>
    public static string Password { get; } = "Ftp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>SHA-256 of the server's self-signed certificate, as the form shows and pins it.</summary>
    public string CertificateSha256 { get; private set; } = "";

    /// <summary>The test user's home (the FTP login folder).</summary>
    public string Home => Path.Combine(_dir, "home");

    public async Task InitializeAsync()
    {
        _dir = TestPaths.NewTempDir("ftp");
        Port = EmbeddedPostgres.FreePort();
        var pasv = Random.Shared.Next(40_000, 59_000);
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        // One system user for every instance; each server logs it into its own folder (local_root).
        (await Shell.BashAsync($"id {User} >/dev/null 2>&1 || useradd -M -d /tmp -s /bin/bash {User}; [ \"$(getent passwd {User} | cut -d: -f6)\" = /tmp ] || usermod -d /tmp {User}; " +
            $"echo '{User}:{Password}' | chpasswd; chown {User}: {Home}; chmod 755 {_dir}/empty; echo {User} > {_dir}/user_list; " +
            $"openssl req -x509 -newkey rsa:2048 -nodes -keyout {_dir}/ftps.key -out {_dir}/ftps.crt -days 2 -subj /CN=localhost " +
            "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null")).EnsureSuccess("vsftpd set-up");
        using (var cert = X509CertificateLoader.LoadCertificateFromFile($"{_dir}/ftps.crt"))
        {
            CertificateSha256 = FtpSettings.FingerprintOf(cert);
        }

        await File.WriteAllTextAsync($"{_dir}/vsftpd.conf", $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={Port}
            background=NO
            anonymous_enable=NO
            local_enable=YES
            write_enable=YES
            local_umask=022
            chroot_local_user=YES
            local_root={Home}
            allow_writeable_chroot=YES
            secure_chroot_dir={_dir}/empty
            pam_service_name=vsftpd
            userlist_enable=YES
            userlist_deny=NO
            userlist_file={_dir}/user_list
            pasv_enable=YES
            pasv_address=127.0.0.1
            pasv_min_port={pasv}
            pasv_max_port={pasv + 60}
            port_enable=NO
            connect_from_port_20=NO
            max_per_ip=100
            xferlog_enable=YES
            vsftpd_log_file={_dir}/vsftpd.log
            log_ftp_protocol=YES
            ssl_enable=YES
            rsa_cert_file={_dir}/ftps.crt
            rsa_private_key_file={_dir}/ftps.key
            allow_anon_ssl=NO
            force_local_logins_ssl=NO
            force_local_data_ssl=NO
            ssl_tlsv1=YES
            ssl_sslv2=NO
            ssl_sslv3=NO
            require_ssl_reuse=NO
            strict_ssl_read_eof=NO
            ssl_ciphers=HIGH

            """);
        // vsftpd writes fatal errors to fd 0, which is closed under a test runner: point it at a file.
        _server = new ServerProcess("vsftpd", Port, new ProcessStartInfo("bash") { ArgumentList = { "-c", $"exec /usr/sbin/vsftpd {_dir}/vsftpd.conf 0>>{_dir}/vsftpd.err" } });
        await _server.StartAsync();
    }

    /// <summary>Settings for a fresh folder of the login folder; explicit FTPS with the pinned certificate when asked.</summary>
    public FtpSettings Settings(bool tls, string? root = null) => new()
    {
        Host = "127.0.0.1", Port = Port, User = User, Password = Password, ExplicitTls = tls, CertificateSha256 = tls ? CertificateSha256 : null,
        Root = root ?? "t-" + Guid.NewGuid().ToString("N")[..8],
    };

    /// <summary>The server's protocol log (to see which commands the client sent).</summary>
    public string ProtocolLog => File.Exists($"{_dir}/vsftpd.log") ? File.ReadAllText($"{_dir}/vsftpd.log") : "";

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
public sealed class VsftpdCollectionDefinition : ICollectionFixture<VsftpdFixture>
{
    public const string Name = "vsftpd";
}
