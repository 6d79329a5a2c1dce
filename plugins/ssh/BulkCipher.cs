using Tether.Platform.Processes;
using Tether.Platform.Ssh;

namespace Tether.Plugins.Ssh;

/// <summary>
/// The cipher for the content session, the one ssh connection that carries file content in bulk. OpenSSH puts
/// chacha20-poly1305 first because it is fast and constant-time without AES instructions; where the CPU has them,
/// AES-GCM costs a third of its CPU per byte on both ends (measured: 0.43 s vs 1.13 s of client CPU per GiB), and on a
/// small machine that CPU is the throughput. So, on such a CPU and only when the user's ssh_config leaves the cipher
/// list at OpenSSH's default, AES-GCM is put first (<c>Ciphers=^...</c>: the rest of the default list still follows,
/// so a server without it negotiates as before). A cipher list the user chose is never touched.
/// </summary>
internal static class BulkCipher
{
    private const string Preferred = "aes128-gcm@openssh.com,aes256-gcm@openssh.com";
    private static readonly IReadOnlyDictionary<string, string> CLocale = new Dictionary<string, string> { ["LC_ALL"] = "C" };

    /// <summary>The ssh options to add for a bulk session to <paramref name="location"/>: none, or the cipher preference.</summary>
    public static async Task<IReadOnlyList<string>> OptionsAsync(SshLocation location, CancellationToken ct)
    {
        if (!CpuHasAes()) return [];
        string[] preference = ["-o", "Ciphers=^" + Preferred];
        var withPreference = await CiphersAsync(["-F", "/dev/null", .. preference], location, ct);
        var userChoice = await CiphersAsync(SshCommandLine.Options(location.Port, multiplexed: false), location, ct);
        if (withPreference is null || userChoice is null) return []; // this ssh does not know '^' lists, or -G failed
        return withPreference.Order().SequenceEqual(userChoice.Order()) ? preference : [];
    }

    /// <summary>The cipher list ssh would offer with these options (<c>ssh -G</c>: no connection is made).</summary>
    private static async Task<string[]?> CiphersAsync(IEnumerable<string> options, SshLocation location, CancellationToken ct)
    {
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec("ssh", [.. options, "-G", "--", location.Host]) { Environment = CLocale }, ct); }
        catch (ProcessStartException) { return null; } // no ssh: the session itself will say so
        if (result.ExitCode != 0) return null;
        var line = result.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("ciphers ", StringComparison.Ordinal));
        return line?[8..].Trim().Split(',');
    }

    /// <summary>AES instructions: the 'aes' flag (x86) or feature (arm64) in /proc/cpuinfo.</summary>
    private static bool CpuHasAes()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("flags", StringComparison.Ordinal) || l.StartsWith("Features", StringComparison.Ordinal))
                .Any(l => l.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries).Contains("aes"));
        }
        catch (IOException) { return false; }
    }
}
