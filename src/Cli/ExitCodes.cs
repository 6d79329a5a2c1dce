namespace Tether.Cli;

/// <summary>The documented exit statuses.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A sync step failed (e.g. a remote unreachable); the rest still ran.</summary>
    public const int SyncFailed = 1;
    /// <summary>Bad usage or a bad config: nothing was changed.</summary>
    public const int UsageOrConfig = 2;
    /// <summary>`tether shell --forced` refused the request (not allowed for this key): nothing ran.</summary>
    public const int Refused = 3;
}
