using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tether.Tests.Support;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 on a free port, with a throwaway host key and client key, for the ssh and
/// rsync-over-ssh tests. Clients reach it through <see cref="ConfigFile"/> (given to tether as TETHER_SSH_CONFIG):
/// host <see cref="TrustedHost"/> has its host key in a known_hosts file; <see cref="UntrustedHost"/> (the same
/// server, named localhost) has an empty one. The remote side's PATH (sshd SetEnv) starts with a folder holding a
/// <c>tether</c> wrapper that runs the tests' own tether program, so <c>ssh HOST tether shell ...</c> works.
/// </summary>
public sealed class SshdFixture : IDisposable
{
    public const string TrustedHost = "tether-test";
    public const string UntrustedHost = "tether-untrusted";

    private Process? _sshd;
    private readonly Lock _keys = new();

    public string Folder { get; } = Directory.CreateTempSubdirectory("tether-sshd-").FullName;
    public int Port { get; }
    public string ConfigFile => Path.Combine(Folder, "ssh_config");
    public string BinFolder => Path.Combine(Folder, "bin");

    /// <summary>The remote side's XDG_STATE_HOME (where a forced `tether shell` logs its refusals).</summary>
    public string StateFolder => Path.Combine(Folder, "state");

    /// <summary>Why the server could not start; null when it runs.</summary>
    public string? Unavailable { get; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["TETHER_SSH_CONFIG"] = ConfigFile };

    /// <summary>
    /// More ports the server listens on, one per host added with <see cref="AddHost"/>: OpenSSH multiplexing shares one
    /// connection per user@host:port whatever the key, so each key needs a port of its own to be used as itself.
    /// </summary>
    private readonly Queue<int> _extraPorts = new();

