using System.CommandLine;
using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>`tether config check`: validates the config and prints the effective settings.</summary>
public static class ConfigCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var check = new Command("check", "Validate the config and print the effective settings (defaults filled in)");
        check.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            TetherConfig config;
            if (ctx.ConfigPath is not null && !AnnexRepository.TryOpen(ctx.CurrentDirectory, out _)) config = ConfigLoader.Load(ctx.ConfigPath);
            else config = ctx.LoadConfig(ctx.OpenRepository());
            await ctx.Out.WriteLineAsync($"# {config.SourcePath ?? "no config file: built-in defaults"}: ok");
            await ctx.Out.WriteAsync(ConfigPrinter.ToYaml(config));
            return ExitCodes.Success;
        });
        return new Command("config", "Inspect the configuration") { check };
    }
}
