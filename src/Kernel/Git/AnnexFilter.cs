using System.Collections.Concurrent;
using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Git;

/// <summary>
/// libgit2's side of git-annex's `annex` filter (the `filter=annex` attribute of unlocked files), so the index records a
/// pointer blob with the work-tree file's own stat data and `git status` stays clean. Clean: a path the committer has
/// just ingested (<see cref="Expect"/>) becomes its pointer, the content read through and dropped; anything else passes
/// through as it is (a small file, or a pointer file whose content is not here). Smudge: a pointer whose object is here
/// becomes the content; any other blob is written as it is. It never hashes, ingests or decides what is large: the
/// committer does that, before staging.
/// </summary>
/// <remarks>
/// libgit2 keeps one filter registry per process and calls filters with no caller's payload, so there is one registered
/// instance (<see cref="Registered"/>), and what it must know per call (the key of a path being staged) is keyed by the
/// file's absolute path, set by the caller for the duration of the staging only.
/// </remarks>
public sealed class AnnexFilter : Filter
{
    private static readonly Lazy<AnnexFilter> Registration = new(() =>
    {
        var filter = new AnnexFilter();
        GlobalSettings.RegisterFilter(filter);
        return filter;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    // Keyed by the calling thread too: libgit2 runs a filter on the thread that called it, and two threads (the
    // committer, a download filling a file) may stage or read the same path at once.
    private readonly ConcurrentDictionary<(string Path, int Thread), Key> _expected = new();
    private readonly ConcurrentDictionary<(string Path, FilterMode Mode, int Thread), FilterStream> _streams = new();

    private static int Thread => Environment.CurrentManagedThreadId;

    private AnnexFilter() : base("annex", [new FilterAttributeEntry("annex")]) { }

    /// <summary>The process's one registered annex filter (registered on first use).</summary>
    public static AnnexFilter Registered => Registration.Value;

    /// <summary>While the result is not disposed, staging <paramref name="absolutePath"/> on this thread records <paramref name="key"/>'s pointer.</summary>
    public IDisposable Expect(string absolutePath, Key key)
    {
        _expected[(absolutePath, Thread)] = key;
        return new Expectation(this, (absolutePath, Thread));
    }

    protected override void Create(string path, string root, FilterMode mode)
    {
        var absolute = Path.Combine(root, path);
        _streams[(absolute, mode, Thread)] = mode == FilterMode.Clean
            ? new FilterStream(_expected.TryGetValue((absolute, Thread), out var key) ? key : null, root)
            : new FilterStream(null, root);
    }

    protected override void Clean(string path, string root, Stream input, Stream output)
    {
        var stream = StreamFor(path, root, FilterMode.Clean);
        if (stream?.StagedKey is null) input.CopyTo(output); // read through and dropped when the pointer is staged
    }

    protected override void Smudge(string path, string root, Stream input, Stream output)
    {
        var stream = StreamFor(path, root, FilterMode.Smudge);
        if (stream is null) { input.CopyTo(output); return; }
        stream.Buffer(input, output);
    }

    protected override void Complete(string path, string root, Stream output)
    {
        var absolute = Path.Combine(root, path);
        if (_streams.TryRemove((absolute, FilterMode.Clean, Thread), out var clean) && clean.StagedKey is { } key)
            output.Write(System.Text.Encoding.UTF8.GetBytes(AnnexLink.PointerFor(key)));
        if (_streams.TryRemove((absolute, FilterMode.Smudge, Thread), out var smudge)) smudge.FinishSmudge(output);
    }

    private FilterStream? StreamFor(string path, string root, FilterMode mode) =>
        _streams.GetValueOrDefault((Path.Combine(root, path), mode, Thread));

    private sealed class Expectation(AnnexFilter filter, (string Path, int Thread) slot) : IDisposable
    {
        public void Dispose() => filter._expected.TryRemove(slot, out _);
    }

    /// <summary>One file going through the filter: the key a staged path gets, or a smudged blob held back while it may be a pointer.</summary>
    private sealed class FilterStream(Key? stagedKey, string root)
    {
        private MemoryStream? _held = new();

        public Key? StagedKey => stagedKey;

        /// <summary>Holds what may be a pointer (git-annex's size limit); anything longer is passed through from then on.</summary>
        public void Buffer(Stream input, Stream output)
        {
            if (_held is null) { input.CopyTo(output); return; }
            input.CopyTo(_held);
            if (_held.Length <= AnnexLink.MaxPointerSize) return;
            _held.Position = 0;
            _held.CopyTo(output);
            _held = null;
        }

        public void FinishSmudge(Stream output)
        {
            if (_held is null) return;
            if (AnnexLink.TryParsePointer(_held.GetBuffer().AsSpan(0, (int)_held.Length), out var key) && OpenObject(key) is { } content)
            {
                using (content) content.CopyTo(output);
                return;
            }
            _held.Position = 0;
            _held.CopyTo(output);
        }

        /// <summary>The key's object here, never through a link; null when it is not here (the pointer file is written instead).</summary>
        private FileStream? OpenObject(Key key)
        {
            if (AnnexRepository.TryOpenWorkTree(root) is not { } repo) return null;
            try { return new ObjectStore(repo).OpenContent(key, "this repository", out _); }
            catch (IOException) { return null; } // FileNotFoundException too
        }
    }
}
