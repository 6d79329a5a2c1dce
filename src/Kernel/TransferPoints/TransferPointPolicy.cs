using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Wants;

namespace Tether.Kernel.TransferPoints;

/// <summary>
/// The cloud role (git-annex's <c>transfer</c> group): a remote in that group holds a file's content only while some
/// node that wants the file lacks it, or fewer than two nodes have it (so a node that is alone so far still leaves a
/// copy for the ones to come; git-annex's standard expression for the group says the same). The nodes are the repositories that published their wants
/// (<see cref="WantsLog"/>) and git-annex's <c>client</c> group, never a special remote (remote.log) or another
/// transfer point. Read once from the git-annex branch; the location of each key is asked per call.
/// A Tether node that wants everything publishes no wants line (the default), so the nodes are also the repositories
/// that recorded the remotes they reach (<see cref="Topology.TopologyLog"/>: every Tether node that ever synced).
/// </summary>
public sealed class TransferPointPolicy
{
    private readonly IReadOnlySet<string> _transferPoints;
    private readonly IReadOnlyDictionary<string, WantedContent> _nodes;

    private TransferPointPolicy(IReadOnlySet<string> transferPoints, IReadOnlyDictionary<string, WantedContent> nodes, int numCopies)
    {
        _transferPoints = transferPoints;
        _nodes = nodes;
        NumCopies = numCopies;
    }

    /// <summary>The network's numcopies (numcopies.log, as <c>git annex numcopies N</c> sets it); 1 when unset.</summary>
    public int NumCopies { get; }

    /// <param name="ourUuid">This repository: a node too, even before its own wants are published.</param>
    public static TransferPointPolicy Read(GitAnnexBranch branch, string ourUuid)
    {
        var groups = branch.Read(GroupLog.FileName);
        var transferPoints = GroupLog.Members(groups, GroupLog.Transfer);
        // Asked for every upload: without transfer points (the common case) no other log is read.
        if (transferPoints.Count == 0) return new TransferPointPolicy(transferPoints, new Dictionary<string, WantedContent>(), 1);
        var specialRemotes = RemoteLog.Parse(branch.Read(RemoteLog.FileName)).Keys.ToHashSet(StringComparer.Ordinal);
        var nodes = new Dictionary<string, WantedContent>(StringComparer.Ordinal);
        foreach (var client in GroupLog.Members(groups, GroupLog.Client)) nodes[client] = WantedContent.All;
        nodes[ourUuid] = WantedContent.All;
        foreach (var record in Topology.TopologyLog.Current(branch.Read(Topology.TopologyLog.BranchPath))) nodes[record.RepoUuid] = WantedContent.All;
        foreach (var (uuid, entry) in WantsLog.Current(branch.Read(WantsLog.BranchPath))) nodes[uuid] = entry.Wants;
        foreach (var uuid in transferPoints.Concat(specialRemotes)) nodes.Remove(uuid);
        return new TransferPointPolicy(transferPoints, nodes, NumCopiesFrom(branch.Read(NumCopiesLog)));
    }

    private const string NumCopiesLog = "numcopies.log";

    /// <summary>numcopies.log: "&lt;T&gt;s N" lines, the newest wins; a line that does not parse is skipped; 1 when none does.</summary>
    private static int NumCopiesFrom(string? content)
    {
        var (newest, copies) = (default(AnnexTimestamp), 1);
        foreach (var line in (content ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Trim().Split(' ');
            if (parts.Length == 2 && AnnexTimestamp.TryParse(parts[0], out var time)
                && int.TryParse(parts[1], out var n) && n is > 0 and < 1000 && time >= newest)
                (newest, copies) = (time, n);
        }
        return copies;
    }

    public bool HasTransferPoints => _transferPoints.Count > 0;

    public bool IsTransferPoint(string? uuid) => uuid is not null && _transferPoints.Contains(uuid);

    /// <summary>
    /// True when the transfer points should hold the file: a node that wants <paramref name="path"/> has no copy and
    /// will not get one directly (<paramref name="servedDirectly"/>: the nodes this upload reaches without them), or
    /// fewer than two nodes have it.
    /// </summary>
    public bool Needed(string path, IReadOnlySet<string> present, IReadOnlySet<string> servedDirectly)
    {
        var wanting = NodesWanting(path).ToList();
        var served = wanting.Count(uuid => present.Contains(uuid) || servedDirectly.Contains(uuid));
        return served < wanting.Count || served < MinimumNodeCopies;
    }

    private const int MinimumNodeCopies = 2;

    /// <summary>
    /// True when the transfer points' copies are no longer needed: every node that wants the file has it, and without
    /// the transfer points at least <see cref="NumCopies"/> copies remain (as the location log says).
    /// </summary>
    public bool CanLeave(string path, IReadOnlySet<string> present) =>
        !Needed(path, present, new HashSet<string>()) && present.Count(uuid => !_transferPoints.Contains(uuid)) >= NumCopies;

    private IEnumerable<string> NodesWanting(string path) => _nodes.Where(n => n.Value.Wants(path)).Select(n => n.Key);
}
