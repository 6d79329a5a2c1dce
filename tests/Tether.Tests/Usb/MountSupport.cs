using System.Diagnostics;

namespace Tether.Tests.Usb;

/// <summary>
/// Whether this test process may mount: tmpfs needs root (CI runs as root); ext4 images also need loop devices,
/// mkfs.ext4 and losetup. Probed once by doing it; the reason is what a skipped test shows.
/// </summary>
internal static class MountSupport
{
    private const string Fallback = "the matching logic is still tested on recorded mountinfo texts (MountTableTests, DriveLocatorTests)";
    private static readonly Lazy<string?> TmpfsProblem = new(ProbeTmpfs);
    private static readonly Lazy<string?> LoopProblem = new(ProbeLoop);

    /// <summary>Why mounting a tmpfs is not possible here, or null.</summary>
    public static string? WhyNoTmpfs => TmpfsProblem.Value;

    /// <summary>Why mounting an ext4 image on a loop device is not possible here, or null.</summary>
    public static string? WhyNoLoop => WhyNoTmpfs ?? LoopProblem.Value;

    private static string? ProbeTmpfs()
    {
        if (Run("id", "-u") is not (0, var uid) || uid.Trim() != "0")
            return $"mounting needs root (CI runs the tests as root); {Fallback}";
        var dir = Directory.CreateTempSubdirectory("tether-mount-probe-").FullName;
        try
        {
            var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir);
            if (code != 0) return $"mount -t tmpfs is not allowed here ({output.Trim()}); {Fallback}";
            Run("umount", dir);
            return null;
        }
        finally { Directory.Delete(dir); }
    }

    private static string? ProbeLoop()
    {
        var image = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(image, new byte[1 << 20]);
            var (code, output) = Run("losetup", "-f", "--show", image);
            if (code != 0) return $"no loop device here (losetup: {output.Trim()}); {Fallback}";
            Run("losetup", "-d", output.Trim());
            return Run("mkfs.ext4", "-V").ExitCode == 0 ? null : $"mkfs.ext4 is missing (apt package e2fsprogs); {Fallback}";
        }
        catch (System.ComponentModel.Win32Exception e) { return $"{e.Message} (util-linux, e2fsprogs); {Fallback}"; }
        finally { File.Delete(image); }
    }

    /// <summary>Runs a system tool with an argument list; returns its exit code and stdout+stderr.</summary>
    public static (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(true); throw new TimeoutException($"{tool} {string.Join(' ', args)} timed out"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static string MustRun(string tool, params string[] args)
    {
        var (code, output) = Run(tool, args);
        return code == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
    }
}
