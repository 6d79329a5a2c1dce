// HashBench: hashes one file with Tether.Sdk.Keys.KeyHasher N times and prints wall times.
// Usage: HashBench FILE [N=5] [--mode keyhasher|hashdata|sync]
//   keyhasher (default): KeyHasher.ComputeSha256EAsync, the code path the kernel uses.
//   hashdata / sync: alternatives used only to compare against (not what the kernel runs).
// Output: one line per round "round <i> <seconds> <MB/s>", then "key <key>" and "median <seconds>".
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Tether.Sdk.Keys;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: HashBench FILE [N] [--mode keyhasher|hashdata|sync]");
    return 2;
}
var path = args[0];
var rounds = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 5;
var mode = "keyhasher";
for (var i = 0; i < args.Length - 1; i++)
    if (args[i] == "--mode") mode = args[i + 1];

var length = new FileInfo(path).Length;
var times = new List<double>();
string? result = null;
for (var i = 1; i <= rounds; i++)
{
    var sw = Stopwatch.StartNew();
    result = mode switch
    {
        "keyhasher" => (await KeyHasher.ComputeSha256EAsync(path, Path.GetFileName(path))).ToString(),
        "hashdata" => await HashDataAsync(path),
        "sync" => HashSync(path),
        _ => throw new ArgumentException($"unknown mode {mode}"),
    };
    sw.Stop();
    var s = sw.Elapsed.TotalSeconds;
    times.Add(s);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {i} {s:F3} {length / s / 1e6:F1}"));
}
times.Sort();
Console.WriteLine($"key {result}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {times[times.Count / 2]:F3}"));
return 0;

static async Task<string> HashDataAsync(string path)
{
    await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
    return Convert.ToHexStringLower(await SHA256.HashDataAsync(fs));
}

static string HashSync(string path)
{
    using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
    using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    var buf = new byte[1 << 20];
    int r;
    while ((r = fs.Read(buf, 0, buf.Length)) > 0) h.AppendData(buf, 0, r);
    return Convert.ToHexStringLower(h.GetHashAndReset());
}
