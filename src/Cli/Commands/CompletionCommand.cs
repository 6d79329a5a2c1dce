using System.CommandLine;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether completion bash|zsh`: prints a completion script for the shell. It asks tether itself what fits, through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive, so it always knows every command and option.
/// </summary>
public static class CompletionCommand
{
    private const string Bash = """
        # tether completion for bash: eval "$(tether completion bash)" (e.g. in ~/.bashrc)
        _tether_complete() {
            local line="${COMP_LINE#* }" cur="${COMP_WORDS[COMP_CWORD]}"
            local position=$((COMP_POINT - ${#COMP_LINE} + ${#line}))
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(tether "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${cur}"))
        }
        complete -o default -F _tether_complete tether
        """;

    private const string Zsh = """
        # tether completion for zsh: eval "$(tether completion zsh)" (e.g. in ~/.zshrc, after compinit)
        _tether_complete() {
            local line="${BUFFER#* }"
            local position=$((CURSOR - ${#BUFFER} + ${#line}))
            local -a candidates
            candidates=("${(@f)$(tether "[suggest:${position}]" "${line}" 2>/dev/null)}")
            compadd -- "${candidates[@]}"
        }
        compdef _tether_complete tether
        """;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh", HelpName = "SHELL" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: eval \"$(tether completion bash)\" in ~/.bashrc (or zsh in ~/.zshrc)") { shell };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            await ctx.Out.WriteLineAsync((parsed.GetValue(shell) == "zsh" ? Zsh : Bash).ReplaceLineEndings("\n"));
            return ExitCodes.Success;
        });
        return command;
    }
}
