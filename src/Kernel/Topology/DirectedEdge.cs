namespace Tether.Kernel.Topology;

/// <summary>A link from one node (repository UUID) to another, with what it costs to move content along it.</summary>
public sealed record DirectedEdge(string From, string To, long Cost);
