namespace Tether.Kernel.Plugins;

/// <summary>A plugin folder that could not be used, and why. The host skips it; everything else keeps working.</summary>
public sealed record PluginLoadError(string Folder, string Message);
