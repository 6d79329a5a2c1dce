using Tether.Kernel.Configuration;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// `tether remote add` with a place that cannot be a remote, or a name git and the config cannot hold: exit 2 with
/// a message naming the path or name at fault, and neither the YAML config nor .git/config (nor anything else) changes.
/// </summary>
public sealed class RemotePathInputTests
{
    public static TheoryData<string, string, string> BadPlaces => new()
    {
        // label, the path given (TMP = the test's folder), the message
        { "missing", "TMP/nowhere/at/all", "'TMP/nowhere/at/all' does not exist (make it with 'tether init TMP/nowhere/at/all' or 'git init --bare TMP/nowhere/at/all')" },
        { "a regular file", "TMP/a-file", "'TMP/a-file' is a file, not a folder: a local remote is a repository folder" },
        { "a FIFO", "TMP/a-fifo", "'TMP/a-fifo' is a file, not a folder: a local remote is a repository folder" },
    };

    [Theory]
    [MemberData(nameof(BadPlaces))]
    public async Task APlaceThatCannotBeARemoteIsRefusedAndNothingChanges(string label, string place, string message)
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        File.WriteAllText(dir.Combine("a-file"), "not a repository\n");
        Unprivileged.Run("mkfifo", dir.Combine("a-fifo"));
        var yaml = File.ReadAllText(Path.Combine(a, ".tether", "config.yml"));
        var before = DiskSnapshot.Of(a);

        var result = await CliRunner.RunAsync(a, "remote", "add", "there", place.Replace("TMP", dir.Path));

        Assert.True(result.ExitCode == 2, $"{label}: {result}");
        Assert.Equal($"tether: {message.Replace("TMP", dir.Path)}", result.Error.Trim());
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(yaml, File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData("ends.")]
    [InlineData("origin.lock")]
    [InlineData(".hidden")]
    [InlineData("-rf")]
    [InlineData("a/b")]
    [InlineData("../../etc")]
    [InlineData("two words")]
    [InlineData("x;rm -rf ~")]
    [InlineData("$(touch pwned)")]
    [InlineData("`id`")]
    [InlineData("new\nline")]
    public async Task ARemoteNameGitOrTheShellWouldMisreadIsRefusedAndNothingChanges(string name)
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        var yaml = File.ReadAllText(Path.Combine(a, ".tether", "config.yml"));
        var before = DiskSnapshot.Of(a);

        var result = await CliRunner.RunAsync(a, "remote", "add", name, b);

        Assert.True(result.ExitCode == 2, result.ToString());
        if (name.StartsWith('-')) // read as an option, an unknown one: refused before any remote is looked at (a name can follow '--')
            Assert.StartsWith($"tether: unknown option '{name}'", result.Error.Trim());
        else
            Assert.Equal($"tether: invalid remote name '{name}': {RemoteConfig.NameRule}", result.Error.Trim());
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(yaml, File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
        Assert.False(File.Exists(Path.Combine(a, "pwned")));
    }

    [RootFact]
    public async Task AFolderTheUserCannotReadIsRefusedAndNothingChanges()
    {
        using var dir = new TempFolder();
        var (a, home, closed) = (dir.Combine("a"), dir.Combine("home"), dir.Combine("closed"));
        foreach (var folder in new[] { a, home, closed }) Directory.CreateDirectory(folder);
        Unprivileged.Own(a, dir.Path);
        Unprivileged.Own(home, dir.Path);
        Assert.Equal(0, (await Unprivileged.TetherAsync(a, home, "init", ".")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "closed")).ExitCode); // root's, 0700 below
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var yaml = File.ReadAllText(Path.Combine(a, ".tether", "config.yml"));
        var before = DiskSnapshot.Of(a);

        var (code, output) = await Unprivileged.TetherAsync(a, home, "remote", "add", "closed", closed);

        Assert.True(code == 2, output);
        Assert.Equal($"tether: '{closed}' cannot be read (permission denied): a remote folder must be readable (and writable, to send to it) by nobody", output.Trim());
        Assert.Contains("refs/heads/main", before.Refs); // git could read it (HEAD is named even while unborn)
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(yaml, File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
    }
}
