using Tether.Sdk.Keys;

namespace Tether.Kernel.Transfers;

/// <summary>Move one key's content: upload to Remote, or download (Remote null: from any remote that has it).</summary>
/// <param name="File">The work-tree path the content is for, so the user sees names.</param>
public sealed record TransferRequest(TransferDirection Direction, Key Key, string File, string? Remote)
{
    /// <summary>Two requests with the same identity are one transfer (the file name is only a label).</summary>
    public (TransferDirection, Key, string?) Identity => (Direction, Key, Remote);

    /// <summary>A short stable id for `tether transfers cancel ID`.</summary>
    public string Id => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{Direction}\n{Key}\n{Remote}")))[..8];
}
