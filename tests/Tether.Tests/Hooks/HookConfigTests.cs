using Tether.Kernel.Configuration;
using Xunit;

namespace Tether.Tests.Hooks;

/// <summary>Hook templates are checked when the config is read, with errors at the template's file:line:column.</summary>
public sealed class HookConfigTests
{
    private static ConfigException Fails(string command) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText($"hooks:\n  - events: [commit, push]\n    command: [\"echo\", {command}]\n", "/c.yml"));

    [Fact]
    public void AnUnknownNameIsReportedAtItsColumn()
    {
        var e = Fails("\"{{ remot.name }}\"");
        Assert.Equal(3, e.Line);
        Assert.Equal(27, e.Column); // the 'r' of remot: the scalar's quote is at 23
        Assert.Equal("hooks[0].command[1]", e.KeyPath);
        Assert.Contains("remot", e.Problem);
        Assert.Contains("fails on a 'commit' event", e.Problem);
        Assert.StartsWith("/c.yml:3:27: hooks[0].command[1]:", e.Message);
        Assert.Contains("docs/HOOKS.md", e.Allowed);
    }

    [Fact]
    public void AMisspeltMemberIsAnErrorToo()
    {
        var e = Fails("\"{{ remote.nmae }}\"");
        Assert.Contains("unknown member 'nmae'", e.Problem);
        Assert.Contains("name", e.Problem);
    }

    [Fact]
    public void ATemplateThatDoesNotParseIsReported()
    {
        var e = Fails("\"{{ for x in }}\"");
        Assert.Equal(3, e.Line);
        Assert.True(e.Column >= 23, e.Message);
        Assert.Contains("does not parse", e.Problem);
    }

    [Fact]
    public void ValidHooksKeepTheirLineAndAnEventWithoutTheSectionRendersItEmpty()
    {
        var config = ConfigLoader.LoadFromText("""
            remotes:
              - name: server
                url: /srv/x
            hooks:
              - name: poke
                events: [commit, error]
                command: ["ssh", "{{ remote.name }}", "{{ change.paths | array.size }} files", "{{ commit.id }}"]
              - events: [push]
                shell: true
                command: ["echo {{ remote.name }} {{ push.ok }} >> /tmp/log"]
                filter: { remote: server, path: "docs/**" }
                timeout: 5s
            """, "/c.yml");
        Assert.Equal([5, 8], config.Hooks.Select(h => h.Line));
        Assert.Equal("server", config.Hooks[1].Filter!.Remote);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Hooks[1].Timeout);
    }
}
