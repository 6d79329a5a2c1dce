using System.Text;
using Tether.Platform.Processes;

namespace Tether.Kernel.Encryption;

/// <summary>
/// The system gpg, as git-annex runs it (<c>--batch --quiet --trust-model always</c>), through the one process runner.
/// Content is streamed through it (never whole in memory); a passphrase goes first on its stdin with
/// <c>--passphrase-fd 0</c> (gpg reads exactly one line there, then the data), never on its command line or on disk.
/// </summary>
public sealed class Gpg(GpgSettings settings)
{
    private const int CopyBuffer = 256 * 1024;
    private const int SmallOutputCap = 1 << 20;

    private static readonly string[] Base = ["--batch", "--no-tty", "--quiet", "--trust-model", "always"];

    /// <summary>Symmetric encryption of <paramref name="source"/> into <paramref name="destination"/> with the passphrase line.</summary>
    public async Task EncryptSymmetricAsync(byte[] passphraseLine, string source, string destination, IProgress<long> fed, CancellationToken ct)
    {
        string[] arguments = [.. Base, "--passphrase-fd", "0", .. settings.Options, "--symmetric", "--force-mdc", "--no-textmode", "--yes", "--output", destination];
        await using var input = OpenRead(source);
        await RunAsync(arguments, async stdin =>
        {
            await stdin.WriteAsync(passphraseLine, ct);
            await CopyAsync(input, stdin, fed, null, ct);
        }, null, ct);
    }

    /// <summary>
    /// Decrypts <paramref name="source"/> into <paramref name="destination"/> (created or truncated). At most
    /// <paramref name="maxBytes"/> are written (a key's size: a decompression bomb is cut off).
    /// </summary>
    public async Task DecryptSymmetricAsync(byte[] passphraseLine, string source, string destination, long? maxBytes, IProgress<long> written, CancellationToken ct)
    {
        string[] arguments = [.. Base, "--passphrase-fd", "0", .. settings.Options, .. settings.DecryptOptions, "--decrypt"];
        await using var input = OpenRead(source);
        await using var output = new FileStream(destination, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0, Options = FileOptions.Asynchronous });
        await RunAsync(arguments, async stdin =>
        {
            await stdin.WriteAsync(passphraseLine, ct);
            await CopyAsync(input, stdin, null, null, ct);
        }, stdout => CopyAsync(stdout, output, written, maxBytes, ct), ct);
        await output.FlushAsync(ct);
    }

    /// <summary>Public-key encryption of a small secret to the key ids (git-annex's encryptCipher): the bytes gpg wrote.</summary>
    public async Task<byte[]> EncryptToKeysAsync(byte[] secret, IReadOnlyList<string> keyIds, CancellationToken ct)
    {
        var recipients = keyIds.SelectMany(k => new[] { "--recipient", k });
        string[] arguments = [.. Base, .. settings.Options, "--encrypt", "--no-encrypt-to", "--no-default-recipient", .. recipients, "--force-mdc", "--no-textmode"];
        var output = new MemoryStream();
        await RunAsync(arguments, stdin => stdin.WriteAsync(secret, ct).AsTask(), stdout => CopyAsync(stdout, output, null, SmallOutputCap, ct), ct);
        return output.ToArray();
    }

    /// <summary>Decrypts a small public-key-encrypted secret (a hybrid cipher) with a secret key of the keyring.</summary>
    public async Task<byte[]> DecryptSmallAsync(byte[] encrypted, CancellationToken ct)
    {
        string[] arguments = [.. Base, .. settings.Options, .. settings.DecryptOptions, "--decrypt"];
        var output = new MemoryStream();
        await RunAsync(arguments, stdin => stdin.WriteAsync(encrypted, ct).AsTask(), stdout => CopyAsync(stdout, output, null, SmallOutputCap, ct), ct);
        return output.ToArray();
    }

    /// <summary>The long key ids of the public keys matching <paramref name="query"/> (git-annex's findPubKeys).</summary>
    public async Task<IReadOnlyList<string>> FindPublicKeysAsync(string query, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec(settings.Program, [.. Base, .. settings.Options, "--with-colons", "--list-public-keys", "--", query])
        {
            Timeout = TimeSpan.FromMinutes(1), MissingHint = "install it with 'apt-get install gnupg'", CombinedOutputCap = null,
        }, ct);
        var keys = result.Stdout.Split('\n').Select(l => l.Split(':')).Where(f => f.Length > 4 && f[0] == "pub").Select(f => f[4]).Distinct().ToList();
        if (result.ExitCode != 0 || keys.Count == 0)
            throw new GpgException($"gpg has no public key for '{query}'{(string.IsNullOrWhiteSpace(result.Stderr) ? "" : $" ({Tail(result.Stderr)})")}: import it first ('gpg --import')");
        return keys;
    }

    private async Task RunAsync(IReadOnlyList<string> arguments, Func<Stream, Task> feed, Func<Stream, Task>? read, CancellationToken ct)
    {
        await using var gpg = ProcessRunner.Start(new ProcessSpec(settings.Program, arguments) { MissingHint = "install it with 'apt-get install gnupg'" });
        using var killOnCancel = ct.Register(gpg.Kill);
        var feeding = FeedAsync(gpg, feed);
        var reading = read is null ? DrainAsync(gpg.Output) : read(gpg.Output);
        Exception? readFailure = null;
        try { await reading; }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            readFailure = e;
            gpg.Kill(); // it wrote more than allowed, or the output cannot be written: stop it
        }
        await feeding;
        var exited = await gpg.WaitForExitAsync(TimeSpan.FromMinutes(1));
        ct.ThrowIfCancellationRequested();
        if (readFailure is not null) throw readFailure is IOException io ? io : new IOException(readFailure.Message, readFailure);
        if (!exited) throw new GpgException("gpg did not finish");
        if (gpg.ExitCode != 0)
            throw new GpgException($"gpg failed (exit {gpg.ExitCode}): {Tail(await gpg.StderrAsync(TimeSpan.FromSeconds(5)))}");
    }

    private static async Task FeedAsync(RunningProcess gpg, Func<Stream, Task> feed)
    {
        try { await feed(gpg.Input); }
        catch (IOException) { } // gpg stopped reading (it failed, or was killed): its exit status tells
        catch (ObjectDisposedException) { }
        catch (OperationCanceledException) { }
        finally { gpg.CloseInput(); }
    }

    private static async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer) > 0) { }
    }

    private static async Task CopyAsync(Stream from, Stream to, IProgress<long>? progress, long? max, CancellationToken ct)
    {
        var buffer = new byte[CopyBuffer];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > max) throw new GpgException($"gpg's output is longer than the {max} bytes expected (damaged or hostile data)");
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            progress?.Report(total);
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, BufferSize = 0, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });

    /// <summary>gpg's last words, without its noise lines, bounded.</summary>
    private static string Tail(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.Contains("block_filter")).TakeLast(3);
        var text = string.Join("; ", lines);
        return text.Length > 500 ? text[..500] : text.Length == 0 ? "no message" : text;
    }
}
