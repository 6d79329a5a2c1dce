namespace Tether.Kernel.Configuration;

/// <summary>Writes a new, commented config file holding every setting at its default.</summary>
public static class ConfigTemplate
{
    private const string RemoteNamePlaceholder = "{{ remote.name }}";

    /// <summary>Writes the template to <paramref name="path"/> (mode 0600: hooks' env: may hold secrets), creating its folder; refuses to replace an existing file.</summary>
    /// <exception cref="ConfigException">The file already exists or cannot be written.</exception>
    public static void Write(string path, string description, bool unlocked = true)
    {
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
                Directory.CreateDirectory(folder);
            using var file = new FileStream(path, AtomicFile.OwnerOnly(FileMode.CreateNew));
            using var writer = new StreamWriter(file);
            writer.Write(Render(description, unlocked));
        }
        catch (IOException error) when (File.Exists(path))
        {
            throw new ConfigException(path, "already exists", "edit it, or remove it to start from a fresh template", error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, $"cannot write the file ({error.Message})", null, error);
        }
    }

    public static string Render(string description, bool unlocked = true)
    {
        var defaults = TetherConfig.Default;
        var largeFiles = defaults.Annex.LargeFiles;
        return $$"""
            # Tether configuration for this repository. It stays on this machine: it is not synced.
            # Check it with 'tether config check'.
            #
            # Sizes:     1048576, 500kB, 1MiB (kB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB of 1024)
            # Durations: 200ms, 30s, 10m, 1h30m, 2d

            # A name for this repository, shown in logs and status output.
            description: {{YamlScalarText.Quote(description)}}

            annex:
              # Which files have their content kept in the annex instead of in git.
              largefiles:
                # Files of at least this size are annexed.
                larger_than: {{largeFiles.LargerThan}}
                # Globs of files that are always annexed, e.g. ["*.iso", "media/**"].
                # '*' stays within a folder, '**' crosses folders, and a glob without '/' matches at any depth.
                include: []
                # Globs of files that are never annexed, e.g. ["*.md"]. Exclude wins over include and size.
                exclude: []
              # How many copies of an annexed file must exist before a copy may be dropped.
              numcopies: {{defaults.Annex.NumCopies}}
              # true: a large file is a plain file you can edit in place (git-annex's unlocked files; its content is
              # also copied into .git/annex). false: a read-only link into .git/annex (locked). Files keep their mode;
              # 'tether lock PATH' and 'tether unlock PATH' change it.
              unlocked: {{(unlocked ? "true" : "false")}}
              # true: an unlocked file and its copy in .git/annex are one file (a hard link, git-annex's annex.thin):
              # half the space, but an edit in place then replaces the old version on this node too (other nodes
              # keep theirs). Content that arrives from elsewhere is linked only where no other file uses it.
              thin: false

            # The other repositories this one syncs with. An entry looks like this:
            remotes:
              # - name: server              # letters, digits, '.', '_' and '-'; unique
              #   url: /srv/tether/docs     # a path, ssh://host/path or user@host:path
              #   backend: local            # local, ssh, rsync (content only: a path or host:path) or a plugin's;
              #                             # default: local for paths, ssh for ssh URLs
              #   cost: 100                 # 1 to 100000, cheaper remotes are preferred; default by backend
              #   bandwidth_limit: 2MiB/s   # optional
              #   wants: all                # content it is sent: all (default), none, or globs such as ["photos/**"]

            # What content this repository fetches for itself: all, none (git only), or globs such as ["photos/**"].
            wants: all

            commit:
              # How long changes must settle before they are committed.
              quiet_period: {{DurationText.Format(defaults.Commit.QuietPeriod)}}
              # The most changes put into one commit.
              max_batch: {{defaults.Commit.MaxBatch}}
              # The deletion guard: when one batch would delete more than this share (in percent) of a tree of
              # at least deletion_guard_min_files files (an unmounted folder, a wiped drive), nothing is committed
              # and syncing pauses until 'tether resume --accept-deletions' (or the files are restored).
              max_deletion_percent: {{defaults.Commit.MaxDeletionPercent}}
              deletion_guard_min_files: {{defaults.Commit.DeletionGuardMinFiles}}

            # How long to wait before retrying a failed push.
            push_retry_interval: {{DurationText.Format(defaults.PushRetryInterval)}}

            # How often to pull from each remote on another machine (ssh, URLs), which cannot push to us:
            # how soon a server's changes arrive here. 0 turns it off. A remote whose server tells us of
            # its changes as they happen (the live notification, see `tether status`) is not polled.
            pull_interval: {{DurationText.Format(defaults.PullInterval)}}

            transfers:
              # How many transfers run at the same time (1 to 64).
              slots: {{defaults.Transfers.Slots}}
              # How content spreads to remotes: flood (every remote gets everything) or tree (down the
              # cheapest tree over the network map, relayed by each node; see `tether map`).
              strategy: {{ConfigNode.LowerCaseName(defaults.Transfers.Strategy)}}

            plugins:
              # Extra folders to load plugins from (one sub-folder per plugin), besides plugins/ next to the
              # tether program, ~/.local/share/tether/plugins/ and .tether/plugins/. 'tether plugins' lists them.
              folders: []

            history:
              # How long the content of replaced and deleted versions is kept in at least one copy in the network
              # before 'tether drop --unused' may remove the last one: a duration such as 30d, or forever.
              keep: {{(defaults.History.Keep is { } keep ? DurationText.Format(keep) : "forever")}}

            # This node's own ignore globs (gitignore syntax, not synced; the .gitignore files in the tree apply too).
            # A list here replaces these defaults (OS litter, editor temp files).
            ignore: [{{string.Join(", ", defaults.Ignore.Select(YamlScalarText.Quote))}}]

            # The dashboard 'tether watch' serves ('tether open' opens it; docs/WEB.md): 'web: off', or where it listens.
            web:
              # Loopback only by default; another address makes it reachable from the network (a token still guards it).
              address: 127.0.0.1
              # auto: a port chosen for this repository (47000 to 47999, the next free one if taken); 0: any free port.
              port: auto

            # What starts a sync besides local changes ('tether plugins' lists the trigger types). Remotes added
            # with 'tether drive add' are watched by the usb trigger without an entry here. An entry looks like this:
            triggers:
              # - type: interval            # the kind of trigger
              #   remote: server            # optional: only this remote
              #   every: 10m                # optional
              #   options: {}               # optional settings for the trigger type

            # Commands run on events: {{string.Join(", ", HookEvents.All)}}.
            # An entry looks like this:
            hooks:
              # - name: notify                                # optional
              #   events: [commit]
              #   command: ["notify-send", "{{RemoteNamePlaceholder}}"] # the program, then its arguments
              #   shell: false                                # true: run the command through the shell
              #   filter: { remote: server, path: "photos/**" } # optional
              #   timeout: {{DurationText.Format(new HookConfig { Events = [], Command = [] }.Timeout)}}
              #   env: { KEY: value }                         # optional environment variables

            """;
    }
}
