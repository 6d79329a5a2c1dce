using System.CommandLine;
using Tether.Kernel.Content;
using Tether.Sdk.Backends;

namespace Tether.Cli.Commands;

/// <summary>`tether whereis PATH...`: which repositories have each file's content.</summary>
public static class WhereisCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Annexed files or folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command("whereis", "Show which repositories have the content of annexed files") { paths };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var whereIs = new WhereIs(repo, ctx.Clock);
            var files = new AnnexedPathResolver(repo).Resolve(parsed.GetValue(paths)!, ctx.CurrentDirectory).ToList();
            await using var helpers = await OpenRemotesThatTellAsync(ctx, repo, ct);
            foreach (var file in files)
            {
                var locations = whereIs.Locate(file.Key);
                await ctx.Out.WriteLineAsync($"{file.Path} ({locations.Count} cop{(locations.Count == 1 ? "y" : "ies")})");
                foreach (var at in locations)
                {
                    await ctx.Out.WriteLineAsync($"  {at.Uuid} -- {at.Description}{(at.IsHere ? " [here]" : at.RemoteName is { } r ? $" [{r}]" : "")}");
                    if (helpers?.Remotes.FirstOrDefault(e => e.Uuid == at.Uuid)?.Content is IWhereisBackend telling
                        && await AskAsync(telling, file.Key, ctx, at.RemoteName, ct) is { } where)
                        await ctx.Out.WriteLineAsync($"    {where}");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The remotes that can say where on their side a key is (external special remotes' WHEREIS), opened only when
    /// some are configured: git remotes and drives are never contacted by whereis.
    /// </summary>
    private static async Task<ContentCommandSupport?> OpenRemotesThatTellAsync(CliContext ctx, Kernel.Repositories.AnnexRepository repo, CancellationToken ct)
    {
        var config = ctx.LoadConfig(repo);
        if (!config.Remotes.Any(r => r.Backend == ExternalBackendType)) return null;
        return await ContentCommandSupport.OpenAsync(ctx, repo, config, ctx.Backends(repo, config), ct, r => r.Backend == ExternalBackendType);
    }

    private const string ExternalBackendType = "external";

    /// <summary>A remote's own answer, bounded in time; a failure only leaves the line out (the log has the copy anyway).</summary>
    private static async Task<string?> AskAsync(IWhereisBackend remote, Tether.Sdk.Keys.Key key, CliContext ctx, string? name, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(30));
        try { return await remote.WhereisAsync(key, bounded.Token); }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await ctx.Error.WriteLineAsync($"tether: {name ?? "a remote"} could not say where {key} is: {e.Message}");
            return null;
        }
    }
}
