using Tether.Kernel.Daemon;
using Tether.Kernel.Repositories;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.Encryption;

/// <summary>The daemon uploads to an encrypted remote (verbose log, a transfer hook) and the cipher is in neither.</summary>
public class CipherSecrecyTests
{
    [Fact]
    public async Task TheCipherIsNeitherInTheDaemonLogNorInHookPayloads()
    {
        RequireTools();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "enc", store, "--backend", "rsync", "--encryption", "shared"));
        var stored = RemoteLogFields(a, "enc")["cipher"];
        var cipher = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(stored));
        var payloads = dir.Combine("payloads.json");
        var hooks = Path.Combine(a, ".tether", "hooks", "transfer.d");
        Directory.CreateDirectory(hooks);
        var hook = Path.Combine(hooks, "10-record");
        File.WriteAllText(hook, $"#!/bin/sh\ncat >> '{payloads}'\necho >> '{payloads}'\n");
        File.SetUnixFileMode(hook, (UnixFileMode)0x1ED /* 0755 */);

        using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);
        WriteMarked(Path.Combine(a, "diary.txt"), 1 << 20);
        await Eventually.TrueAsync(() => File.Exists(payloads) && File.ReadAllText(payloads).Contains("\"finished\""), TimeSpan.FromSeconds(60),
            () => $"no finished upload: {node.Daemon.Output}");
        Assert.Equal(0, await node.StopAsync());
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 1);

        var seen = File.ReadAllText(payloads) + node.Daemon.Output + File.ReadAllText(Path.Combine(AnnexRepository.Open(a).StateDir, "daemon.log"));
        Assert.Contains("enc", seen);
        Assert.DoesNotContain(stored[..40], seen);
        Assert.DoesNotContain(cipher[..40], seen); // the MAC part
        Assert.DoesNotContain(cipher[300..340], seen); // the passphrase part
    }
}
