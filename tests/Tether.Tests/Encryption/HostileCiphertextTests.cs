using Tether.Kernel.Encryption;
using Tether.Kernel.Repositories;
using Tether.Platform.Hashing;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Plugins;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.Encryption;

/// <summary>
/// What an encrypted remote may hand back: truncated or damaged ciphertext, content encrypted with another passphrase.
/// Each is a clear error naming the key and the remote; nothing partial is left in the annex; the good copy still serves.
/// </summary>
public class HostileCiphertextTests
{
    [Fact]
    public async Task TruncatedOrDamagedCiphertextIsRefusedNamingKeyAndRemoteAndLeavesNothingInTheAnnex()
    {
        RequireTools();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "enc", store, "--backend", "rsync", "--encryption", "shared"));
        var content = WriteMarked(Path.Combine(a, "film.bin"), 2 << 20);
        Ok(await CliRunner.RunAsync(a, "sync"));
        var key = PluginTestFiles.KeyOf(Path.Combine(a, "film.bin"));
        var stored = Assert.Single(AssertOnlyCiphertext(store, "GPGHMACSHA1", 1));
        var good = File.ReadAllBytes(stored);
        Ok(await CliRunner.RunAsync(a, "drop", "film.bin"));

        var truncated = good[..(good.Length / 2)];
        var damaged = (byte[])good.Clone();
        damaged[damaged.Length / 2] ^= 0x5A;
        foreach (var (what, bytes) in new[] { ("truncated", truncated), ("damaged", damaged) })
        {
            File.SetUnixFileMode(stored, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllBytes(stored, bytes);
            var get = await CliRunner.RunAsync(a, "get", "film.bin");
            Assert.True(get.ExitCode != 0, $"{what}: {get}");
            var said = get.Out + get.Error;
            Assert.Contains("cannot decrypt", said);
            Assert.Contains(key, said);
            Assert.Contains("'enc'", said);
            Assert.False(PluginTestFiles.HasContent(Path.Combine(a, "film.bin")), what);
            var repo = AnnexRepository.Open(a);
            Assert.Empty(Directory.Exists(repo.TmpDir) ? Directory.GetFiles(repo.TmpDir, "*", SearchOption.AllDirectories) : []);
        }

        // The good ciphertext back: nothing was lost, the same remote serves it.
        File.WriteAllBytes(stored, good);
        Ok(await CliRunner.RunAsync(a, "get", "film.bin"));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "film.bin")));
    }

    [Fact]
    public async Task ContentEncryptedWithAnotherPassphraseIsAClearErrorAndTheDownloadFileIsRemoved()
    {
        RequireTools();
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.Combine("repo", ".git"));
        var source = dir.Combine("plain.bin");
        var content = WriteMarked(source, 1 << 20);
        var key = await KeyHasher.ComputeSha256EAsync(source);
        var ours = Cipher.Generate().Bytes.ToArray();
        var theirs = (byte[])ours.Clone();
        theirs[300] = (byte)(theirs[300] == (byte)'A' ? 'B' : 'A'); // the same MAC part (so the same name), another passphrase
        var factory = RsyncRemoteTests.ShippedRsyncFactory();
        var staging = dir.Combine("staging");
        await using var writer = new EncryptedContentBackend(factory.Create(new RemoteDescriptor("enc", dir.Combine("store"), null, null)),
            new StoredCipher(EncryptionScheme.Shared, theirs, [], MacAlgorithm.Default), new Gpg(GpgSettings.Default), "enc", staging);
        var reports = new List<long>();
        await writer.StoreAsync(key, source, new Recorder(reports), CancellationToken.None);
        Assert.Equal(content.Length, reports[^1]); // progress covers encrypting and sending, forward only, to the key's size
        Assert.Equal(reports.Order(), reports);
        Assert.True(reports.Count >= 2, string.Join(", ", reports));
        await using var reader = new EncryptedContentBackend(factory.Create(new RemoteDescriptor("enc", dir.Combine("store"), null, null)),
            new StoredCipher(EncryptionScheme.Shared, ours, [], MacAlgorithm.Default), new Gpg(GpgSettings.Default), "enc", staging);
        Assert.True(await reader.HasKeyAsync(key, CancellationToken.None));

        var destination = dir.Combine("download");
        var e = await Assert.ThrowsAsync<GpgException>(() => reader.RetrieveAsync(key, destination, new Progress<long>(), CancellationToken.None));
        Assert.Contains($"cannot decrypt {key} from remote 'enc'", e.Message);
        Assert.Contains("Bad session key", e.Message);
        Assert.False(File.Exists(destination));
        Assert.Empty(Directory.GetFiles(staging));

        await writer.RetrieveAsync(key, destination, new Progress<long>(), CancellationToken.None);
        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    private sealed class Recorder(List<long> reports) : IProgress<long>
    {
        public void Report(long value) { lock (reports) reports.Add(value); }
    }
}
