using System.Globalization;
using Tether.Kernel.AnnexBranch;

namespace Tether.Kernel.Topology;

/// <summary>
/// One line of <see cref="TopologyLog"/>: repository <see cref="RepoUuid"/> has a remote (named
/// <see cref="RemoteName"/>) that is repository <see cref="RemoteUuid"/>, reached through a backend of type
/// <see cref="Backend"/> at <see cref="Cost"/>, last reached successfully at <see cref="LastReached"/>.
/// <see cref="Removed"/> marks a remote that was removed (a newer line than any union merge can bring back).
/// </summary>
public sealed record TopologyRecord(
    string RepoUuid, string RemoteUuid, string RemoteName, string Backend, int Cost, DateTimeOffset LastReached, AnnexTimestamp Time,
    bool Removed = false)
{
    public override string ToString() =>
        $"{RepoUuid} {RemoteUuid} name={RemoteName} backend={Backend} cost={Cost.ToString(CultureInfo.InvariantCulture)} " +
        $"lastreached={LastReached.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}{(Removed ? " removed=1" : "")} timestamp={Time}";
}
