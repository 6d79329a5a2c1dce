namespace Tether.Kernel.Configuration;

/// <summary>Checks that a remote named by a trigger or hook filter is defined under remotes:.</summary>
internal static class RemoteReference
{
    public static string Bind(ConfigNode node, IReadOnlyCollection<string> remoteNames)
    {
        string name = node.AsString("expected the name of a remote defined under remotes:");
        if (remoteNames.Contains(name))
            return name;
        string allowed = remoteNames.Count == 0
            ? "no remotes are defined; add one under remotes:"
            : SpellingSuggestion.DidYouMean(name, remoteNames) + $"defined remotes: {string.Join(", ", remoteNames)}";
        throw node.Error($"unknown remote '{name}'", allowed);
    }
}
