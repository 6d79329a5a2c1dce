using System.CommandLine;
using System.Net;
using Tether.Kernel.Daemon;
using Tether.Platform.Processes;
using Tether.Web.Hosting;
using Tether.Web.Security;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether open [--url]`: the running daemon's dashboard in a browser, signed in with its token; --url only prints the
/// URL. The browser is sent a 0600 redirect file in .git/tether/, never the token on a command line (which other local
/// users can read in /proc).
/// </summary>
public static class OpenCommand
{
    public const string RedirectFile = "open.html";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var urlOnly = new Option<bool>("--url") { Description = "Print the dashboard's URL (with its access token) instead of opening a browser" };
        var command = new Command("open", "Open the daemon's web dashboard in a browser") { urlOnly };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            if (DaemonLock.RunningPid(repo) is not { } pid)
            {
                await ctx.Error.WriteLineAsync($"tether: no daemon is running for {repo.DisplayPath} (start one with 'tether watch')");
                return ExitCodes.Refused;
            }
            if (DashboardAddress.Read(repo.StateDir) is not { } address || AccessToken.Read(AccessToken.PathIn(repo.StateDir)) is not { } token)
            {
                await ctx.Error.WriteLineAsync($"tether: the daemon (pid {pid}) serves no dashboard: 'web: off' in the config, or it is still starting, or its port was taken (see {Path.Combine(repo.StateDir, "daemon.log")})");
                return ExitCodes.Refused;
            }
            var url = $"{address.Url}?{RequestGuard.TokenQuery}={Uri.EscapeDataString(token)}";
            if (parsed.GetValue(urlOnly))
            {
                await ctx.Out.WriteLineAsync(url);
                return ExitCodes.Success;
            }
            var redirect = WriteRedirect(repo.StateDir, url);
            try
            {
                var result = await ProcessRunner.RunAsync(new ProcessSpec("xdg-open", [redirect]) { Timeout = TimeSpan.FromSeconds(20) }, ct);
                if (result.ExitCode == 0)
                {
                    await ctx.Out.WriteLineAsync($"tether: opened {address.Url}");
                    return ExitCodes.Success;
                }
                await ctx.Error.WriteLineAsync($"tether: xdg-open exited {result.ExitCode}: {result.ErrorText}");
            }
            catch (ProcessStartException)
            {
                await ctx.Error.WriteLineAsync("tether: xdg-open was not found (Debian/Ubuntu: apt-get install xdg-utils)");
            }
            await ctx.Error.WriteLineAsync($"tether: open this file in a browser: {redirect} (or run 'tether open --url')");
            return ExitCodes.SyncFailed;
        });
        return command;
    }

    private static string WriteRedirect(string stateDir, string url)
    {
        var path = Path.Combine(stateDir, RedirectFile);
        var encoded = WebUtility.HtmlEncode(url);
        File.Delete(path);
        using var stream = new FileStream(path, new FileStreamOptions
            { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        using var writer = new StreamWriter(stream);
        writer.Write($"<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=\"0;url={encoded}\"><title>Tether</title><a href=\"{encoded}\">Open the Tether dashboard</a>\n");
        return path;
    }
}
