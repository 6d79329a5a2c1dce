namespace Tether.Sdk.Backends;

/// <summary>How much a backend's log line matters (the daemon shows Debug only with --verbose). Since contracts 2.1.</summary>
public enum BackendLogLevel
{
    Debug,
    Information,
    Warning,
}
