using Tether.Sdk.Keys;

namespace Tether.Kernel.Transfers;

/// <summary>Move one key's content: upload to Remote, or download (Remote null: from any remote that has it).</summary>
/// <param name="File">The work-tree path the content is for, so the user sees names.</param>
public sealed record TransferRequest(TransferDirection Direction, Key Key, string File, string? Remote);
