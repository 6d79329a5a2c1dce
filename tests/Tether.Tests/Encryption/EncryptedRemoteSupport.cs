using System.Text;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Encryption;

/// <summary>What the encryption tests share: a marked file, a look at what an encrypted remote's store holds, remote.log fields.</summary>
internal static class EncryptedRemoteSupport
{
    /// <summary>Written at the start of every test file: it must never be found in a store in plaintext.</summary>
    public static readonly byte[] Marker = Encoding.ASCII.GetBytes("TETHER-PLAINTEXT-MARKER-9f27c1");

    public static byte[] WriteMarked(string path, int size)
    {
        var content = PluginTestFiles.WriteRandom(path, size);
        Marker.CopyTo(content, 0);
        File.WriteAllBytes(path, content);
        return content;
    }

    public static void Ok(CliRunner.Result result) => Assert.True(result.ExitCode == 0, result.ToString());

    public static void Ok((int ExitCode, string Output) result) => Assert.True(result.ExitCode == 0, result.Output);

    /// <summary>Every object in the store is under a <paramref name="macBackend"/> name (no key, no file name in sight) and holds no plaintext.</summary>
    public static IReadOnlyList<string> AssertOnlyCiphertext(string store, string macBackend, int atLeast)
    {
        var objects = Directory.GetFiles(store, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/tether-tmp/")).ToList();
        Assert.True(objects.Count >= atLeast, $"expected at least {atLeast} objects in {store}, found: {string.Join(", ", objects)}");
        foreach (var file in objects)
        {
            var relative = Path.GetRelativePath(store, file);
            Assert.Matches($"^[0-9a-f]{{3}}/[0-9a-f]{{3}}/{macBackend}--[0-9a-f]+/{macBackend}--[0-9a-f]+$", relative);
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().IndexOf(Marker) < 0, $"{relative} holds plaintext");
        }
        return objects;
    }

    /// <summary>A special remote's remote.log fields, the newest record of that name (committed first, so git-annex's and Tether's journals both count).</summary>
    public static Dictionary<string, string> RemoteLogFields(string repo, string name)
    {
        GitCli.Run(repo, "annex", "merge", "--quiet");
        // The newest line per UUID (a synced branch holds every node's line for it), values unescaped.
        var (_, fields) = Kernel.AnnexBranch.RemoteLog.Named(GitCli.Run(repo, "show", "git-annex:remote.log"), name).Single();
        return fields.ToDictionary(f => f.Key, f => f.Value);
    }

    public static void RequireTools()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests (it installs the apt package git-annex)");
        Assert.True(GitCli.TryRunTool("gpg", "/", "--version").ExitCode == 0, "gpg is not installed: run ./run-tests (it installs the apt package gnupg)");
    }
}
