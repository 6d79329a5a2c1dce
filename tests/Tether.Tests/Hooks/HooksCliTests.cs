using Tether.Kernel.Hooks;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Hooks;

/// <summary>`tether hooks list` and `tether hooks test EVENT`.</summary>
public sealed class HooksCliTests
{
    private static async Task<(TempFolder Dir, string Repo, string Config)> SetUpAsync(string hooksYaml)
    {
        var dir = new TempFolder();
        var repo = dir.Combine("a");
        var init = await CliRunner.RunAsync(dir.Path, "init", repo);
        Assert.True(init.ExitCode == 0, init.ToString());
        var config = dir.Combine("hooks.yml");
        File.WriteAllText(config, "remotes:\n  - name: server\n    url: /srv/none\n" + hooksYaml);
        return (dir, repo, config);
    }

    [Fact]
    public async Task ListShowsEachHookWithItsLineAndTheDropInFolders()
    {
        var (dir, repo, config) = await SetUpAsync("""
            hooks:
              - name: notify
                events: [commit, push]
                command: ["notify-send", "Tether", "{{ remote.name }} got {{ change.paths | array.size }} files"]
                filter: { remote: server }
                timeout: 5s
            """);
        using var _ = dir;
        var commitFolder = DropInHooks.FolderFor(DropInHooks.RootFor(repo), "commit");
        Directory.CreateDirectory(commitFolder);
        HookHarness.WriteScript(Path.Combine(commitFolder, "10-poke"), "#!/bin/sh\ntrue");
        File.WriteAllText(Path.Combine(commitFolder, "README"), "not a hook");

        var result = await CliRunner.RunAsync(repo, "--config", config, "hooks", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("notify (line 5)", result.Out);
        Assert.Contains("events:  commit, push", result.Out);
        Assert.Contains("command: notify-send Tether '{{ remote.name }} got {{ change.paths | array.size }} files'", result.Out);
        Assert.Contains("filter:  remote server", result.Out);
        Assert.Contains("timeout: 5s", result.Out);
        Assert.Contains("commit.d/", result.Out);
        Assert.Contains("    10-poke\n", result.Out);
        Assert.Contains("README  (skipped: not executable)", result.Out);
    }

    [Fact]
    public async Task TestFiresASampleEventAndReportsEachHooksStatusAndOutput()
    {
        var (dir, repo, config) = await SetUpAsync("""
            hooks:
              - name: greet
                events: [push]
                command: ["/bin/sh", "-c", "echo pushed to \"$1\"; cat", "sh", "{{ remote.name }}"]
              - name: broken
                events: [push]
                command: ["/bin/sh", "-c", "echo no luck >&2; exit 3"]
              - name: other-event
                events: [commit]
                command: ["/bin/false"]
            """);
        using var _ = dir;
        var push = DropInHooks.FolderFor(DropInHooks.RootFor(repo), "push");
        Directory.CreateDirectory(push);
        HookHarness.WriteScript(Path.Combine(push, "50-dropin"), "#!/bin/sh\necho \"drop-in saw $TETHER_EVENT $TETHER_REMOTE\"");

        var result = await CliRunner.RunAsync(repo, "--config", config, "hooks", "test", "push");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("greet (line 5): exit 0", result.Out);
        Assert.Contains("| pushed to server", result.Out);
        Assert.Contains("\"event\":\"push\"", result.Out); // the JSON it read from stdin
        Assert.Contains("broken (line 8): exit 3", result.Out);
        Assert.Contains("| no luck", result.Out);
        Assert.Contains("push.d/50-dropin: exit 0", result.Out);
        Assert.Contains("| drop-in saw push server", result.Out);
        Assert.DoesNotContain("other-event", result.Out);

        var ok = await CliRunner.RunAsync(repo, "--config", config, "hooks", "test", "push", "--remote", "elsewhere");
        Assert.Contains("pushed to elsewhere", ok.Out);

        var unknown = await CliRunner.RunAsync(repo, "--config", config, "hooks", "test", "comit");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown event 'comit'", unknown.Error);
    }
}
