using System.Diagnostics;

namespace Tether.Tests.Safety.BadInput;

/// <summary>mount/umount for tests that need a real filesystem boundary (root only); arguments as a list, never a shell string.</summary>
public static class Mounts
{
    public static bool CanMount => GetUid() == 0;

    public const string NotRootReason = "skipped: needs root (to mount a filesystem, make a device node or run tether as another user)";

    public static void Tmpfs(string at, string size) => Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", at);

    /// <summary>Gives a mounted tmpfs a new size limit (its content stays).</summary>
    public static void Resize(string at, string size) => Run("mount", "-o", $"remount,size={size}", at);

    public static void Bind(string from, string at) => Run("mount", "--bind", from, at);

    /// <summary>Lazy unmount (`umount -l`): detaches even while a process still has files open there.</summary>
    public static void DetachLazily(string at) => Run("umount", "-l", at);

    /// <summary>For finally blocks: unmounts if mounted, never throws.</summary>
    public static void TryUnmount(string at)
    {
        for (var i = 0; i < 3 && IsMountPoint(at); i++) RunQuietly("umount", "-l", at);
    }

    public static bool IsMountPoint(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == Path.GetFullPath(path).TrimEnd('/'));

    private static uint GetUid() => uint.TryParse(File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], out var uid) ? uid : uint.MaxValue;

    private static void Run(string tool, params string[] args)
    {
        var (code, output) = RunQuietly(tool, args);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
    }

    private static (int Code, string Output) RunQuietly(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
