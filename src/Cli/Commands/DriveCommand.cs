using System.CommandLine;
using Tether.Kernel.Configuration;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;
using Tether.Platform.Drives;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether drive add NAME MOUNTPOINT [--folder F]`: prepares a removable drive as a remote: a bare repository
/// (git-annex compatible) in a folder on it, its <c>.tether-drive</c> marker, and a remote entry whose <c>drive:</c>
/// section records how to recognise it when it comes back (repository uuid, filesystem uuid and label).
/// `tether drive list`: the drive remotes and where each is mounted now.
/// </summary>
public static class DriveCommand
{
    public const string DefaultFolder = "tether";

    public static Command Create(Func<ParseResult, CliContext> context) =>
        new("drive", "Removable drives as remotes: synced whenever they are mounted") { Add(context), List(context) };

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME") { Description = "The remote's name, e.g. backup" };
        var mountPoint = new Argument<string>("MOUNTPOINT") { Description = "Where the drive is mounted now, e.g. /media/me/BACKUP" };
        var folder = new Option<string>("--folder") { Description = "The repository's folder on the drive", DefaultValueFactory = _ => DefaultFolder };
        var cost = new Option<int?>("--cost") { Description = "Lower is preferred (default 100, as a local remote)" };
        var command = new Command("add", "Prepare a mounted drive as a remote (a bare repository on it) and remember how to recognise it") { name, mountPoint, folder, cost };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var remoteName = parsed.GetValue(name)!;
            if (!RemoteConfig.IsValidName(remoteName)) throw new ArgumentException($"invalid remote name '{remoteName}': {RemoteConfig.NameRule}");
            var mount = FindMount(Path.TrimEndingDirectorySeparator(Path.GetFullPath(parsed.GetValue(mountPoint)!, ctx.CurrentDirectory)));
            var driveFolder = parsed.GetValue(folder)!.Trim('/');
            var ids = await new FilesystemIds().LookupAsync(mount, ct);
            var drivePath = Path.Combine(mount.MountPoint, driveFolder);
            var driveUuid = await PrepareRepositoryAsync(ctx, drivePath, remoteName, ct);
            DriveMarker.Write(drivePath, driveUuid, remoteName);
            var remote = new RemoteConfig
            {
                Name = remoteName, Url = drivePath, Backend = RemoteDefaults.LocalBackend,
                Cost = parsed.GetValue(cost) ?? RemoteDefaults.CostFor(RemoteDefaults.LocalBackend),
                Drive = new DriveConfig { Folder = driveFolder, RepositoryUuid = driveUuid, FsUuid = ids.Uuid, Label = ids.Label },
            };
            var configPath = ctx.EditableConfigPath(repo);
            if (!File.Exists(configPath)) ConfigTemplate.Write(configPath, SyncCommand.DescriptionOf(repo, null, ctx.Clock));
            ConfigEditor.AddRemote(configPath, remote);
            new GitTransport(repo).EnsureRemote(remote.Name, remote.Url);
            await ctx.Out.WriteLineAsync($"Added drive {remote.Name}: {drivePath} (repository uuid {driveUuid}, filesystem {mount.FsType} "
                + $"uuid {ids.Uuid ?? "(none)"}, label {ids.Label ?? "(none)"}); 'tether watch' syncs it whenever it is mounted, wherever");
            if (await Kernel.Control.ControlClient.SendAsync(repo, new Kernel.Control.ControlRequest(Kernel.Control.ControlCommand.Reload), ct) is { } response)
                await ctx.Out.WriteLineAsync($"daemon: {response.Message}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List the drive remotes and where each is mounted now");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var drives = ctx.LoadConfig(repo).Remotes.Where(r => r.Drive is not null).Select(r => (r.Name, r.Drive!.ToIdentity())).ToList();
            var ids = new FilesystemIds();
            var (found, _) = await new DriveLocator(ids.LookupAsync, DriveMarker.ReadRepositoryUuid).LocateAsync(drives, MountTable.ReadCurrent(), ct);
            foreach (var (remote, drive) in drives)
            {
                var at = found.FirstOrDefault(f => f.Remote == remote);
                await ctx.Out.WriteLineAsync($"{remote}\t{(at is null ? "not mounted" : at.RepositoryPath)}\tuuid {drive.RepositoryUuid}\tfs uuid {drive.FsUuid ?? "-"}\tlabel {drive.Label ?? "-"}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The mount whose mount point is <paramref name="path"/> (symlinks resolved).</summary>
    private static MountEntry FindMount(string path)
    {
        if (!Directory.Exists(path)) throw new ArgumentException($"'{path}' does not exist: give the folder where the drive is mounted");
        var real = new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return DriveLocator.Visible(MountTable.ReadCurrent()).LastOrDefault(m => m.MountPoint == real)
            ?? throw new ArgumentException($"'{path}' is not a mount point: mount the drive and give the folder it is mounted on (see 'findmnt' or 'lsblk -f')");
    }

    /// <summary>Makes (or reuses, e.g. one git-annex made) the bare repository on the drive; returns its annex uuid.</summary>
    private static async Task<string> PrepareRepositoryAsync(CliContext ctx, string drivePath, string remoteName, CancellationToken ct)
    {
        if (AnnexRepository.TryOpen(drivePath, out var existing) && existing.ReadUuid() is { } uuid) return uuid;
        if (Directory.Exists(drivePath) && Directory.EnumerateFileSystemEntries(drivePath).Any() && !AnnexRepository.TryOpen(drivePath, out _))
            throw new ArgumentException($"'{drivePath}' exists and is not a repository: choose another --folder");
        Directory.CreateDirectory(drivePath);
        var (repo, _) = await RepositorySetup.InitialiseAsync(ctx, drivePath, $"{remoteName} (drive)", bare: true, ct);
        return repo.RequireUuid();
    }
}
