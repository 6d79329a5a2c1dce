using Microsoft.Extensions.Logging;

namespace Tether.Kernel.Coordination;

/// <summary>
/// The one way to start work nobody awaits: its fault is logged, never lost (an unobserved faulted task says nothing).
/// A cancellation is the normal end of such work and is not logged.
/// </summary>
public static class ObservedTask
{
    public static void Forget(this Task task, ILogger log, string what) =>
        task.ContinueWith(t => log.LogError(t.Exception!.GetBaseException(), "{What} failed", what),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
