using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Keys and names that arrive from another machine (the `tether shell` protocol, symlink targets and pointer
/// blobs in a pulled tree, location-log file names in a pulled git-annex branch) and try to leave the repository: refused before any
/// path is made of them, with a message naming them, and nothing on disk changes.
/// </summary>
public sealed class HostileKeyTests
{
    private const string Peer = "11111111-2222-3333-4444-555555555555";

    /// <summary>Strings that would escape the object store or a transfer folder if they became a path.</summary>
    private static readonly string[] Traversals =
    [
        "../../../../etc/passwd",
        "/etc/passwd",
        "SHA256E-s5--..",
        "SHA256E-s5--.",
        "SHA256E-s5--a/../../../../outside",
        "SHA256E-s5--/etc/passwd",
        "SHA256E-s5--a\0b",
        "SHA256E-s5--a\nb",
        "..--x",
        "SHA256E-s5-../x--y",
    ];

    public static TheoryData<string> TraversalKeys => new(Traversals);

    [Theory]
    [MemberData(nameof(TraversalKeys))]
    public void ATraversalKeyNeverParsesInAnyOfTheFormsItArrivesIn(string hostile)
    {
        Assert.False(Key.TryParse(hostile, out _));
        Assert.False(KeyFileName.TryUnescape(hostile.Replace('/', '%'), out _)); // as an escaped object or record file name
        Assert.False(LocationLog.TryKeyFromPath("e7d/d01/" + hostile.Replace('/', '%') + ".log", out _)); // a location log in a pulled git-annex branch
        Assert.False(AnnexLink.TryParseTarget("../.git/annex/objects/Xx/Yy/" + hostile.Replace('/', '%'), out _)); // a symlink in a pulled tree
        if (!hostile.Contains('\n')) // a pointer blob is read to its first line only
            Assert.False(AnnexLink.TryParsePointer(Encoding.UTF8.GetBytes("/annex/objects/" + hostile.Replace('/', '%') + "\n"), out _));
        Assert.Equal($"not a git-annex key: '{hostile.Replace("\n", "\\n").Replace("\0", "\\0")}'", Assert.Throws<FormatException>(() => Key.Parse(hostile)).Message);
    }

    [Fact]
    public async Task TheShellRefusesEveryTraversalKeyByNameAndTouchesNothing()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        File.WriteAllText(dir.Combine("outside"), "must survive\n");
        File.WriteAllText(dir.Combine("server", "kept.txt"), "kept\n");
        var before = DiskSnapshot.Of(repo.WorkTree!);
        var outsideBefore = DiskSnapshot.Listing(dir.Path, skip: "server");
        var hostile = Traversals.Where(k => !k.Contains('\n') && !k.Contains(' ')).ToList();

        var script = new StringBuilder();
        var expected = new StringBuilder(ShellServer.Greeting + "\n");
        foreach (var key in hostile)
        {
            script.Append($"HAVE {key}\nSTORE {key} 5\nRETRIEVE {key} 0\nREMOVE {key}\n");
            foreach (var request in new[] { "HAVE", "STORE", "RETRIEVE", "REMOVE" }) expected.Append($"ERROR {request}: '{key}' is not a key\n");
        }
        script.Append("CONFIGLIST\nQUIT\n");
        expected.Append($"OK {repo.RequireUuid()}\n"); // and the session went on

        var output = new MemoryStream();
        await new ShellServer(repo, Peer, new MemoryStream(Encoding.UTF8.GetBytes(script.ToString())), output, TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(before, DiskSnapshot.Of(repo.WorkTree!));
        Assert.Equal(outsideBefore, DiskSnapshot.Listing(dir.Path, skip: "server"));
        Assert.False(Directory.Exists(Path.Combine(repo.AnnexDir, "transfer")));
    }

    [Theory]
    [InlineData("../../../outside")]
    [InlineData("..")]
    [InlineData("/tmp")]
    [InlineData("a\0b")]
    public async Task AHostilePeerUuidIsRefusedBeforeAnythingIsServed(string peer)
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        var before = DiskSnapshot.Of(repo.WorkTree!);
        var output = new MemoryStream();
        var input = new MemoryStream(Encoding.UTF8.GetBytes("STORE SHA256E-s5--abc 5\nQUIT\n"));

        var refused = Assert.Throws<ArgumentException>(() => new ShellServer(repo, peer, input, output, TimeProvider.System, NullLogger.Instance));

        Assert.StartsWith($"--peer-uuid '{peer.Replace('\0', ' ')}' is not a repository UUID (it must be one path component); refused", refused.Message);
        Assert.Equal(0, output.Length);
        Assert.Equal(before, DiskSnapshot.Of(repo.WorkTree!));
        Assert.False(Directory.Exists(Path.Combine(repo.AnnexDir, "transfer")));
    }
}
