using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Sdk.Triggers;

namespace Tether.Kernel.Plugins;

/// <summary>
/// Loads plugins with McMaster.NETCore.Plugins: each plugin folder gets its own load context with its own
/// dependencies; only the contracts assembly (Tether.Sdk) is shared with the kernel, so plugin types implement
/// the kernel's own <see cref="IContentBackendFactory"/>. A folder that fails (no plugin DLL, a bad DLL, a
/// constructor that throws, contracts of another major version) becomes a <see cref="PluginLoadError"/>.
/// </summary>
public sealed class PluginHost
{
    private static readonly Type[] SharedTypes = [typeof(IContentBackendFactory), typeof(IContentBackend), typeof(RemoteDescriptor), typeof(Key), typeof(ISyncTriggerFactory), typeof(ISyncRequester)];

    private readonly List<LoadedPlugin> _plugins = [];
    private readonly List<PluginLoadError> _errors = [];
    private readonly ILogger? _log;

    public PluginHost(ILogger? log = null) => _log = log;

    public IReadOnlyList<LoadedPlugin> Plugins => _plugins;
    public IReadOnlyList<PluginLoadError> Errors => _errors;

    /// <summary>The contracts version this kernel was built with (plugins must match its major version).</summary>
    public static Version ContractsVersion => typeof(IContentBackendFactory).Assembly.GetName().Version!;

    /// <summary>The contracts' package version (e.g. 1.1.0): minor versions add members with defaults only.</summary>
    public static string ContractsDisplayVersion =>
        typeof(IContentBackendFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? ContractsVersion.ToString(2);

    /// <summary>Loads every plugin folder under each root (a missing root is fine: nothing is there).</summary>
    public void LoadFrom(IEnumerable<string> roots)
    {
        foreach (var root in roots)
        {
            if (!Directory.Exists(root)) continue;
            foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
                LoadFolder(folder);
        }
    }

    public void LoadFolder(string folder)
    {
        try
        {
            var plugin = Load(folder);
            _plugins.Add(plugin);
            _log?.LogDebug("Loaded plugin {Name} {Version} from {Folder}: backends {Backends}, triggers {Triggers}", plugin.Name, plugin.Version, folder,
                string.Join(", ", plugin.Backends.Select(b => b.Type)), string.Join(", ", plugin.Triggers.Select(t => t.Type)));
        }
        // Whatever a plugin does wrong while loading (bad image, missing dependency, a throwing static or instance
        // constructor, a contract mismatch) costs only that plugin.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = new PluginLoadError(folder, Describe(e));
            _errors.Add(error);
            _log?.LogWarning("Plugin in {Folder} skipped: {Message}", folder, error.Message);
        }
    }

    private static LoadedPlugin Load(string folder)
    {
        var dll = FindPluginAssembly(folder);
        var loader = PluginLoader.CreateFromAssemblyFile(dll, sharedTypes: SharedTypes);
        var assembly = loader.LoadDefaultAssembly();
        var name = assembly.GetName();
        var contracts = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == typeof(IContentBackendFactory).Assembly.GetName().Name)
            ?? throw new PluginException($"{Path.GetFileName(dll)} does not reference the contracts assembly {typeof(IContentBackendFactory).Assembly.GetName().Name}: not a Tether plugin");
        if (contracts.Version is { } v && v.Major != ContractsVersion.Major)
            throw new PluginException($"{Path.GetFileName(dll)} was built against Tether.Sdk {v.Major}.x, this tether provides {ContractsVersion.Major}.x: rebuild the plugin against this version");

        var types = LoadableTypes(assembly).Where(t => t is { IsAbstract: false, IsInterface: false }).ToList();
        var factories = Instantiate<IContentBackendFactory>(types);
        var triggers = Instantiate<ISyncTriggerFactory>(types);
        if (factories.Count == 0 && triggers.Count == 0)
            throw new PluginException($"{Path.GetFileName(dll)} provides no backend ({nameof(IContentBackendFactory)} implementation) and no trigger ({nameof(ISyncTriggerFactory)} implementation)");
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? name.Version?.ToString() ?? "?";
        return new LoadedPlugin(folder, dll, name.Name ?? Path.GetFileNameWithoutExtension(dll), version, contracts.Version ?? new Version(0, 0), factories, triggers);
    }

    /// <summary>One instance of each type implementing <typeparamref name="T"/>, through its public parameterless constructor.</summary>
    private static List<T> Instantiate<T>(List<Type> types) where T : class
    {
        var instances = new List<T>();
        foreach (var type in types.Where(t => typeof(T).IsAssignableFrom(t)))
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
                throw new PluginException($"{type.FullName} has no public parameterless constructor");
            try { instances.Add((T)Activator.CreateInstance(type)!); }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new PluginException($"{type.FullName} threw in its constructor: {e.InnerException.GetType().Name}: {e.InnerException.Message}");
            }
        }
        return instances;
    }

    /// <summary>The folder's DLL named like the folder, else the only DLL that is not a known dependency (the contracts, the platform library).</summary>
    private static string FindPluginAssembly(string folder)
    {
        var dlls = Directory.GetFiles(folder, "*.dll");
        if (dlls.Length == 0) throw new PluginException("no plugin here: the folder holds no .dll");
        var folderName = Path.GetFileName(folder);
        var named = dlls.FirstOrDefault(d => string.Equals(Path.GetFileNameWithoutExtension(d), folderName, StringComparison.OrdinalIgnoreCase))
            ?? dlls.FirstOrDefault(d => Path.GetFileNameWithoutExtension(d).EndsWith("." + folderName, StringComparison.OrdinalIgnoreCase));
        if (named is not null) return named;
        var candidates = dlls.Where(d => Path.GetFileNameWithoutExtension(d) is not ("Tether.Sdk" or "Tether.Platform")).ToList();
        if (candidates.Count == 1) return candidates[0];
        throw new PluginException($"cannot tell which DLL is the plugin: name one after the folder ({folderName}.dll) (found {string.Join(", ", dlls.Select(Path.GetFileName))})");
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            throw new PluginException($"types of {assembly.GetName().Name} could not be loaded: {first?.Message ?? e.Message}");
        }
    }

    private static string Describe(Exception e) => e switch
    {
        PluginException => e.Message,
        BadImageFormatException => $"not a .NET assembly (corrupt or not a plugin DLL): {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private sealed class PluginException(string message) : InvalidOperationException(message);
}
