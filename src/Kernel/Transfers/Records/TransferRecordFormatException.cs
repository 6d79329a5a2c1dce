namespace Tether.Kernel.Transfers.Records;

/// <summary>A transfer info file whose content is not what git-annex writes; names the file.</summary>
public sealed class TransferRecordFormatException : FormatException
{
    public string? FilePath { get; }

    public TransferRecordFormatException(string? filePath, string reason)
        : base($"{(filePath is null ? "transfer info" : $"'{filePath}'")} is not a git-annex transfer record: {reason}")
    {
        FilePath = filePath;
    }
}
