namespace BackupPanel.Core.Archive;

// The folders of the target and of the staging folder, reached by descriptor one folder at a time.
public sealed partial class StagedTree
{
    /// <summary>
    /// The folder a path's last name lives in, opened beneath a root: the last one is kept open, since tar entries
    /// come folder by folder. In staging, missing folders are created (mode 0700 until their own entry sets theirs).
    /// </summary>
    private sealed class FolderCache(DirectoryHandle? root, bool create) : IDisposable
    {
        private string? _lastPath;
        private DirectoryHandle? _last;

        public (DirectoryHandle Parent, string Name) ParentOf(string path)
        {
            var slash = path.LastIndexOf('/');
            return slash < 0 ? (root!, path) : (Folder(path[..slash])!, path[(slash + 1)..]);
        }

        /// <summary>Whether the path exists beneath the root (a link or a file where a folder is expected counts as existing: it will be replaced).</summary>
        public bool Exists(string path)
        {
            try
            {
                var slash = path.LastIndexOf('/');
                var parent = slash < 0 ? root : Folder(path[..slash]);
                return parent is null || parent.Stat(slash < 0 ? path : path[(slash + 1)..]) is not null;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public void Dispose()
        {
            _last?.Dispose();
            _last = null;
            _lastPath = null;
        }

        private DirectoryHandle? Folder(string path)
        {
            if (path == _lastPath && _last is not null)
            {
                return _last;
            }

            Dispose();
            var folder = create ? CreateBeneath(path) : root!.TryOpenBeneath(path);
            (_last, _lastPath) = (folder, folder is null ? null : path);
            return folder;
        }

        private DirectoryHandle CreateBeneath(string path)
        {
            if (root!.TryOpenBeneath(path) is { } existing)
            {
                return existing;
            }

            var current = root;
            foreach (var name in path.Split('/'))
            {
                var next = current.TryOpenDirectory(name) ?? current.CreateDirectory(name, Private);
                if (!ReferenceEquals(current, root))
                {
                    current.Dispose();
                }

                current = next;
            }

            return current;
        }
    }
}
