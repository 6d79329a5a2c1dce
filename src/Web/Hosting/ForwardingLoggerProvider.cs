using Microsoft.Extensions.Logging;

namespace Tether.Web.Hosting;

/// <summary>Hands ASP.NET Core's loggers to the daemon's (Serilog file log and console), filtered by the host's rules.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

    public void Dispose() { } // the daemon owns the factory
}
