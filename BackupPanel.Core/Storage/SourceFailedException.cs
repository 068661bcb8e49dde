namespace BackupPanel.Core.Storage;

/// <summary>
/// Wraps a failure of the content stream a backend was given, so the backend can tell it from its own I/O errors:
/// the backend cleans up and rethrows the original, unclassified (the source's problem is not the destination's).
/// </summary>
internal sealed class SourceFailedException(Exception inner) : Exception(inner.Message, inner);
