using Tether.Kernel.Git;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.History;

/// <summary>
/// Reads history with the system git's `log --raw -z` (the fastest walk there is, and `--follow` for renames): each
/// commit's id, time, the node that made it (its <see cref="CommitNode.Trailer"/>), subject, and its changed paths.
/// Merge commits carry no raw lines, so each change is reported once, by the commit that made it.
/// </summary>
public sealed class GitLog(AnnexRepository repo)
{
    private const char RecordSeparator = '\x1e';
    private const char FieldSeparator = '\x1f';
    private const string Format = "--format=%x1e%H%x1f%ct%x1f%(trailers:key=" + CommitNode.Trailer + ",valueonly,separator=%x2c)%x1f%s%x1f";

    /// <param name="extra">More `git log` options (--follow, --diff-filter=D, --since=...).</param>
    /// <param name="paths">Limit to these paths (none: everything).</param>
    public async Task<IReadOnlyList<LoggedChange>> ReadAsync(IEnumerable<string> extra, IReadOnlyCollection<string> paths, CancellationToken ct, string revision = "HEAD")
    {
        if (!HasCommits()) return [];
        List<string> args = ["-c", "core.quotepath=off", "log", "--raw", "--no-abbrev", "-z", "-M", Format, .. extra, revision, "--"];
        args.AddRange(paths);
        var result = await GitProcess.RunAsync(repo.WorkTree ?? repo.GitDir, args, ct);
        if (result.ExitCode != 0) throw new IOException($"git log failed: {result.ErrorText}");
        return Parse(result.Stdout);
    }

    private bool HasCommits()
    {
        using var git = repo.OpenGit();
        return git.Head.Tip is not null;
    }

    public static IReadOnlyList<LoggedChange> Parse(string output)
    {
        var changes = new List<LoggedChange>();
        foreach (var record in output.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.Split(FieldSeparator, 5);
            if (fields.Length < 5) continue;
            var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
            var node = fields[2].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            var tokens = fields[4].Split('\0');
            for (var i = 0; i < tokens.Length; i++)
            {
                var header = tokens[i].TrimStart('\n');
                if (!header.StartsWith(':')) continue;
                var parts = header[1..].Split(' ');
                if (parts.Length < 5 || i + 1 >= tokens.Length) continue;
                var status = parts[4][0];
                if (status is 'R' or 'C')
                {
                    if (i + 2 >= tokens.Length) break;
                    changes.Add(new LoggedChange(fields[0], at, node, fields[3], status, tokens[i + 1], tokens[i + 2], parts[0], parts[1], parts[2], parts[3]));
                    i += 2;
                }
                else
                {
                    changes.Add(new LoggedChange(fields[0], at, node, fields[3], status, null, tokens[i + 1], parts[0], parts[1], parts[2], parts[3]));
                    i += 1;
                }
            }
        }
        return changes;
    }
}
