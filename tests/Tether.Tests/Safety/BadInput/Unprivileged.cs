using System.Diagnostics;
using Tether.Tests.Support;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Runs the real `tether` program as the unprivileged user nobody (65534) through `setpriv`, for what root would
/// not see: root ignores file permissions, so a mode-000 file or a folder without access is only real to others.
/// </summary>
public static class Unprivileged
{
    public const int Uid = 65534;

    /// <summary>Hands a folder (and all below it) to nobody, and lets nobody reach it through its parents.</summary>
    public static void Own(string folder, string reachableFrom)
    {
        for (var dir = folder; dir.Length >= reachableFrom.Length; dir = Path.GetDirectoryName(dir)!)
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        Run("chown", "-R", $"{Uid}:{Uid}", folder);
    }

    /// <summary>A Tether repository (large files locked) at dir/a and a HOME at dir/home, both nobody's, made by nobody.</summary>
    public static async Task<(string Repo, string Home)> LockedRepositoryAsync(TempFolder dir)
    {
        var (repo, home) = (dir.Combine("a"), dir.Combine("home"));
        Directory.CreateDirectory(repo);
        Directory.CreateDirectory(home);
        Own(repo, dir.Path);
        Own(home, dir.Path);
        var (code, output) = await TetherAsync(repo, home, "init", "--locked", ".");
        if (code != 0) throw new InvalidOperationException($"tether init as nobody exited {code}: {output}");
        return (repo, home);
    }

    public static async Task<(int ExitCode, string Output)> TetherAsync(string workDir, string home, params string[] args)
    {
        var psi = new ProcessStartInfo("setpriv") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in (string[])[$"--reuid={Uid}", $"--regid={Uid}", "--clear-groups", TetherProcess.ProgramPath, .. args]) psi.ArgumentList.Add(arg);
        psi.Environment["HOME"] = home;
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public static void Run(string tool, params string[] args)
    {
        var (code, output) = GitCli.TryRunTool(tool, "/", args);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
    }
}
