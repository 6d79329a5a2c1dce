using System.Text.Json;

namespace Tether.Web.Hosting;

/// <summary>
/// .git/tether/web.json (mode 0600): where the running daemon's dashboard listens, for `tether open`. Written once the
/// server is up, removed when it stops. The token is not in it (it is in web-token).
/// </summary>
public sealed record DashboardAddress(string Url, int Pid)
{
    public const string FileName = "web.json";

    public static string PathIn(string stateDir) => Path.Combine(stateDir, FileName);

    public void Write(string stateDir)
    {
        var path = PathIn(stateDir);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions
               { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            JsonSerializer.Serialize(stream, this, WebJson.Options);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The address the dashboard wrote; null when there is none (or it is unreadable).</summary>
    public static DashboardAddress? Read(string stateDir)
    {
        var path = PathIn(stateDir);
        if (!File.Exists(path) || new FileInfo(path).Length > 4096) return null;
        try { return JsonSerializer.Deserialize<DashboardAddress>(File.ReadAllText(path), WebJson.Options); }
        catch (JsonException) { return null; }
    }

    public static void Remove(string stateDir) => File.Delete(PathIn(stateDir));
}
