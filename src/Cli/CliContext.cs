using Microsoft.Extensions.Logging;
using Tether.Kernel.Backends;
using Tether.Kernel.Configuration;
using Tether.Kernel.Plugins;
using Tether.Kernel.Repositories;

namespace Tether.Cli;

/// <summary>What every command gets: output streams, the folder it runs in, the --config override, logging.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, string currentDirectory, string? configPath, bool verbose) : IDisposable
{
    private ILoggerFactory? _loggers;

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public string CurrentDirectory { get; } = currentDirectory;
    public string? ConfigPath { get; } = configPath is null ? null : Path.GetFullPath(configPath, currentDirectory);
    public TimeProvider Clock { get; } = TimeProvider.System;
    public bool Verbose => verbose;

    public ILogger Logger(string category)
    {
        _loggers ??= LoggerFactory.Create(b => b
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .AddFilter((_, level) => level >= (verbose ? LogLevel.Debug : LogLevel.Warning)));
        return _loggers.CreateLogger(category);
    }

    public AnnexRepository OpenRepository() => AnnexRepository.Open(CurrentDirectory);

    public TetherConfig LoadConfig(AnnexRepository repo) =>
        ConfigLoader.LoadForRepository(repo.WorkTree ?? repo.GitDir, ConfigPath);

    /// <summary>
    /// The content backends for this repository: built-ins plus every plugin that loads (failures are logged as
    /// warnings and listed by `tether plugins`; they never stop the command).
    /// </summary>
    public BackendRegistry Backends(AnnexRepository repo, TetherConfig config) =>
        BackendRegistryLoader.ForRepository(repo, config, Clock, Logger("plugins")).Registry;

    /// <summary>The config file that edits (remote add/remove) go to.</summary>
    public string EditableConfigPath(AnnexRepository repo) => ConfigPath ?? ConfigLoader.DefaultPathFor(repo.WorkTree ?? repo.GitDir);

    public void Dispose() => _loggers?.Dispose();
}
