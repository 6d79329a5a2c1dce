namespace Tether.Kernel.Configuration;

public sealed class AnnexConfig
{
    public LargeFileRule LargeFiles { get; init; } = new();

    /// <summary>How many copies of an annexed file must exist before one may be dropped.</summary>
    public int NumCopies { get; init; } = 1;

    /// <summary>
    /// New large files are added unlocked (annex.unlocked): a plain, writable file in the work tree and a pointer in git,
    /// as git-annex v10 does. False (the default for a config without the key, so existing repositories keep what they
    /// have): a read-only symlink into the annex. `tether init` writes true. Paths already in git keep their own mode.
    /// </summary>
    public bool Unlocked { get; init; }

    /// <summary>
    /// annex.thin, as git-annex's: an unlocked file and its annex object are one file (a hard link) instead of two
    /// copies, which halves the space; the trade-off is that an edit in place then changes the old version here too,
    /// so this node keeps only the newest version of a file edited in place (other nodes keep theirs). Off by default.
    /// </summary>
    public bool Thin { get; init; }
}
