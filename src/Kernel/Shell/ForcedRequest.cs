using Tether.Platform.Quoting;

namespace Tether.Kernel.Shell;

public enum ForcedRequestKind
{
    /// <summary><c>tether shell PATH [--peer-uuid UUID]</c>: the content protocol (and NOTIFY).</summary>
    TetherShell,
    /// <summary><c>git-upload-pack 'PATH'</c>: a fetch.</summary>
    UploadPack,
    /// <summary><c>git-receive-pack 'PATH'</c>: a push.</summary>
    ReceivePack,
}

/// <summary>
/// The one command an ssh forced command runs, read from <c>SSH_ORIGINAL_COMMAND</c>: only what Tether itself sends, in
/// the forms it and git write them (<see cref="ShellWords"/>: single quotes, <c>'\''</c>), nothing else.
/// The program word of <c>tether shell</c> may be a path ending in <c>/tether</c> (TETHER_REMOTE_COMMAND on the client),
/// but it is never run: the forced command serves the request itself.
/// </summary>
public sealed record ForcedRequest(ForcedRequestKind Kind, string Path, string? PeerUuid)
{
    private const int ShownLength = 200;

    /// <exception cref="ShellRefusedException">Anything but those three forms.</exception>
    public static ForcedRequest Parse(string? original)
    {
        if (string.IsNullOrWhiteSpace(original))
            throw new ShellRefusedException("no command given: this key runs only tether's own commands (no login shell)");
        var words = ShellWords.TrySplit(original, out var why)
            ?? throw new ShellRefusedException($"'{Shown(original)}' is refused: {why}");
        if (words.Count == 2 && words[0] is "git-upload-pack" or "git-receive-pack")
            return new ForcedRequest(words[0] == "git-upload-pack" ? ForcedRequestKind.UploadPack : ForcedRequestKind.ReceivePack, PathWord(words[1], original), null);
        if (words.Count >= 3 && IsTetherProgram(words[0]) && words[1] == "shell")
        {
            var path = PathWord(words[2], original);
            if (words.Count == 3) return new ForcedRequest(ForcedRequestKind.TetherShell, path, null);
            if (words.Count == 5 && words[3] == "--peer-uuid") return new ForcedRequest(ForcedRequestKind.TetherShell, path, words[4]);
        }
        throw new ShellRefusedException($"'{Shown(original)}' is not a command this key may run (only 'tether shell PATH', 'git-upload-pack PATH' and 'git-receive-pack PATH')");
    }

    private static bool IsTetherProgram(string word) => word == "tether" || word.EndsWith("/tether", StringComparison.Ordinal) && !word.Contains("..", StringComparison.Ordinal);

    private static string PathWord(string word, string original) =>
        word.Length == 0 || word.StartsWith('-')
            ? throw new ShellRefusedException($"'{Shown(original)}' is refused: '{Shown(word)}' is not a repository path")
            : word;

    /// <summary>What the client sent, safe for a one-line message and a log: control characters replaced, bounded.</summary>
    public static string Shown(string text)
    {
        var flat = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return flat.Length <= ShownLength ? flat : flat[..ShownLength] + "…";
    }
}
