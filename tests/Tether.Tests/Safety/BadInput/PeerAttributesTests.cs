using System.Security.Cryptography;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// A peer's `.gitattributes` asking for end-of-line conversion, `ident` expansion or a filter driver never changes a
/// byte: files are committed as they are and written to every node's work tree as committed (merge, fast-forward and
/// a first checkout), through both staging paths (in-process and, above 64 paths, the system git).
/// </summary>
public sealed class PeerAttributesTests
{
    private static readonly Dictionary<string, string> Attributes = new()
    {
        ["lf"] = "* text eol=lf\n",
        ["crlf"] = "* text eol=crlf\n",
        ["ident"] = "* ident\n",
        ["filter"] = "* filter=foo\n",
    };

    private static readonly Dictionary<string, byte[]> Samples = new()
    {
        ["binary.dat"] = "bin\r\n\0\u0001data\r\n"u8.ToArray(),
        ["crlf.txt"] = "line one\r\nline two\r\n"u8.ToArray(),
        ["lf.txt"] = "line one\nline two\n"u8.ToArray(),
        ["id.txt"] = "$Id: text $\n$Id$\n"u8.ToArray(),
    };

    [Fact]
    public async Task APeersGitattributesNeverRewriteContentCommittedOrMergedOnAnyNode()
    {
        using var dir = new TempFolder();
        var (a, b, c) = (dir.Combine("a"), dir.Combine("b"), dir.Combine("c"));
        var marker = dir.Combine("filter-ran");
        foreach (var node in new[] { a, b, c })
        {
            await Tether(dir.Path, "init", Path.GetFileName(node));
            // A driver that would upper-case content and leave a mark: it must never run.
            GitCli.Run(node, "config", "filter.foo.clean", $"touch '{marker}'; tr a-z A-Z");
            GitCli.Run(node, "config", "filter.foo.smudge", $"touch '{marker}'; tr a-z A-Z");
        }
        foreach (var (folder, attributes) in Attributes) Write(b, $"{folder}/.gitattributes", System.Text.Encoding.UTF8.GetBytes(attributes));
        await Tether(b, "sync");
        await Tether(a, "remote", "add", "b", b);
        await Tether(b, "remote", "add", "a", a);
        await Tether(a, "sync"); // a takes b's attributes

        var expected = new Dictionary<string, byte[]>();
        foreach (var folder in Attributes.Keys)
            foreach (var (name, bytes) in Samples) expected[$"{folder}/{name}"] = bytes; // 16 paths: staged in-process
        WriteAll(a, expected);
        await Tether(a, "sync");
        var bulk = new Dictionary<string, byte[]>();
        foreach (var folder in Attributes.Keys)
            for (var i = 0; i < 20; i++) bulk[$"{folder}/many-{i}.txt"] = Samples.Values.ElementAt(i % Samples.Count); // 80: the system git
        bulk["lf/lf.txt"] = "line one\r\nline two\n"u8.ToArray(); // LF to CRLF: a filtered status would see no change
        WriteAll(a, bulk);
        await Tether(a, "sync");
        foreach (var (path, bytes) in bulk) expected[path] = bytes;

        await Tether(b, "sync"); // a fast-forward on b
        Write(b, "from-b.txt", "b\n"u8.ToArray());
        Write(a, "from-a.txt", "a\n"u8.ToArray());
        await Tether(b, "sync");
        await Tether(a, "sync"); // a merge on a
        await Tether(c, "remote", "add", "a", a);
        await Tether(c, "sync"); // c's first checkout

        foreach (var node in new[] { a, b, c })
            foreach (var (path, bytes) in expected)
            {
                Assert.True(Sha256(bytes) == Sha256(File.ReadAllBytes(Path.Combine(node, path))), $"{node}: work tree {path}");
                Assert.True(Sha256(bytes) == Sha256(BlobBytes(node, $"HEAD:{path}")), $"{node}: blob {path}");
            }
        Assert.False(File.Exists(marker), "the filter driver ran");
    }

    private static void WriteAll(string node, Dictionary<string, byte[]> files)
    {
        foreach (var (path, bytes) in files) Write(node, path, bytes);
    }

    private static void Write(string node, string path, byte[] bytes)
    {
        var full = Path.Combine(node, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    private static async Task Tether(string cwd, params string[] args)
    {
        var result = await CliRunner.RunAsync(cwd, args);
        Assert.True(result.ExitCode == 0, $"tether {string.Join(' ', args)}: {result}");
    }

    private static byte[] BlobBytes(string repo, string spec)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardOutput = true };
        foreach (var arg in new[] { "cat-file", "blob", spec }) psi.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(psi)!;
        using var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git cat-file blob {spec} in {repo}");
        return buffer.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
