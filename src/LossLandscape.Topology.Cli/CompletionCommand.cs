using System.CommandLine;
using LossLandscape.Topology.CommandLine;

namespace LossLandscape.Topology.Cli;

/// <summary>
/// <c>llt completion bash|zsh</c>: prints a shell function that completes llt's commands, options and values by
/// asking llt itself (System.CommandLine's <c>[suggest:POSITION]</c> directive). Install with
/// <c>eval "$(llt completion bash)"</c> in <c>~/.bashrc</c>.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        _llt_complete() {
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(llt "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
            if [ ${#COMPREPLY[@]} -eq 0 ]; then COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}")); fi
        }
        complete -o filenames -F _llt_complete llt
        """;

    private const string Zsh = """
        _llt_complete() {
            local -a items
            items=("${(@f)$(llt "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            if (( ${#items} )) && [[ -n "${items[1]}" ]]; then compadd -a items; else _files; fi
        }
        compdef _llt_complete llt
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: eval \"$(llt completion bash)\" in ~/.bashrc (or zsh in ~/.zshrc)") { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }
}
