using Tether.Kernel.Configuration;

namespace Tether.Kernel.Hooks;

/// <summary>What the hook runner needs: the repository, the YAML hooks, where drop-ins live, and its limits.</summary>
public sealed record HookRunnerSettings(string WorkTree, IReadOnlyList<HookConfig> Hooks)
{
    /// <summary>The folder holding the <c>&lt;event&gt;.d/</c> drop-in folders.</summary>
    public string DropInRoot { get; init; } = DropInHooks.RootFor(WorkTree);

    /// <summary>Hook processes running at once, over all hooks.</summary>
    public int MaxConcurrent { get; init; } = 4;

    /// <summary>The timeout of each drop-in executable (YAML hooks have their own <c>timeout:</c>).</summary>
    public TimeSpan DropInTimeout { get; init; } = new HookConfig { Events = [], Command = [] }.Timeout;
}
