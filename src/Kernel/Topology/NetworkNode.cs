namespace Tether.Kernel.Topology;

/// <summary>A repository in the network: its UUID and its description from uuid.log (empty if none).</summary>
public sealed record NetworkNode(string Uuid, string Description)
{
    public string Label => Description.Length > 0 ? Description : Uuid;
}
