namespace Tether.Fuzz.Driver;

/// <summary>File and folder names a user has: spaces, accents, other scripts, emoji, dots, no extension.</summary>
public sealed class NameMaker(Random random)
{
    private static readonly string[] Stems =
        ["notes", "photo album", "résumé", "日本語のメモ", "Ωmega", "draft v2", "ünïcödé", "a b  c", "report.final", "emoji 🙂", "data", "Привет"];
    private static readonly string[] Extensions = [".txt", ".md", ".bin", ".jpg", "", ".tar.gz"];
    private static readonly string[] Folders = ["docs", "my photos", "Überordner", "проект", "music/live sets", "deep/er/still"];

    private int _counter;

    /// <summary>A path no operation has made before (a counter keeps it unique): maybe in a folder, maybe at the top.</summary>
    public string NewFilePath()
    {
        var name = $"{Pick(Stems)} {Interlocked.Increment(ref _counter)}{Pick(Extensions)}";
        return random.Next(4) == 0 ? name : $"{Pick(Folders)}/{name}";
    }

    public string NewFolderName() => $"{Pick(Stems)} dir {Interlocked.Increment(ref _counter)}";

    private string Pick(string[] items) => items[random.Next(items.Length)];
}
