namespace BackupPanel.Hosting;

/// <summary>A start-up problem the operator can fix; its message says how. Printed without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
