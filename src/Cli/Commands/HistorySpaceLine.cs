using Tether.Kernel.Configuration;
using Tether.Kernel.History;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>The line of `tether status` that says how much space old and deleted versions take here.</summary>
internal static class HistorySpaceLine
{
    public static string For(AnnexRepository repo, TetherConfig config)
    {
        var unused = new UnusedContent(repo);
        var keys = unused.Keys();
        var keep = config.History.Keep is { } window ? DurationText.Format(window) : "forever";
        return $"history here: {keys.Count} old version(s), {HistoryCommandSupport.Size(unused.Bytes(keys))} (history.keep {keep}; tether drop --unused frees what is safe to)";
    }
}
