namespace BackupPanel.Core.Backups;

/// <summary>A component's stored bytes opened for download; the caller disposes the stream.</summary>
public sealed record ComponentDownload(Stream Content, string FileName, long Length);
