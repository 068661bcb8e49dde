namespace BackupPanel.Tests.Archive;

/// <summary>Source trees with everything a restore must get right.</summary>
public static class TestTrees
{
    /// <summary>
    /// Unicode and 200-byte names, a long path, symlinks (relative, absolute, dangling), empty folders, zero-byte
    /// and large files, odd modes and old mtimes.
    /// </summary>
    public static string CreateTricky(string root, int largeFileBytes)
    {
        Directory.CreateDirectory(root);
        var longName = new string('n', 196) + ".txt";
        Write(root, "index.html", "<h1>héllo</h1>");
        Write(root, "日本語/ファイル.txt", "unicode content");
        Write(root, "Ünïcödé dir/spaced name.txt", "spaces");
        Write(root, longName, "a 200-byte name");
        Write(root, string.Join('/', Enumerable.Range(0, 12).Select(i => $"deep-folder-{i:00}-" + new string('x', 20))) + "/leaf.txt", "a long path");
        Write(root, "empty.bin", "");
        Directory.CreateDirectory(Path.Combine(root, "empty-dir"));
        Directory.CreateDirectory(Path.Combine(root, "nested/empty/twice"));
        var large = new byte[largeFileBytes];
        new Random(42).NextBytes(large.AsSpan(0, large.Length / 2)); // half random, half zeros
        Directory.CreateDirectory(Path.Combine(root, "media"));
        File.WriteAllBytes(Path.Combine(root, "media", "large.bin"), large);
        File.CreateSymbolicLink(Path.Combine(root, "link-to-index"), "index.html");
        File.CreateSymbolicLink(Path.Combine(root, "日本語/up-link"), "../media/large.bin");
        File.CreateSymbolicLink(Path.Combine(root, "absolute-link"), "/etc/hostname");
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "does/not/exist");
        Write(root, "bin/run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(root, "bin/run.sh"), (UnixFileMode)0b111_101_000 | UnixFileMode.SetUser); // 4750: chown must not clear it
        Write(root, "secret.txt", "private");
        File.SetUnixFileMode(Path.Combine(root, "secret.txt"), UnixFileMode.UserRead); // 0400
        File.SetUnixFileMode(Path.Combine(root, "empty-dir"), (UnixFileMode)0b111_000_000 | UnixFileMode.SetGroup); // 2700
        File.SetLastWriteTimeUtc(Path.Combine(root, "index.html"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "empty-dir"), new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        return root;
    }

    public static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
