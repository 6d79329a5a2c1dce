using Tether.Kernel.ContentRemoteGit;
using Tether.Sdk.Keys;
using Xunit;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>The manifest as git-remote-annex writes it (CmdLine/GitRemoteAnnex.hs formatManifest/parseManifest): bundle keys in order, '-' for obsolete ones.</summary>
public class GitManifestTests
{
    private const string Uuid = "358ff77e-0bc3-11ef-bc49-872e6695c0e3";

    private static Key Bundle(char c, long size = 100) => GitRemoteAnnexKeys.Bundle(Uuid, new string(c, 64), size);

    [Fact]
    public void KeysAreSpelledAsGitRemoteAnnexSpellsThem()
    {
        Assert.Equal($"GITMANIFEST--{Uuid}", GitRemoteAnnexKeys.Manifest(Uuid).ToString());
        Assert.Equal($"GITMANIFEST--{Uuid}.bak", GitRemoteAnnexKeys.BackupManifest(Uuid).ToString());
        Assert.Equal($"GITBUNDLE-s100--{Uuid}-{new string('a', 64)}", Bundle('a').ToString());
        Assert.Equal(new string('a', 64), GitRemoteAnnexKeys.BundleHash(Bundle('a')));
    }

    [Fact]
    public void AManifestWithObsoleteLinesRoundTrips()
    {
        var text = $"{Bundle('a')}\n{Bundle('b')}\n-{Bundle('c')}\n";
        var manifest = GitManifest.Parse(text, Uuid, "test");
        Assert.Equal([Bundle('a'), Bundle('b')], manifest.Bundles);
        Assert.Equal([Bundle('c')], manifest.Obsolete);
        Assert.Equal(text, manifest.Format());
    }

    [Theory]
    [InlineData("SHA256E-s10--0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.txt")]
    [InlineData("GITBUNDLE-s10--00000000-0000-0000-0000-000000000000-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("GITBUNDLE-s10--358ff77e-0bc3-11ef-bc49-872e6695c0e3-nothex")]
    [InlineData("../../etc/passwd")]
    public void ALineThatIsNoBundleOfThisRemoteIsRefusedNamingIt(string line)
    {
        var e = Assert.Throws<IOException>(() => GitManifest.Parse($"{Bundle('a')}\n{line}\n", Uuid, "remote 'cloud'"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("remote 'cloud'", e.Message);
    }

    [Fact]
    public void AppendingKeepsEveryLineAndAddsOnce()
    {
        var current = GitManifest.Of([Bundle('a'), Bundle('b')], [Bundle('z')]);
        var next = current.Appending(Bundle('c')).Appending(Bundle('c'));
        Assert.Equal([Bundle('a'), Bundle('b'), Bundle('c')], next.Bundles);
        Assert.Equal([Bundle('z')], next.Obsolete);
    }

    [Fact]
    public void AFullPushKeepsABundleAnotherNodeAddedAfterItAndMarksTheCoveredOnesObsolete()
    {
        var seen = new[] { Bundle('a'), Bundle('b') };
        var current = GitManifest.Of([Bundle('a'), Bundle('b'), Bundle('x')], []); // x: another node's, pushed meanwhile
        var next = current.Compacted(Bundle('f'), seen);
        Assert.Equal([Bundle('f'), Bundle('x')], next.Bundles);
        Assert.Equal([Bundle('a'), Bundle('b')], next.Obsolete);
        Assert.Empty(next.Forgetting(seen).Obsolete);
    }
}
