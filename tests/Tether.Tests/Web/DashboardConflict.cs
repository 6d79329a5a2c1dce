using Xunit;
using Tether.Tests.Support;

namespace Tether.Tests.Web;

/// <summary>
/// A dashboard whose repository has a real conflict made on two nodes: "local" and "server" (remotes of each other)
/// both change an annexed file after a sync (video.bin, random bytes; or notes.md, text changed on different lines),
/// and syncing makes the conflict, before `tether watch` starts on local.
/// </summary>
public sealed class DashboardConflict
{
    /// <summary>Above the default annex.largefiles (1 MiB): annexed.</summary>
    private const int Large = (1 << 20) + 100;

    public const string File = "video.bin";
    public const string Text = "notes.md";

    public required string Path { get; init; }
    public required DashboardNode Dashboard { get; init; }
    public required string Server { get; init; }
    public required byte[] FromLocal { get; init; }
    public required byte[] FromServer { get; init; }

    public static Task<DashboardConflict> StartAsync(TempFolder dir) =>
        StartAsync(dir, File, Random(Large), Random(Large + 1), Random(Large + 2));

    /// <summary>notes.md annexed (git would merge texts itself), changed on its first line on local and its last on the server.</summary>
    public static Task<DashboardConflict> StartTextAsync(TempFolder dir) =>
        StartAsync(dir, Text, "one\ntwo\nthree\nfour\nfive\n"u8.ToArray(), "ONE by local\ntwo\nthree\nfour\nfive\n"u8.ToArray(),
            "one\ntwo\nthree\nfour\nFIVE by server\n"u8.ToArray(), annex: "*.md");

    private static async Task<DashboardConflict> StartAsync(TempFolder dir, string file, byte[] seed, byte[] fromLocal, byte[] fromServer, string? annex = null)
    {
        var server = dir.Combine("server");
        var dashboard = await DashboardNode.StartAsync(dir, [("server", null)], prepare: async local =>
        {
            await RunAsync(server, "remote", "add", "local", local);
            if (annex is not null)
                foreach (var repo in new[] { local, server })
                    DashboardNode.EditConfig(repo, text => text.Replace("include: []", $"include: [\"{annex}\"]"));
            Write(local, file, seed);
            await RunAsync(local, "sync");
            await RunAsync(server, "sync");
            Write(local, file, fromLocal);
            Write(server, file, fromServer);
            await RunAsync(local, "sync");
            await RunAsync(server, "sync");
            await RunAsync(local, "sync");
            Assert.Contains(file, (await RunAsync(local, "conflicts")).Out);
        });
        return new DashboardConflict { Path = file, Dashboard = dashboard, Server = server, FromLocal = fromLocal, FromServer = fromServer };
    }

    /// <summary>The variant file holding the server's version, as GET /api/conflicts lists it.</summary>
    public async Task<string> ServersVariantAsync()
    {
        var conflicts = await Dashboard.GetJsonAsync("api/conflicts");
        var conflict = Assert.Single(conflicts.EnumerateArray());
        Assert.Equal(Path, conflict.GetProperty("path").GetString());
        return conflict.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("size").GetInt64() == FromServer.Length).GetProperty("path").GetString()!;
    }

    /// <summary>The resolution reached the server: after a sync there, its file is the kept version and no variant is left.</summary>
    public async Task AssertServerHasTheServersVersionAloneAsync()
    {
        await Eventually.TrueAsync(async () =>
        {
            await RunAsync(Server, "sync");
            return !Directory.GetFiles(Server).Any(f => f.Contains(".variant-")) && System.IO.File.ReadAllBytes(System.IO.Path.Combine(Server, Path)).SequenceEqual(FromServer);
        }, DashboardNode.Soon, () => string.Join(", ", Directory.GetFiles(Server).Select(System.IO.Path.GetFileName)));
    }

    public static string[] Variants(string repo) => Directory.GetFileSystemEntries(repo).Select(System.IO.Path.GetFileName).Where(f => f!.Contains(".variant-")).Order().ToArray()!;

    private static byte[] Random(int size)
    {
        var bytes = new byte[size];
        System.Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>New bytes at the path, replacing the annex link as an editor's save does.</summary>
    private static void Write(string repo, string file, byte[] bytes)
    {
        var path = System.IO.Path.Combine(repo, file);
        if (System.IO.File.Exists(path) || new FileInfo(path).LinkTarget is not null) System.IO.File.Delete(path);
        System.IO.File.WriteAllBytes(path, bytes);
    }

    private static async Task<CliRunner.Result> RunAsync(string repo, params string[] args)
    {
        var result = await CliRunner.RunAsync(repo, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
