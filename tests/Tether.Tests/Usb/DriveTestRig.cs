using System.Security.Cryptography;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Tether.Platform.Hashing;

namespace Tether.Tests.Usb;

/// <summary>What the drive tests share: a laptop repository with hooks that record connection events, and checks on a drive's repository.</summary>
internal sealed class DriveTestRig(string root)
{
    public string Laptop { get; } = Path.Combine(root, "laptop");
    public string HookLog { get; } = Path.Combine(root, "hooks.log");

    public async Task InitAsync()
    {
        Ensure(await CliRunner.RunAsync(root, "init", Laptop, "--description", "laptop"));
        foreach (var hookEvent in new[] { "remote-connected", "remote-disconnected" })
        {
            var folder = Path.Combine(Laptop, ".tether", "hooks", $"{hookEvent}.d");
            Directory.CreateDirectory(folder);
            var script = Path.Combine(folder, "10-record");
            // The log path is this test's own temporary folder, single-quoted; the event data arrives as env and stdin.
            File.WriteAllText(script, $"#!/bin/sh\n{{ printf '%s %s ' \"$TETHER_EVENT\" \"$TETHER_REMOTE\"; cat; echo; }} >> '{HookLog}'\n");
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED /* 0755 */);
        }
    }

    public string[] HookLines() => File.Exists(HookLog) ? File.ReadAllLines(HookLog).Where(l => l.Length > 0).ToArray() : [];

    public string Write(string relative, string content)
    {
        var path = Path.Combine(Laptop, relative);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A file of random bytes (above the 1 MiB large-file threshold: its content goes to the annex).</summary>
    public string WriteRandom(string relative, long bytes)
    {
        var path = Path.Combine(Laptop, relative);
        using var stream = File.Create(path);
        var buffer = new byte[1 << 20];
        for (long done = 0; done < bytes; done += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - done));
        }
        return path;
    }

    public static Task<Key> KeyOfAsync(string path) => KeyHasher.ComputeSha256EAsync(path, Path.GetFileName(path));

    /// <summary>The verified object of the key in the drive's repository, or null when it is not there (or does not verify).</summary>
    public static async Task<bool> DriveHasVerifiedAsync(string drivePath, Key key)
    {
        if (!AnnexRepository.TryOpen(drivePath, out var drive) || new ObjectStore(drive).FindContent(key) is not { } file) return false;
        return await KeyHasher.VerifyAsync(key, file);
    }

    public static bool DriveBranchHas(string drivePath, string file) => WatchingNode.TreePaths(drivePath, "refs/heads/synced/main").Contains(file);

    public string GitRemoteUrl(string remote) => GitCli.Run(Laptop, "config", "--get", $"remote.{remote}.url").Trim();

    private static void Ensure(CliRunner.Result result)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException(result.ToString());
    }
}
