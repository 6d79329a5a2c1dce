namespace Tether.Kernel.Shell;

/// <summary>What a `tether shell` session may change (an ssh key's restriction, <c>--read-only</c> or <c>--append-only</c>).</summary>
public enum ShellAccess
{
    /// <summary>Everything the protocol offers: STORE, REMOVE (numcopies checked), any push.</summary>
    Full,
    /// <summary>Content and history can be added, never removed: no REMOVE; refs only move forward (no deletion, no rewrite).</summary>
    AppendOnly,
    /// <summary>Nothing changes: no STORE, no REMOVE, no git-receive-pack.</summary>
    ReadOnly,
}

public static class ShellAccessNames
{
    /// <summary>The word the ACCESS request answers, and `tether ssh-authorize` writes.</summary>
    public static string Word(this ShellAccess access) => access switch
    {
        ShellAccess.AppendOnly => "append-only",
        ShellAccess.ReadOnly => "read-only",
        _ => "full",
    };

    public static ShellAccess? Parse(string word) => word switch
    {
        "full" => ShellAccess.Full,
        "append-only" => ShellAccess.AppendOnly,
        "read-only" => ShellAccess.ReadOnly,
        _ => null,
    };
}
