namespace Tether.Tests.Support;

/// <summary>Bounded waiting for a condition the daemon should bring about (checked every 50 ms).</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, describe);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await SafeAsync(condition)) return;
            await Task.Delay(50);
        }
        if (!await SafeAsync(condition)) throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {describe()}");
    }

    private static async Task<bool> SafeAsync(Func<Task<bool>> condition)
    {
        try { return await condition(); }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException) { return false; }
    }
}
