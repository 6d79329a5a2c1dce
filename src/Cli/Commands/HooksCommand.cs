using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Configuration;
using Tether.Kernel.Hooks;
using Tether.Kernel.Threads;

namespace Tether.Cli.Commands;

/// <summary>`tether hooks list` and `tether hooks test EVENT`: what is attached to what, and a dry run through the real runner.</summary>
public static class HooksCommand
{
    public static Command Create(Func<ParseResult, CliContext> context) =>
        new("hooks", "Show the hooks run on events, or try them with a sample event (docs/HOOKS.md)") { List(context), Test(context) };

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "Each hook: its events, command, filter and config line; and the drop-in folders' executables");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var config = ctx.LoadConfig(repo);
            var workTree = repo.WorkTree ?? repo.GitDir;
            var output = ctx.Out;
            var source = config.SourcePath ?? "(no config file)";
            if (config.Hooks.Count == 0) await output.WriteLineAsync($"No hooks in {source}.");
            else await output.WriteLineAsync($"Hooks in {source}:");
            for (int i = 0; i < config.Hooks.Count; i++)
            {
                var hook = new HookDefinition(config.Hooks[i], i);
                await output.WriteLineAsync($"  {hook.Name} (line {hook.Config.Line})");
                await output.WriteLineAsync($"    events:  {string.Join(", ", hook.Config.Events)}");
                await output.WriteLineAsync($"    command: {hook.DisplayCommand()}");
                if (hook.Config.Filter is { } filter)
                    await output.WriteLineAsync($"    filter:  {FilterText(filter)}");
                await output.WriteLineAsync($"    timeout: {DurationText.Format(hook.Config.Timeout)}");
                foreach (var (key, value) in hook.Config.Env) await output.WriteLineAsync($"    env:     {key}={value}");
            }

            var root = DropInHooks.RootFor(workTree);
            var folders = HookEvents.All.Select(e => (Event: e, Entries: DropInHooks.List(root, e)))
                .Where(f => Directory.Exists(DropInHooks.FolderFor(root, f.Event))).ToList();
            if (folders.Count == 0)
            {
                await output.WriteLineAsync($"No drop-in folders in {root} (an executable in {Path.Combine(root, "EVENT.d")}/ runs on EVENT).");
                return ExitCodes.Success;
            }
            await output.WriteLineAsync($"Drop-in folders in {root} (run in this order):");
            foreach (var (eventName, entries) in folders)
            {
                await output.WriteLineAsync($"  {eventName}.d/{(entries.Count == 0 ? " (empty)" : "")}");
                foreach (var entry in entries)
                    await output.WriteLineAsync($"    {Path.GetFileName(entry.Path)}{(entry.SkipReason is { } why ? $"  (skipped: {why})" : "")}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Test(Func<ParseResult, CliContext> context)
    {
        var eventName = new Argument<string>("EVENT") { Description = $"One of: {string.Join(", ", HookEvents.All)}" };
        var remote = new Option<string?>("--remote") { Description = "The remote the sample event is about (default: the first configured, else origin)" };
        var paths = new Option<string[]>("--path") { Description = "A path the sample event is about (repeatable)" };
        var command = new Command("test", "Fire a sample EVENT through the real hook runner; print each hook's exit status and output (exit 1 if one failed)")
            { eventName, remote, paths };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var name = parsed.GetValue(eventName)!;
            if (!HookEvents.All.Contains(name))
                throw new ArgumentException($"unknown event '{name}'; allowed events: {string.Join(", ", HookEvents.All)}");
            var repo = ctx.OpenRepository();
            var config = ctx.LoadConfig(repo);
            var workTree = repo.WorkTree ?? repo.GitDir;
            var sample = HookSamples.For(name, ctx.Clock.GetUtcNow(),
                parsed.GetValue(remote) ?? config.Remotes.FirstOrDefault()?.Name ?? "origin", parsed.GetValue(paths) ?? []);
            var runner = new HookRunner(null, new HookRunnerSettings(workTree, config.Hooks), NullLogger.Instance);

            var payload = HookEventPayload.From(sample, workTree);
            foreach (var skipped in runner.Hooks.Where(h => h.Config.Events.Contains(name) && !h.PassesFilter(payload)))
                await ctx.Out.WriteLineAsync($"{skipped.Name} (line {skipped.Config.Line}): skipped, the sample does not pass its filter ({FilterText(skipped.Config.Filter!)}); try --remote or --path");
            var results = await runner.FireAsync(sample, ct);
            if (results.Count == 0) await ctx.Out.WriteLineAsync($"No hook runs on {name}.");
            foreach (var result in results)
            {
                var line = runner.Hooks.FirstOrDefault(h => h.Name == result.Hook)?.Config.Line;
                await ctx.Out.WriteLineAsync($"{result.Hook}{(line is > 0 ? $" (line {line})" : "")}: {result.Outcome} in {result.Duration.TotalMilliseconds:0} ms");
                await ctx.Out.WriteLineAsync($"  command: {result.Command}");
                if (result.OutputBytes > result.Output.Length)
                    await ctx.Out.WriteLineAsync($"  output ({result.OutputBytes} bytes, the last {HookProcess.OutputCapBytes} kept):");
                foreach (var outputLine in result.Output.TrimEnd('\n').Split('\n').Where(_ => result.Output.Length > 0))
                    await ctx.Out.WriteLineAsync($"  | {outputLine}");
            }
            return results.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.SyncFailed;
        });
        return command;
    }

    private static string FilterText(HookFilter filter) =>
        string.Join(", ", new[] { filter.Remote is { } r ? $"remote {r}" : null, filter.Path is { } p ? $"path {p}" : null }.OfType<string>());
}
