using System.Diagnostics;

namespace Tether.Fuzz.Cluster;

/// <summary>Kills one process we started and all its descendants, found by their parent ids in /proc.</summary>
public static class ProcessTree
{
    public static void Kill(int root)
    {
        foreach (var pid in Descendants(root).Prepend(root).ToList())
        {
            try { using var process = Process.GetProcessById(pid); process.Kill(); }
            catch (ArgumentException) { } // already gone
            catch (InvalidOperationException) { }
        }
    }

    private static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        return found;
    }
}
