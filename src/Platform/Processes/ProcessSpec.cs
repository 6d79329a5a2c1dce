namespace Tether.Platform.Processes;

/// <summary>
/// A program to run: its argument list (each element one argv entry, never re-split, never through a shell) and how.
/// </summary>
public sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Set on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Written to stdin as UTF-8, then stdin is closed (null: closed at once). A program that does not read it is fine.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// The run's bound: a program that has not exited and closed its output by then (a background child still holding
    /// the output counts as running) is killed with everything it started, and the result says <see cref="ProcessResult.TimedOut"/>.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Start it in a process group of its own (through util-linux's <c>setsid</c>), so a kill reaches every process it
    /// started, even those that left its tree. Without setsid on the system, its process tree is killed instead.
    /// </summary>
    public bool OwnProcessGroup { get; init; }

    /// <summary>
    /// Keep only the last this many bytes of stdout and stderr together, interleaved as they arrive, in
    /// <see cref="ProcessResult.Stdout"/> (<see cref="ProcessResult.Stderr"/> stays empty): a program printing 100 MB
    /// costs this much memory. Null: each kept whole.
    /// </summary>
    public int? CombinedOutputCap { get; init; }

    /// <summary>Called with each piece of stdout as it arrives (progress); stdout is then not kept.</summary>
    public Action<string>? OnStandardOutput { get; init; }

    /// <summary>
    /// A cancelled run returns a result with <see cref="ProcessResult.Cancelled"/> set (and its output so far) instead
    /// of throwing <see cref="OperationCanceledException"/>. Either way the program and everything it started is killed.
    /// </summary>
    public bool ReturnWhenCancelled { get; init; }

    /// <summary>Added to the error when the program cannot be started, e.g. "install it with 'apt-get install rsync'".</summary>
    public string? MissingHint { get; init; }
}
