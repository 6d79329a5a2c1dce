namespace Tether.Plugins.External;

/// <summary>
/// How a helper session broke: what the helper did (<c>exited (status 3); its stderr: ...</c>, <c>sent '...' for job 9,
/// which was never started</c>), and the job whose request it was when one request caused it (a timeout, garbage in
/// reply, a cancel); null when it concerns the process as a whole (an exit, a line for no running job).
/// </summary>
internal sealed record HelperFailure(string What, HelperJob? Cause)
{
    /// <summary>The error <paramref name="job"/> (running <paramref name="during"/>) fails with.</summary>
    public string For(string describe, string during, HelperJob? job) =>
        Cause is null || Cause == job
            ? $"{describe}: {ProtocolLine.Printable(during)}: the helper {What}"
            : $"{describe}: {ProtocolLine.Printable(during)}: stopped with the helper, which, during {ProtocolLine.Printable(Cause.During)} ({Cause.Name}), {What}";
}
