namespace Tether.Sdk.Triggers;

/// <summary>How much a trigger's log line matters (the daemon shows Debug only with --verbose).</summary>
public enum TriggerLogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}
