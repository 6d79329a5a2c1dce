namespace Tether.Sdk.Triggers;

/// <summary>
/// Creates triggers of one type (e.g. "interval", "usb"). Plugins export these, like backend factories: a public
/// class with a parameterless constructor. The kernel creates one trigger per <c>triggers:</c> entry of the config
/// naming this type. Since contracts 1.2.
/// </summary>
public interface ISyncTriggerFactory
{
    /// <summary>The trigger type named in the config's <c>triggers: - type:</c> field.</summary>
    string Type { get; }

    /// <exception cref="ArgumentException">The entry's settings are unusable (say which, and what is allowed).</exception>
    ISyncTrigger Create(TriggerDescriptor trigger);
}
