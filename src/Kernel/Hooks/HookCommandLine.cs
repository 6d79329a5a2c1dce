using Tether.Platform.Quoting;

namespace Tether.Kernel.Hooks;

/// <summary>A program and its arguments, each passed as one argv element (never re-split, never through a shell).</summary>
public sealed record HookCommandLine(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The form of a <c>shell: true</c> hook: /bin/sh -c TEXT.</summary>
    public static HookCommandLine Shell(string script) => new("/bin/sh", ["-c", script]);

    /// <summary>For logs and `tether hooks list`: every element shell-quoted when it needs to be.</summary>
    public string Display() => string.Join(' ', new[] { Program }.Concat(Arguments).Select(ShellQuote.ForDisplay));
}
