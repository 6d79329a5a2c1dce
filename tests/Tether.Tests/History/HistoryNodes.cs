using System.Diagnostics;
using System.Text.Json;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.History;

/// <summary>Repositories made and synced with the real `tether` commands (init, remote add, sync), for the history tests.</summary>
internal sealed class HistoryNodes : IDisposable
{
    /// <summary>Above the default annex.largefiles (1 MiB): annexed.</summary>
    public const int Large = (1 << 20) + 100;

    private readonly TempFolder _dir = new();

    public static async Task<HistoryNodes> CreateAsync(string[] names, (string From, string To)[] links, bool locked = true)
    {
        var nodes = new HistoryNodes();
        foreach (var name in names)
            Ok(await CliRunner.RunAsync(nodes._dir.Path, [.. (locked ? new[] { "init", "--locked" } : ["init"]), name, "--description", name]));
        foreach (var (from, to) in links)
        {
            Ok(await CliRunner.RunAsync(nodes[from], "remote", "add", to, nodes[to]));
            Ok(await CliRunner.RunAsync(nodes[to], "remote", "add", from, nodes[from]));
        }
        return nodes;
    }

    public string this[string name] => _dir.Combine(name);

    public string Root => _dir.Path;

    public static CliRunner.Result Ok(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public async Task<CliRunner.Result> RunAsync(string node, params string[] args) => Ok(await CliRunner.RunAsync(this[node], args));

    public Task SyncAsync(params string[] order) => order.Aggregate(Task.CompletedTask, async (before, node) => { await before; await RunAsync(node, "sync"); });

    /// <summary>Writes new bytes at the path (replacing a link, as an editor's save does), returns them.</summary>
    public byte[] Write(string node, string relative, int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        Write(node, relative, bytes);
        return bytes;
    }

    public void Write(string node, string relative, byte[] bytes)
    {
        var path = Path.Combine(this[node], relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The file's content, through its annex link.</summary>
    public byte[] Read(string node, string relative) => File.ReadAllBytes(Path.Combine(this[node], relative));

    public async Task<JsonElement[]> LogAsync(string node, string path) =>
        JsonDocument.Parse((await RunAsync(node, "log", path, "--json")).Out).RootElement.EnumerateArray().ToArray();

    /// <summary>git with a fixed committer and author date (a commit made "40 days ago").</summary>
    public static void GitAt(string workDir, DateTimeOffset at, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["GIT_AUTHOR_DATE"] = psi.Environment["GIT_COMMITTER_DATE"] = at.ToUnixTimeSeconds() + " +0000";
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000) && process.ExitCode == 0, $"git {string.Join(' ', args)}: {output}");
    }

    public void AppendConfig(string node, string yaml) => File.AppendAllText(Path.Combine(this[node], ".tether", "config.yml"), "\n" + yaml);

    public void Dispose() => _dir.Dispose();
}
