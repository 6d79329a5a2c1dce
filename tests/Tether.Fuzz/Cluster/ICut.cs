namespace Tether.Fuzz.Cluster;

/// <summary>A way to make one remote unreachable and bring it back (root ignores permissions, so nothing is chmod-ed).</summary>
public interface ICut
{
    string Name { get; }
    bool IsCut { get; }
    Task CutAsync(CancellationToken ct);
    Task RestoreAsync(CancellationToken ct);
}
