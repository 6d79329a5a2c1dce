using Tether.Kernel.Joining;
using Xunit;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>The annex:: URL's form: what Tether writes is read back the same, and read as git-annex's parser reads it (percent-unescaping).</summary>
public class AnnexUrlTests
{
    private const string Uuid = "358ff77e-0bc3-11ef-bc49-872e6695c0e3";

    [Fact]
    public void OddValuesSurviveTheRoundTripAndUnescapeAsAnyUrlParserUnescapesThem()
    {
        var fields = new Dictionary<string, string>
        {
            ["type"] = "external", ["externaltype"] = "rclone", ["encryption"] = "none",
            ["prefix"] = "/srv/a b&c=d%e+f#g?h/é", ["target"] = "remote:bucket/x,y@z~",
        };
        var url = new AnnexUrl(Uuid, fields, GitRides: true).Format();
        Assert.StartsWith($"annex::{Uuid}?type=external&", url);
        Assert.DoesNotContain(' ', url);
        Assert.DoesNotContain('#', url); // git rides on it: no fragment, as git-annex writes them

        var back = AnnexUrl.Parse(url);
        Assert.Equal(Uuid, back.Uuid);
        Assert.True(back.GitRides);
        Assert.Equal(fields.OrderBy(f => f.Key), back.Fields.OrderBy(f => f.Key));
        // git-annex splits the query at '&', each field at its first '=', and unescapes both sides (Network.URI's unEscapeString).
        var query = url[(url.IndexOf('?') + 1)..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
        Assert.Equal(fields.OrderBy(f => f.Key), query.OrderBy(f => f.Key));
    }

    [Fact]
    public void AContentOnlyRemoteSaysSoInAFragmentGitAnnexDoesNotRead()
    {
        var url = AnnexUrl.ForRecord(Uuid, new Dictionary<string, string>
        {
            ["type"] = "rsync", ["rsyncurl"] = "host:/srv/store", ["encryption"] = "none", ["name"] = "cloud", ["tether-program"] = "/x",
        }, gitRides: false).Format();
        Assert.Equal($"annex::{Uuid}?type=rsync&encryption=none&rsyncurl=host:/srv/store#git=none", url); // no local fields: name, tether-*
        Assert.False(AnnexUrl.Parse(url).GitRides);
        Assert.True(AnnexUrl.Parse(url.Replace("#git=none", "")).GitRides); // a URL git-annex made: git rides on it
        Assert.True(AnnexUrl.Parse(url.Replace("#git=none", "#git=bundles")).GitRides);
    }

    [Fact]
    public void TheCipherComesLastAndTheTypeFirst()
    {
        var url = new AnnexUrl(Uuid, new Dictionary<string, string>
        {
            ["cipher"] = "QUJD", ["rsyncurl"] = "/s", ["type"] = "rsync", ["encryption"] = "shared", ["mac"] = "HMACSHA256",
        }, true).Format();
        Assert.Equal($"annex::{Uuid}?type=rsync&encryption=shared&mac=HMACSHA256&rsyncurl=/s&cipher=QUJD", url);
    }
}
