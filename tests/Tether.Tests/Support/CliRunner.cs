using Tether.Cli;

namespace Tether.Tests.Support;

/// <summary>Runs the real `tether` command tree in-process, capturing its output and exit status.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(string currentDirectory, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await TetherCli.RunAsync(args, stdout, stderr, currentDirectory, CancellationToken.None);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
