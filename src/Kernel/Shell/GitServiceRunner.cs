using Tether.Platform.Processes;
using Tether.Platform.Quoting;

namespace Tether.Kernel.Shell;

/// <summary>
/// Runs git-upload-pack or git-receive-pack for a forced command, on the ssh session's own stdin and stdout, on the
/// resolved path. Read-only refuses receive-pack. Append-only runs receive-pack so that refs only move forward,
/// enforced by this side whatever the client sends:
/// <list type="bullet">
/// <item><c>-c receive.denyDeletes=true -c receive.denyNonFastForwards=true</c>: git's own checks, in the command line,
/// which outranks every config file (so the repository's own config cannot turn them off); git applies them to
/// <c>refs/heads/</c> only,</item>
/// <item>so a <c>pre-receive</c> hook of ours checks every ref (tags and any other namespace too): a deletion or an
/// update whose old value is not an ancestor of the new one (<c>git merge-base --is-ancestor</c>, which sees the
/// quarantined new objects) rejects the whole push before any ref moves. It is installed through
/// <c>-c core.hooksPath</c> pointing at a private temporary folder made for this one push, in which the repository's
/// own hooks are linked (its own pre-receive runs after ours), so nothing the client sends and nothing in the
/// repository can skip it; the client's <c>--no-verify</c> only skips its own hooks.</item>
/// </list>
/// </summary>
public static class GitServiceRunner
{
    public static async Task<int> RunAsync(ForcedRequestKind kind, string repository, ShellAccess access, CancellationToken ct)
    {
        if (kind == ForcedRequestKind.UploadPack)
            return await ProcessRunner.RunAttachedAsync(new ProcessSpec("git", ["upload-pack", repository]), ct);
        if (access == ShellAccess.ReadOnly)
            throw new ShellRefusedException("this key is read-only: pushing (git-receive-pack) is refused");
        if (access == ShellAccess.Full)
            return await ProcessRunner.RunAttachedAsync(new ProcessSpec("git", ["receive-pack", repository]), ct);
        var hooks = await AppendOnlyHooksAsync(repository, ct);
        try
        {
            return await ProcessRunner.RunAttachedAsync(new ProcessSpec("git",
            [
                "-c", "receive.denyDeletes=true", "-c", "receive.denyNonFastForwards=true", "-c", $"core.hooksPath={hooks}",
                "receive-pack", repository,
            ]), ct);
        }
        finally
        {
            try { Directory.Delete(hooks, recursive: true); } catch (IOException) { } // a folder left in the temp folder is harmless
        }
    }

    /// <summary>A private folder holding our pre-receive and links to the repository's own other hooks.</summary>
    private static async Task<string> AppendOnlyHooksAsync(string repository, CancellationToken ct)
    {
        var own = await OwnHooksFolderAsync(repository, ct);
        var folder = Directory.CreateTempSubdirectory("tether-append-only-").FullName; // 0700
        if (Directory.Exists(own))
            foreach (var hook in Directory.EnumerateFileSystemEntries(own))
                if (Path.GetFileName(hook) is var name && name != "pre-receive" && !name.EndsWith(".sample", StringComparison.Ordinal))
                    File.CreateSymbolicLink(Path.Combine(folder, name), hook);
        var script = Path.Combine(folder, "pre-receive");
        await File.WriteAllTextAsync(script, PreReceive(Path.Combine(own, "pre-receive")), ct);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    /// <summary>The repository's hooks folder as git sees it (core.hooksPath honoured), absolute.</summary>
    private static async Task<string> OwnHooksFolderAsync(string repository, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("git", ["-C", repository, "rev-parse", "--git-path", "hooks"]) { Timeout = TimeSpan.FromSeconds(30) }, ct);
        if (result.ExitCode != 0) throw new ShellRefusedException($"{repository} is not a git repository");
        return Path.GetFullPath(result.Stdout.Trim(), repository);
    }

    /// <summary>The check, as sh: no word from the client is ever part of the script (ref names and ids arrive on stdin).</summary>
    private static string PreReceive(string ownHook) => $$"""
        #!/bin/sh
        # Written by tether shell --append-only for one push: refs may only move forward.
        input=$(cat)
        printf '%s\n' "$input" | while read -r old new ref; do
          [ -n "$ref" ] || continue
          case "$new" in *[!0]*) ;; *) printf 'tether shell: append-only: deleting %s is refused\n' "$ref" >&2; exit 1 ;; esac
          case "$old" in *[!0]*) ;; *) continue ;; esac
          if ! git merge-base --is-ancestor "$old" "$new" 2>/dev/null; then
            printf 'tether shell: append-only: %s would not move forward (a rewrite or a force push); refused\n' "$ref" >&2
            exit 1
          fi
        done || exit 1
        own={{ShellQuote.Quote(ownHook)}}
        if [ -x "$own" ]; then printf '%s\n' "$input" | "$own" "$@" || exit 1; fi
        exit 0

        """.Replace("\r", "");
}
