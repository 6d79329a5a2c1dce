using System.Text;
using System.Text.Json;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Hooks;
using Tether.Platform.Quoting;
using Tether.Tests.Support;
using Tether.Tests.Watching;
using Tether.Kernel.Threads;

namespace Tether.Tests.Hooks;

/// <summary>
/// A hook runner on an EventBus over a temporary "work tree", with a recording script that hooks can run:
/// <c>record.sh OUTDIR ARGS...</c> writes its stdin, its environment (NUL-separated) and its argv (NUL-separated)
/// into OUTDIR, then a <c>done</c> marker.
/// </summary>
internal sealed class HookHarness : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public HookHarness()
    {
        WorkTree = _dir.Combine("work");
        Directory.CreateDirectory(WorkTree);
        Recorder = _dir.Combine("record.sh");
        WriteScript(Recorder, """
            #!/bin/sh
            out=$1; shift
            mkdir -p "$out"
            cat > "$out/stdin.json"
            env -0 > "$out/env"
            if [ $# -gt 0 ]; then printf '%s\0' "$@"; fi > "$out/argv"
            : > "$out/done"
            """);
    }

    public string WorkTree { get; }
    public string Recorder { get; }
    public EventBus Bus { get; } = new();
    public ListLogger Log { get; } = new();
    public HookRunner Runner { get; private set; } = null!;

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public HookRunner Start(IReadOnlyList<HookConfig> hooks, int maxConcurrent = 4)
    {
        Runner = new HookRunner(Bus.Subscribe(), new HookRunnerSettings(WorkTree, hooks) { MaxConcurrent = maxConcurrent }, Log);
        _running = Runner.RunAsync(_stop.Token);
        return Runner;
    }

    /// <summary>Makes an executable drop-in for the event that records into OUTDIR.</summary>
    public string AddRecordingDropIn(string eventName, string name, string outDir) =>
        AddDropIn(eventName, name, $"#!/bin/sh\nexec {ShellQuote.Quote(Recorder)} {ShellQuote.Quote(outDir)} \"$@\"\n");

    public string AddDropIn(string eventName, string name, string body, bool executable = true)
    {
        var folder = DropInHooks.FolderFor(DropInHooks.RootFor(WorkTree), eventName);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (executable) WriteScript(path, body);
        else File.WriteAllText(path, body);
        return path;
    }

    public static void WriteScript(string path, string body)
    {
        File.WriteAllText(path, body.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED /* 0755 */);
    }

    public Task WaitDoneAsync(string outDir, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => File.Exists(Path.Combine(outDir, "done")), timeout ?? TimeSpan.FromSeconds(15),
            () => $"no hook run recorded in {outDir}; log:\n{LogText()}");

    public string LogText() => string.Join("\n", Log.Entries.Select(e => $"{e.Level}: {e.Message}"));

    public static JsonElement Stdin(string outDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stdin.json"))).RootElement;

    public static IReadOnlyList<string> Argv(string outDir) => Split(File.ReadAllBytes(Path.Combine(outDir, "argv")));

    public static IReadOnlyDictionary<string, string> Env(string outDir) =>
        Split(File.ReadAllBytes(Path.Combine(outDir, "env"))).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    private static List<string> Split(byte[] nulSeparated)
    {
        var text = Encoding.UTF8.GetString(nulSeparated);
        var parts = text.Split('\0').ToList();
        if (parts.Count > 0 && parts[^1].Length == 0) parts.RemoveAt(parts.Count - 1);
        return parts;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _running?.Wait(TimeSpan.FromSeconds(15)); } catch (AggregateException) { }
        _dir.Dispose();
    }
}
