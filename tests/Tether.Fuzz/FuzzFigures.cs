using System.Collections.Concurrent;

namespace Tether.Fuzz;

/// <summary>What a run did and found, for the summary and docs/RELIABILITY.md.</summary>
public sealed class FuzzFigures
{
    private readonly ConcurrentDictionary<string, int> _operations = new();
    private int _kills, _cuts;

    public int Operations => _operations.Values.Sum();
    public int Kills => _kills;
    public int Cuts => _cuts;
    public int Rounds { get; set; }
    public int ContentsWritten { get; set; }
    public int ContentsRequired { get; set; }
    public int FilesChecked { get; set; }
    public int ContentsLost { get; set; }
    public int Unlanded { get; set; }
    public TimeSpan Elapsed { get; set; }

    public void Operation(string kind) => _operations.AddOrUpdate(kind, 1, (_, n) => n + 1);
    public void Kill() => Interlocked.Increment(ref _kills);
    public void Cut() => Interlocked.Increment(ref _cuts);

    public string Summary(FuzzSettings settings) =>
        $"seed {settings.Seed}, {settings.Nodes} nodes{(settings.UseSsh ? " (one over ssh)" : "")}, {Rounds} round(s), {Elapsed:hh\\:mm\\:ss}: " +
        $"{Operations} operations ({string.Join(", ", _operations.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}), " +
        $"{Kills} daemon kills (SIGKILL), {Cuts} remote cuts; {ContentsWritten} contents written, {Unlanded} replaced by a merge before the driver saw them, " +
        $"{ContentsRequired} required at the end, {FilesChecked} files checked on all nodes, {ContentsLost} lost";
}
