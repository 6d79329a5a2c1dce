using System.Text;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.Git;
using Tether.Platform.Processes;

namespace Tether.Kernel.Committing;

/// <summary>
/// The candidates of a full scan, as the system git lists them: <c>git status --porcelain=v2 -z</c> checks 100,000
/// files in a tenth of the time libgit2's status walk takes (threaded stat checks, the untracked cache and fsmonitor
/// where the user set them up). The annex filter is off for it, so an unlocked file whose stat git cannot vouch for is
/// listed (its raw bytes differ from its pointer): a superset, which the committer then checks path by path.
/// </summary>
internal static class ChangedPathsFromGit
{
    /// <summary>
    /// The paths git reports changed, staged, unmerged or untracked; null when git cannot tell (not installed, failed),
    /// when there are more than <paramref name="limit"/> (a walk of everything is cheaper then) or when a name is not
    /// valid UTF-8 (libgit2 is handed names as strings: only its own walk finds such a file).
    /// </summary>
    public static async Task<IReadOnlyList<string>?> ListAsync(string workTree, int limit, ILogger log, CancellationToken ct)
    {
        var parser = new PorcelainV2Parser(limit);
        using var overLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var args = new List<string>(PointerStaging.NoFilterDriver) { "--no-optional-locks", "status", "--porcelain=v2", "-z", "--untracked-files=all" };
        ProcessResult result;
        try
        {
            result = await GitProcess.RunAsync(workTree, args, overLimit.Token, returnWhenCancelled: true,
                onStandardOutput: text => { if (!parser.Feed(text)) overLimit.Cancel(); });
        }
        catch (ProcessStartException e)
        {
            log.LogDebug("git status could not be run ({Error}); walking the whole tree", e.Message);
            return null;
        }
        ct.ThrowIfCancellationRequested();
        if (parser.OverLimit) return null;
        if (result.ExitCode != 0)
        {
            log.LogDebug("git status could not list the changes ({Error}); walking the whole tree", result.ErrorText);
            return null;
        }
        return parser.Finish();
    }

    /// <summary>Records of <c>git status --porcelain=v2 -z</c>, fed in pieces as they arrive.</summary>
    private sealed class PorcelainV2Parser(int limit)
    {
        private readonly StringBuilder _pending = new();
        private readonly List<string> _paths = [];
        private bool _nextIsOriginalPath;
        private bool _notUtf8;

        public bool OverLimit { get; private set; }

        /// <summary>False once more than the limit are listed.</summary>
        public bool Feed(string text)
        {
            foreach (var c in text)
            {
                if (c != '\0') { _pending.Append(c); continue; }
                Record(_pending.ToString());
                _pending.Clear();
                if (_paths.Count > limit) { OverLimit = true; return false; }
            }
            return true;
        }

        public IReadOnlyList<string>? Finish() => _notUtf8 || _pending.Length > 0 ? null : _paths;

        private void Record(string record)
        {
            if (_nextIsOriginalPath) { _nextIsOriginalPath = false; Add(record); return; }
            if (record.Length < 2) return;
            var path = record[0] switch
            {
                '1' => Field(record, 8),
                '2' => Field(record, 9),
                'u' => Field(record, 10),
                '?' => record[2..],
                _ => null, // '#' headers, '!' ignored
            };
            if (record[0] == '2') _nextIsOriginalPath = true;
            if (path is not null) Add(path);
        }

        private void Add(string path)
        {
            if (path.Contains('\uFFFD')) _notUtf8 = true;
            _paths.Add(path.TrimEnd('/')); // a repository nested in the tree is listed as its folder, "project/"
        }

        /// <summary>The rest of the record after <paramref name="spaces"/> space-separated fields (a path may hold spaces).</summary>
        private static string? Field(string record, int spaces)
        {
            var at = 0;
            for (var i = 0; i < spaces; i++)
            {
                at = record.IndexOf(' ', at) + 1;
                if (at == 0) return null;
            }
            return record[at..];
        }
    }
}
