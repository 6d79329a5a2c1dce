using Tether.Kernel.Control;
using System.Diagnostics;
using System.Text;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Hostile and malformed config files (beyond the everyday mistakes in Cli/BadConfigTests): alias bombs, nesting that
/// would overflow the parser's stack, huge files, binary garbage, names git or a shell would misread, templates that
/// reach for files or loop forever. A real `tether sync` process exits 2 within seconds with the file, line and column
/// at fault; nothing on disk changes; a running daemon keeps its config.
/// </summary>
public sealed class ConfigInputTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> Cases => new()
    {
        // label, the config text, what follows the config's path in the message
        { "alias bomb", AliasBomb(), ":7:10: hooks[0].env.A: got a list; expected a text value; write \"\" for an empty one" },
        { "deep nesting", "description: x\nwants: " + new string('[', 100_000) + new string(']', 100_000) + "\n", ":2:71: nested deeper than 64 levels; a Tether config is only a few levels deep; is this the right file?" },
        { "huge file", "description: x\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding padding\n", 40_000)), ": the file is 2,320,015 bytes; a config is at most 1,048,576 bytes; is this the right file?" },
        { "binary garbage", "\u00ff\u00fe\u0000\u0001garbage\n", ":1:4: invalid YAML: did not find expected <document end>; check the indentation, quoting and brackets near this point" },
        { "duplicate key", "description: x\ndescription: y\n", ":2:1: duplicate key 'description'; each key may appear only once in a mapping" },
        { "duplicate remote", "remotes:\n  - name: x\n    url: /tmp\n  - name: x\n    url: /var\n", ":4:11: remotes[1].name: duplicate remote name 'x' (first used at line 2); each remote needs a unique name" },
        { "remote name with a slash", "remotes:\n  - name: \"a/b\"\n    url: /tmp\n", ":2:11: remotes[0].name: invalid remote name 'a/b'; allowed:" },
        { "remote name ..", "remotes:\n  - name: \"..\"\n    url: /tmp\n", ":2:11: remotes[0].name: invalid remote name '..'; allowed:" },
        { "remote name with a space", "remotes:\n  - name: \"two words\"\n    url: /tmp\n", ":2:11: remotes[0].name: invalid remote name 'two words'; allowed:" },
        { "remote name with shell syntax", "remotes:\n  - name: \"x;touch pwned\"\n    url: /tmp\n", ":2:11: remotes[0].name: invalid remote name 'x;touch pwned'; allowed:" },
        { "number past long", "transfers:\n  slots: 99999999999999999999\n", ":2:10: transfers.slots: '99999999999999999999' is not a whole number; expected a whole number from 1 to 64" },
        { "template reading a file", "hooks:\n  - name: h\n    events: [change]\n    command: [\"echo\", \"{{ include '/etc/passwd' }}\"]\n", ":4:27: hooks[0].command[1]: the template fails on a 'change' event: Unable to include </etc/passwd>." },
        { "template looping forever", "hooks:\n  - name: h\n    events: [change]\n    command: [\"echo\", \"{{ for x in 1..100000000 }}{{x}}{{end}}\"]\n", ":4:37: hooks[0].command[1]: the template fails on a 'change' event: Range expression exceeds LoopLimit" },
        { "template busy for a minute", "hooks:\n  - name: h\n    events: [change]\n    command: [\"echo\", \"{{ for x in 1..1000000 }}{{ y = '' | string.pad_left 100000 }}{{ end }}\"]\n", ":4:47: hooks[0].command[1]: the template fails on a 'change' event: the template ran longer than 2 seconds" },
        { "hook as one shell string", "hooks:\n  - name: h\n    events: [change]\n    command: \"echo {{ path }}; touch pwned\"\n", ":4:14: hooks[0].command: got 'echo {{ path }}; touch pwned'; expected a list of strings" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AHostileConfigStopsSyncWithinSecondsNamingTheSpotAndNothingChanges(string label, string yaml, string expected)
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var a = dir.Combine("a");
        var configPath = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(configPath, yaml);
        File.WriteAllText(Path.Combine(a, "pending.txt"), "not yet committed\n");
        var before = DiskSnapshot.Of(a);

        var clock = Stopwatch.StartNew();
        var (code, output) = await TetherProcess.RunAsync(a, Bounded, "sync");

        Assert.True(code == 2, $"{label}: {output}");
        Assert.Contains($"tether: {configPath}{expected}", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{label}: took {clock.Elapsed}");
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(yaml, File.ReadAllText(configPath));
        Assert.False(File.Exists(Path.Combine(a, "pwned")));
    }

    [Fact]
    public async Task ARunningDaemonRefusesToReloadAHostileConfigAndKeepsSyncing()
    {
        using var dir = new TempFolder();
        using var node = await WatchingNode.StartAsync(dir.Combine("a"));
        var configPath = node.Combine(".tether/config.yml");
        File.WriteAllText(configPath, "description: x\nwants: " + new string('[', 100_000) + "\n");

        var reload = await node.QueryAsync(ControlCommand.Reload);

        Assert.NotNull(reload);
        Assert.False(reload.Ok);
        Assert.Equal($"config not reloaded: {configPath}:2:71: nested deeper than 64 levels; a Tether config is only a few levels deep; is this the right file?", reload.Message);
        File.WriteAllText(node.Combine("after.txt"), "still synced\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("after.txt"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }

    /// <summary>Billion laughs: nine levels of nine aliases each (9^9 strings if expanded), under a key that takes text.</summary>
    private static string AliasBomb()
    {
        var yaml = new StringBuilder("description: x\nhooks:\n  - name: h\n    events: [change]\n    command: [\"true\"]\n    env:\n");
        yaml.Append("      A: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        const string names = "abcdefghi";
        for (var i = 1; i < names.Length; i++)
            yaml.Append($"      {char.ToUpperInvariant(names[i])}: &{names[i]} [{string.Join(',', Enumerable.Repeat("*" + names[i - 1], 9))}]\n");
        return yaml.ToString();
    }
}
