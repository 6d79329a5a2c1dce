using Tether.Kernel.Annex;
using Tether.Kernel.Configuration;
using Tether.Kernel.Remotes;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Wants;

namespace Tether.Tests.Network;

public class WantedContentTests
{
    private static readonly string Large = new('W', 8192);

    [Fact]
    public void WantsBindsAllNoneAndGlobsForTheRepositoryAndEachRemote()
    {
        var config = ConfigLoader.LoadFromText("""
            wants: ["photos/**"]
            remotes:
              - name: phone
                url: /srv/phone
                wants: ["photos/**", "*.pdf"]
              - name: archive
                url: /srv/archive
                wants: none
              - name: server
                url: /srv/server
            """, "/c.yml");
        Assert.True(config.Wants.Wants("photos/2024/a.jpg"));
        Assert.False(config.Wants.Wants("docs/a.jpg"));
        var phone = config.Remotes[0].ToRemote();
        Assert.True(phone.Wants.Wants("docs/x.pdf"));
        Assert.False(phone.Wants.Wants("docs/x.doc"));
        Assert.True(config.Remotes[1].Wants.IsNone);
        Assert.True(config.Remotes[2].Wants.IsAll);
        var reloaded = ConfigLoader.LoadFromText(ConfigPrinter.ToYaml(config), "/p.yml");
        Assert.Equal(config.Remotes.Select(r => r.Wants.ToString()), reloaded.Remotes.Select(r => r.Wants.ToString()));
        Assert.Equal("[\"photos/**\"]", reloaded.Wants.ToString());
    }

    [Fact]
    public void AnUnknownWantsValueIsAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText("remotes:\n  - name: a\n    url: /x\n    wants: some\n", "/c.yml"));
        Assert.Contains("expected all, none, or a list of globs", error.Message);
    }

    [Theory]
    [InlineData(TransferStrategy.Flood)]
    [InlineData(TransferStrategy.Tree)]
    public async Task APhoneThatWantsOnlyPhotosGetsOnlyPhotos(TransferStrategy strategy)
    {
        using var dir = new TempFolder();
        var laptop = await Node.CreateAsync(dir.Combine("laptop"), "laptop");
        var phone = await Node.CreateAsync(dir.Combine("phone"), "phone");
        var photosOnly = WantedContent.Matching(["photos/**"]);
        laptop.Remotes.Add(new Remote("phone", phone.Path, "local", 100, null) { Wants = photosOnly });
        phone.AddRemote(laptop);
        phone.Wants = photosOnly;
        laptop.Strategy = phone.Strategy = strategy;
        await laptop.SyncAsync(); await phone.SyncAsync();

        laptop.Write("photos/beach.jpg", Large + "p");
        laptop.Write("docs/report.bin", Large + "d");
        await laptop.SyncAsync(); await phone.SyncAsync(); await laptop.SyncAsync(); await phone.SyncAsync();

        Assert.Equal(Large + "p", phone.Read("photos/beach.jpg"));
        Assert.NotNull(new FileInfo(phone.File("docs/report.bin")).LinkTarget);                  // the file is there,
        Assert.Throws<FileNotFoundException>(() => phone.Read("docs/report.bin"));              // its content is not
    }

    [Theory]
    [InlineData(TransferStrategy.Flood)]
    [InlineData(TransferStrategy.Tree)]
    public async Task APhonesOwnWantsTravelInGitSoItsPeersSendItOnlyPhotos(TransferStrategy strategy)
    {
        using var dir = new TempFolder();
        var laptop = await Node.CreateAsync(dir.Combine("laptop"), "laptop");
        var phone = await Node.CreateAsync(dir.Combine("phone"), "phone");
        laptop.AddRemote(phone); // nothing about wants on the laptop's side
        phone.AddRemote(laptop);
        phone.Wants = WantedContent.Matching(["photos/**"]);
        laptop.Strategy = phone.Strategy = strategy;
        await phone.SyncAsync(); await laptop.SyncAsync();
        Assert.Contains("[\"photos/**\"]", GitCli.Run(laptop.Path, "show", "git-annex:" + Kernel.Wants.WantsLog.BranchPath));

        laptop.Write("photos/beach.jpg", Large + "p");
        laptop.Write("docs/report.bin", Large + "d");
        var sent = await laptop.SyncAsync();
        Assert.Equal(1, sent.Uploaded);
        await phone.SyncAsync();
        Assert.Equal(Large + "p", phone.Read("photos/beach.jpg"));
        Assert.Throws<FileNotFoundException>(() => phone.Read("docs/report.bin"));
    }

    [Fact]
    public void TheWantsLogKeepsTheNewestLinePerRepository()
    {
        var log = "u1 all timestamp=1s\nu1 [\"photos/**\", \"a b/*.pdf\"] timestamp=2s\nu2 none timestamp=1s\nbroken line\n";
        var current = Kernel.Wants.WantsLog.Current(log);
        Assert.True(current["u1"].Wants.Wants("a b/x.pdf"));
        Assert.False(current["u1"].Wants.Wants("docs/x.doc"));
        Assert.True(current["u2"].Wants.IsNone);
        Assert.Equal(2, current.Count);
    }

    [Fact]
    public async Task ATreeRelayThatWantsNothingStillCarriesContentToItsChildren()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var relay = await Node.CreateAsync(dir.Combine("relay"), "relay");
        var c = await Node.CreateAsync(dir.Combine("c"), "c");
        a.Remotes.Add(new Remote("relay", relay.Path, "local", 10, null) { Wants = WantedContent.None });
        relay.AddRemote(a, 10).AddRemote(c, 10);
        relay.Wants = WantedContent.None; // it fetches nothing for itself: only a's tree can bring c the content
        c.AddRemote(relay, 10);
        foreach (var node in new[] { a, relay, c }) node.Strategy = TransferStrategy.Tree;
        for (var round = 0; round < 2; round++)
            foreach (var node in new[] { a, relay, c }) await node.SyncAsync();

        a.Write("video.bin", Large);
        await a.SyncAsync(); await relay.SyncAsync(); await c.SyncAsync();
        Assert.Equal(Large, c.Read("video.bin"));
    }
}
