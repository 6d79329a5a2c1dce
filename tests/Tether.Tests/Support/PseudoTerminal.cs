using System.Diagnostics;
using System.Text;

namespace Tether.Tests.Support;

/// <summary>
/// The real `tether` program under a real pseudo-terminal (util-linux `script`), so it renders what a user's
/// terminal shows (Spectre.Console's live views); everything it wrote, escape sequences included, is in <see cref="Screen"/>.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _screen = new();

    private PseudoTerminal(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_screen) _screen.AppendLine(e.Data); };
        process.BeginOutputReadLine();
    }

    public static bool Available => File.Exists("/usr/bin/script");

    public string Screen { get { lock (_screen) return _screen.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>tether ARGS</c> in <paramref name="workingDirectory"/> on a fresh 160-column pty.</summary>
    public static PseudoTerminal Start(string workingDirectory, params string[] args)
    {
        var command = string.Join(' ', new[] { "stty cols 160 rows 40;", Quote(TetherProcess.ProgramPath) }.Concat(args.Select(Quote)));
        var psi = new ProcessStartInfo("script") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-qfec", command, "/dev/null"]) psi.ArgumentList.Add(arg);
        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment.Remove("NO_COLOR");
        var process = Process.Start(psi)!;
        return new PseudoTerminal(process);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
