namespace BackupPanel.Core.Import;

/// <summary>Counts Maildir mailboxes under known folders: a mailbox is a folder with cur/, new/ or tmp/; messages are the files in cur/ and new/.</summary>
internal sealed class MaildirTally
{
    private readonly Dictionary<string, (string Address, long Messages, long Bytes)> _boxes = new(StringComparer.Ordinal);

    /// <summary>Notes <paramref name="entry"/> when it lies in mailbox <paramref name="root"/> (ending with '/').</summary>
    public void Add(string address, string root, WalkEntry entry)
    {
        if (entry.Under(root) is not { } inside)
        {
            return;
        }

        var segments = inside.Split('/');
        if (segments[0] is not ("cur" or "new" or "tmp"))
        {
            return;
        }

        var box = _boxes.GetValueOrDefault(root, (address, 0, 0));
        if (segments.Length == 2 && segments[0] != "tmp" && entry.Kind == WalkEntryKind.File)
        {
            box = (address, box.Messages + 1, box.Bytes + entry.Size);
        }

        _boxes[root] = box;
    }

    public List<ImportMailboxPreview> Mailboxes() =>
        _boxes.OrderBy(b => b.Value.Address, StringComparer.Ordinal).Select(b => new ImportMailboxPreview(b.Value.Address, b.Value.Messages, b.Value.Bytes, b.Key)).ToList();
}
