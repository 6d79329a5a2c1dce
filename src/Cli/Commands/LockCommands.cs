using System.CommandLine;
using Tether.Kernel.Content;

namespace Tether.Cli.Commands;

/// <summary>`tether unlock PATH...` and `tether lock PATH...`: change annexed files between unlocked (a plain file) and locked (a read-only link).</summary>
public static class LockCommands
{
    public static Command Unlock(Func<ParseResult, CliContext> context) =>
        Create(context, "unlock", "Make annexed files plain files you can edit in place (as git annex unlock)",
            (locking, file, _) => Task.FromResult(locking.Unlock(file)));

    public static Command Lock(Func<ParseResult, CliContext> context) =>
        Create(context, "lock", "Make annexed files read-only links into the annex (as git annex lock)",
            (locking, file, ct) => locking.LockAsync(file, ct));

    private static Command Create(Func<ParseResult, CliContext> context, string name, string description,
        Func<FileLocking, Kernel.Annex.AnnexedFiles.Entry, CancellationToken, Task<string>> change)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Annexed files or folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { paths };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var locking = new FileLocking(repo, ctx.Clock);
            foreach (var file in new AnnexedPathResolver(repo).Resolve(parsed.GetValue(paths)!, ctx.CurrentDirectory))
                await ctx.Out.WriteLineAsync($"{name} {file.Path}: {await change(locking, file, ct)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
