using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>Gives a save the merge took out of the work tree its place back: its own name when free, else a variant name.</summary>
internal static class KeptSaves
{
    /// <summary>Puts <paramref name="taken"/> back at <paramref name="path"/>, or beside it when something new took the name.</summary>
    public static void PutBack(Repository git, AnnexRepository repo, ILogger log, string taken, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(repo.WorkPath(path))!);
        if (NativeFileSystem.TryRenameNoReplace(taken, repo.WorkPath(path)) != 0) MoveAside(git, repo, log, taken, path);
    }

    /// <summary>Gives <paramref name="file"/> a variant name of its own beside <paramref name="path"/>; throws when every name is in use (the file stays where it is).</summary>
    public static void MoveAside(Repository git, AnnexRepository repo, ILogger log, string file, string path)
    {
        var key = WorkTreeEntry.KeyOf(file, path);
        foreach (var candidate in VariantName.Candidates(path, key))
        {
            if (git.Index[candidate] is not null) continue;
            if (NativeFileSystem.TryRenameNoReplace(file, repo.WorkPath(candidate)) != 0) continue;
            log.LogWarning("Moved what was saved at {Path} after the last commit to {Variant}: the merge puts another version at its name", path, candidate);
            return;
        }
        throw new IOException($"cannot keep what was saved at '{path}' after the last commit: every variant name for it is in use (it is in {file})");
    }
}
