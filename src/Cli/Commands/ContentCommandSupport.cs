using Tether.Kernel.Backends;
using Tether.Kernel.Configuration;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>What get and drop share: the repository, its config, and its remotes opened for content.</summary>
internal sealed record ContentCommandSupport(AnnexRepository Repo, TetherConfig Config, List<RemoteEndpoint> Remotes) : IAsyncDisposable
{
    public static Task<ContentCommandSupport> OpenAsync(CliContext ctx, CancellationToken ct)
    {
        var repo = ctx.OpenRepository();
        var config = ctx.LoadConfig(repo);
        return OpenAsync(ctx, repo, config, ctx.Backends(repo, config), ct);
    }

    public static async Task<ContentCommandSupport> OpenAsync(CliContext ctx, AnnexRepository repo, TetherConfig config, BackendRegistry backends, CancellationToken ct,
        Func<Remote, bool>? only = null)
    {
        var factory = new RemoteEndpointFactory(repo, backends, ctx.Clock);
        var (located, notMounted) = await MountedDrives.LocateAsync(RemoteConfigMapping.RemotesFrom(config, null).Where(r => only?.Invoke(r) ?? true).ToList(), ct);
        foreach (var drive in notMounted) await ctx.Error.WriteLineAsync($"tether: drive {drive} is not mounted; skipped");
        var remotes = await factory.OpenAllAsync(located, ct);
        await factory.ConfirmAllAsync(remotes);
        foreach (var failed in remotes.Where(r => r.Errors.Count > 0))
            await ctx.Error.WriteLineAsync($"tether: remote {failed.Name} unavailable: {string.Join("; ", failed.Errors)}");
        return new ContentCommandSupport(repo, config, remotes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var remote in Remotes)
            if (remote.Content is not null) await remote.Content.DisposeAsync();
    }
}
