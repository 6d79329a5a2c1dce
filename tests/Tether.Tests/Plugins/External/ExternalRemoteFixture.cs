using Tether.Kernel.Plugins;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>
/// The shipped external plugin, loaded as the daemon loads it, and a place for one remote: a folder standing in for
/// the repository's git directory, an rclone store reached through rclone's on-the-fly <c>:local</c> backend (no rclone
/// config, no network), and helper scripts of the test's own.
/// </summary>
internal sealed class ExternalRemoteFixture : IDisposable
{
    private readonly TempFolder _dir = new();

    public ExternalRemoteFixture()
    {
        Directory.CreateDirectory(GitDirectory);
        Directory.CreateDirectory(Store);
    }

    public string Root => _dir.Path;
    public string GitDirectory => _dir.Combine("repo", ".git");
    public string Store => _dir.Combine("store");
    public string Uuid { get; } = Guid.NewGuid().ToString();

    public static IInitializingBackendFactory Factory()
    {
        var host = new PluginHost();
        host.LoadFolder(Path.Combine(PluginFolders.Shipped, "external"));
        Assert.Empty(host.Errors);
        return Assert.IsAssignableFrom<IInitializingBackendFactory>(host.Plugins.Single().Backends.Single(b => b.Type == "external"));
    }

    public static void RequireRclone()
    {
        Assert.True(File.Exists("/usr/bin/git-annex-remote-rclone") && File.Exists("/usr/bin/rclone"),
            "git-annex-remote-rclone and rclone are not installed: run ./run-tests (it installs the apt packages git-annex-remote-rclone and rclone)");
    }

    /// <summary>The user's settings for an rclone remote on <see cref="Store"/>.</summary>
    public Dictionary<string, string> RcloneSettings() => new() { ["target"] = ":local", ["prefix"] = Store };

    public RemoteDescriptor Describe(IReadOnlyDictionary<string, string> settings, IBackendHost? host = null) =>
        new("cloud", "external://rclone", Uuid, null) { Settings = settings, GitDirectory = GitDirectory, Host = host };

    /// <summary>INITREMOTE through the real helper, then a backend on what it recorded (plus local settings).</summary>
    public async Task<IContentBackend> InitializedRcloneAsync(IInitializingBackendFactory factory, Dictionary<string, string>? local = null)
    {
        var setup = await factory.InitializeAsync(Describe(RcloneSettings()), CancellationToken.None);
        var settings = new Dictionary<string, string>(setup.Settings);
        foreach (var (k, v) in local ?? []) settings[k] = v;
        return factory.Create(Describe(settings));
    }

    /// <summary>Where git-annex-remote-rclone's default layout (lower) puts a key: PREFIX/abc/def/KEY.</summary>
    public string ObjectPath(Key key) => Path.Combine(Store, HashDirs.Lower(key), key.ToString());

    /// <summary>A bash script of the test's own, made executable.</summary>
    public string Script(string name, string body)
    {
        var path = _dir.Combine("bin", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/bash\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>
    /// The ASYNC-only protocol helper (<c>Helpers/git-annex-remote-jobs</c>, python3) on <paramref name="state"/>: its store,
    /// its pids, its transcript, and the misbehaviour its first process follows (<paramref name="plan"/>; see the script).
    /// </summary>
    public string JobsHelper(string state, string? plan = null)
    {
        Directory.CreateDirectory(state);
        if (plan is not null) File.WriteAllText(Path.Combine(state, "plan"), plan);
        var script = Path.Combine(AppContext.BaseDirectory, "Plugins", "External", "Helpers", "git-annex-remote-jobs");
        return Script("jobs", $"exec python3 '{script}' '{state}'\n");
    }

    public static int ProcessesStarted(IContentBackend backend) => (int)backend.GetType().GetProperty("ProcessesStarted")!.GetValue(backend)!;

    public void Dispose() => _dir.Dispose();
}

/// <summary>Progress reports, kept in order (IProgress&lt;T&gt;'s Progress posts to the thread pool; this does not).</summary>
internal sealed class RecordedProgress : IProgress<long>
{
    private readonly List<long> _values = [];
    public void Report(long value) { lock (_values) _values.Add(value); }
    public IReadOnlyList<long> Values { get { lock (_values) return [.. _values]; } }
}
