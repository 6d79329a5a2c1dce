using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Logging;

/// <summary>
/// The daemon's logging: structured events to .git/tether/daemon.log (rolled at 10 MiB, five files kept)
/// and to the console while it runs in the foreground. --verbose shows each decision (debug level). Values are written
/// as they are (":l"): a direction reads Upload, not "Upload".
/// </summary>
public static class DaemonLogging
{
    public const long MaxLogBytes = 10 * 1024 * 1024;
    public const int RetainedFiles = 5;

    public static string LogPathFor(AnnexRepository repo) => Path.Combine(repo.StateDir, "daemon.log");

    public static ILoggerFactory Create(AnnexRepository repo, bool verbose)
    {
        var level = verbose ? LogEventLevel.Debug : LogEventLevel.Information;
        var serilog = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.File(LogPathFor(repo),
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:l}{NewLine}{Exception}",
                fileSizeLimitBytes: MaxLogBytes, rollOnFileSizeLimit: true, retainedFileCountLimit: RetainedFiles, shared: false)
            .CreateLogger();
        return LoggerFactory.Create(b => b
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .AddSerilog(serilog, dispose: true));
    }
}