    public SshdFixture()
    {
        Port = FreePort();
        while (_extraPorts.Count < 12) // sshd listens on 16 sockets at most
            if (FreePort() is var extra && extra != Port && !_extraPorts.Contains(extra)) _extraPorts.Enqueue(extra);
        try
        {
            if (!File.Exists("/usr/sbin/sshd")) throw new InvalidOperationException("/usr/sbin/sshd is missing (apt package openssh-server; ./run-tests installs it)");
            Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation folder
            Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(Folder, "host_key"));
            Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(Folder, "client_key"));
            File.Copy(Path.Combine(Folder, "client_key.pub"), Path.Combine(Folder, "authorized_keys"));
            File.WriteAllText(Path.Combine(Folder, "known_hosts"), $"[127.0.0.1]:{Port} {File.ReadAllText(Path.Combine(Folder, "host_key.pub")).Trim()}\n");
            File.WriteAllText(Path.Combine(Folder, "empty_known_hosts"), "");
            Directory.CreateDirectory(BinFolder);
            var wrapper = Path.Combine(BinFolder, "tether");
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec '{TetherProcess.ProgramPath}' \"$@\"\n");
            File.SetUnixFileMode(wrapper, (UnixFileMode)0x1ED /* 0755 */);
            var dotnetRoot = System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? root : "/usr/share/dotnet";
            File.WriteAllText(Path.Combine(Folder, "sshd_config"), $"""
                Port {Port}
                {string.Join("\n", _extraPorts.Select(p => $"Port {p}"))}
                ListenAddress 127.0.0.1
                HostKey {Folder}/host_key
                PidFile {Folder}/sshd.pid
                AuthorizedKeysFile {Folder}/authorized_keys
                PermitRootLogin yes
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                MaxStartups 100
                MaxSessions 100
                Subsystem sftp internal-sftp
                # SHLVL=1: bash then skips ~/.bashrc for ssh commands (its run-by-sshd rule needs SHLVL < 2), so a user's
                # rc file (pyenv's rehash lock, left behind when the fuzz kills sshd mid-session, hung every later command) stays out.
                SetEnv SHLVL=1 PATH={BinFolder}:/usr/local/bin:/usr/bin:/bin DOTNET_ROOT={dotnetRoot} XDG_STATE_HOME={StateFolder}
                LogLevel ERROR

                """);
            File.WriteAllText(ConfigFile, $"""
                Host {TrustedHost}
                  HostName 127.0.0.1
                  Port {Port}
                  User root
                  IdentityFile {Folder}/client_key
                  IdentitiesOnly yes
                  UserKnownHostsFile {Folder}/known_hosts
                  GlobalKnownHostsFile /dev/null
                Host {UntrustedHost}
                  HostName localhost
                  Port {Port}
                  User root
                  IdentityFile {Folder}/client_key
                  IdentitiesOnly yes
                  UserKnownHostsFile {Folder}/empty_known_hosts
                  GlobalKnownHostsFile /dev/null

                """);
            _sshd = StartSshd();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Unavailable = e.Message;
        }
    }

    private Process StartSshd()
    {
        var sshd = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", Path.Combine(Folder, "sshd_config")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var said = new System.Text.StringBuilder();
        sshd.ErrorDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (code, output) = Ssh(TrustedHost, "true");
            if (code == 0) return sshd;
            if (sshd.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"sshd did not accept a connection (exit {(sshd.HasExited ? sshd.ExitCode : -1)}): {output}; sshd said: {said}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Stops the server with every session it holds (its connections are cut, as when the server goes away).</summary>
    public void Stop() => StopSshd();

    /// <summary>Starts it again (after <see cref="Stop"/>) on the same ports, returning once it accepts a connection.</summary>
    public void Start() => _sshd = StartSshd();

    /// <summary>
    /// A client key of its own, authorized with <paramref name="options"/> in front of it (e.g.
    /// <c>command="tether shell --forced",restrict</c>), reached as ssh host <paramref name="alias"/> through <see cref="ConfigFile"/>.
    /// </summary>
    public string AddKey(string alias, string options)
    {
        lock (_keys)
        {
            var key = Path.Combine(Folder, $"key_{alias}");
            if (!File.Exists(key)) Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key);
            File.AppendAllText(Path.Combine(Folder, "authorized_keys"), $"{options} {File.ReadAllText(key + ".pub").Trim()}\n");
            return AddHost(alias, key);
        }
    }

    /// <summary>Host <paramref name="alias"/> in <see cref="ConfigFile"/>: this server, with the private key <paramref name="identityFile"/>.</summary>
    public string AddHost(string alias, string identityFile)
    {
        lock (_keys)
        {
            var port = _extraPorts.TryDequeue(out var free) ? free : throw new InvalidOperationException("SshdFixture: no port left for another host");
            File.AppendAllText(Path.Combine(Folder, "known_hosts"), $"[127.0.0.1]:{port} {File.ReadAllText(Path.Combine(Folder, "host_key.pub")).Trim()}\n");
            File.AppendAllText(ConfigFile, $"""
                Host {alias}
                  HostName 127.0.0.1
                  Port {port}
                  User root
                  IdentityFile {identityFile}
                  IdentitiesOnly yes
                  UserKnownHostsFile {Folder}/known_hosts
                  GlobalKnownHostsFile /dev/null

                """);
            return alias;
        }
    }

    /// <summary>Fails the test with the reason when sshd cannot run here (CI runs as root with openssh-server).</summary>
    public void Require() => Xunit.Assert.True(Unavailable is null, $"the test sshd could not run: {Unavailable}");

    /// <summary>Runs a command through the test server with the client config (no multiplexing).</summary>
    public (int ExitCode, string Output) Ssh(string host, params string[] command) =>
        GitCli.TryRunTool("ssh", Folder, ["-F", ConfigFile, "-o", "BatchMode=yes", host, .. command]);

    private static void Run(string tool, params string[] args)
    {
        var (code, output) = GitCli.TryRunTool(tool, "/", args);
        if (code != 0) throw new InvalidOperationException($"{tool} failed: {output}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void StopSshd()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            _sshd.WaitForExit(5_000);
        }
        _sshd?.Dispose();
        _sshd = null;
    }

    public void Dispose()
    {
        StopSshd();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
