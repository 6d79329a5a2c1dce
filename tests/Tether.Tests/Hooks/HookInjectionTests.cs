using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Hooks;
using Tether.Platform.Quoting;
using Xunit;
using Tether.Kernel.Committing;

namespace Tether.Tests.Hooks;

/// <summary>Hostile file names, remote names and commit messages never run anything, and hooks receive their exact bytes.</summary>
public sealed class HookInjectionTests
{
    private static string[] Hostile(string marker) =>
    [
        $"$(touch {marker}); x",
        $"line one\nline two $(touch {marker})",
        $"`touch {marker}`",
        "it's a 'quoted' name",
        $"; touch {marker} #",
        $"a\"b\\c $HOME * && touch {marker}",
        "-n",
        "ünïcödé ✓ tab\there",
        $"| touch {marker} |",
    ];

    [Fact]
    public async Task HostileValuesReachArgvShellAndStdinAsTheyAreAndNeverRun()
    {
        using var h = new HookHarness();
        var marker = h.Combine("pwned");
        var names = Hostile(marker);
        var remote = $"srv$(touch {marker})'`touch {marker}`";
        var summary = $"msg\n$(touch {marker}); 'quoted' `touch {marker}`";
        string Out(string name) => h.Combine("out", name);
        string Q(string s) => ShellQuote.Quote(s);

        h.Start(
        [
            Hook("plain-change", "change", false, [h.Recorder, Out("plain-change"), .. names.Select((_, i) => $"{{{{ change.paths[{i}] }}}}"), "{{ commit.summary }}"]),
            Hook("plain-commit", "commit", false, [h.Recorder, Out("plain-commit"), "{{ commit.summary }}"]),
            Hook("plain-push", "push", false, [h.Recorder, Out("plain-push"), "{{ remote.name }}", "{{ push.error }}"]),
            Hook("shell-change", "change", true, [$"{Q(h.Recorder)} {Q(Out("shell-change"))} {{{{ change.paths }}}} {{{{ commit.summary }}}}"]),
            Hook("shell-commit", "commit", true, [$"{Q(h.Recorder)} {Q(Out("shell-commit"))} {{{{ commit.summary }}}} x{{{{ commit.summary }}}}y"]),
            Hook("shell-push", "push", true, [$"{Q(h.Recorder)} {Q(Out("shell-push"))} {{{{ remote.name }}}} {{{{ push.error }}}} {{{{ remote.name | string.upcase }}}}"]),
        ]);
        var now = DateTimeOffset.UtcNow;
        h.Bus.Publish(new ChangeEvent(now, new CommitResult("c0ffee", names, [], [], [], [])));
        h.Bus.Publish(new CommitEvent(now, "c0ffee", summary));
        h.Bus.Publish(new PushEvent(now, remote, false, summary));

        foreach (var name in new[] { "plain-change", "plain-commit", "plain-push", "shell-change", "shell-commit", "shell-push" })
            await h.WaitDoneAsync(Out(name));

        string changeSummary = "9 added";
        Assert.Equal([.. names, changeSummary], HookHarness.Argv(Out("plain-change")));
        Assert.Equal([.. names, changeSummary], HookHarness.Argv(Out("shell-change")));
        Assert.Equal([summary], HookHarness.Argv(Out("plain-commit")));
        Assert.Equal([summary, $"x{summary}y"], HookHarness.Argv(Out("shell-commit")));
        Assert.Equal([remote, summary], HookHarness.Argv(Out("plain-push")));
        Assert.Equal([remote, summary, remote.ToUpperInvariant()], HookHarness.Argv(Out("shell-push")));

        Assert.Equal(names, HookHarness.Stdin(Out("shell-change")).GetProperty("change").GetProperty("paths").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(summary, HookHarness.Stdin(Out("plain-commit")).GetProperty("commit").GetProperty("summary").GetString());
        Assert.Equal(remote, HookHarness.Stdin(Out("plain-push")).GetProperty("remote").GetProperty("name").GetString());
        Assert.Equal(remote, HookHarness.Env(Out("shell-push"))["TETHER_REMOTE"]);
        Assert.Equal(summary, HookHarness.Env(Out("shell-commit"))["TETHER_SUMMARY"]);

        await Task.Delay(200); // anything injected would have had its chance by now
        Assert.False(File.Exists(marker), "a hostile value was executed");
    }

    [Fact]
    public void ShellQuoteRoundTripsEveryHostileStringThroughTheShell()
    {
        using var h = new HookHarness();
        var marker = h.Combine("pwned");
        foreach (var value in Hostile(marker).Append("").Append("'").Append("''\\'"))
        {
            var (code, output) = Support.GitCli.TryRunTool("/bin/sh", h.WorkTree, "-c", "printf '%s' " + ShellQuote.Quote(value));
            Assert.Equal(0, code);
            Assert.Equal(value, output);
        }
        Assert.False(File.Exists(marker));
    }

    private static HookConfig Hook(string name, string eventName, bool shell, IReadOnlyList<string> command) =>
        new() { Name = name, Events = [eventName], Shell = shell, Command = command };
}
