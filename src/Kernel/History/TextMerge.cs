using Tether.Kernel.Git;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.History;

/// <summary>A three-way merge of two texts against their common base with `git merge-file`: conflict markers only where both changed the same lines.</summary>
public sealed class TextMerge(AnnexRepository repo)
{
    public const int MaxBytes = 16 << 20;

    public sealed record Result(byte[] Merged, int Conflicts);

    public async Task<Result> MergeAsync(byte[] ours, string oursLabel, byte[] @base, byte[] theirs, string theirsLabel, CancellationToken ct)
    {
        var folder = Path.Combine(repo.StateDir, $"merge-{Guid.NewGuid():N}");
        repo.CreateFolderInGitDir(folder);
        try
        {
            var files = new[] { ("ours", ours), ("base", @base), ("theirs", theirs) }.Select(f =>
            {
                var path = Path.Combine(folder, f.Item1);
                File.WriteAllBytes(path, f.Item2);
                return path;
            }).ToArray();
            var result = await GitProcess.RunAsync(folder, ["merge-file", "-p", "-L", oursLabel, "-L", "base", "-L", theirsLabel, .. files], ct);
            if (result.ExitCode is not { } code || code < 0 || code > 127)
                throw new IOException($"git merge-file failed: {result.ErrorText}");
            return new Result(System.Text.Encoding.UTF8.GetBytes(result.Stdout), code);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    public static bool IsText(byte[] content) => content.Length <= MaxBytes && Array.IndexOf(content, (byte)0) < 0;
}
