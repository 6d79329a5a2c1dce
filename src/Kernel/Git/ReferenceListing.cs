using LibGit2Sharp;

namespace Tether.Kernel.Git;

/// <summary>
/// The references of a repository as they are now. LibGit2Sharp lists the names first and looks each one up after, so
/// a reference deleted in between (a push or prune of another thread or process, or the repository moved away) comes
/// back as null; it is left out here (the daemon's merger died of one such null when the folder was moved away).
/// </summary>
public static class ReferenceListing
{
    public static IEnumerable<Reference> Present(this ReferenceCollection references) => references.Where(r => r is not null);
}
