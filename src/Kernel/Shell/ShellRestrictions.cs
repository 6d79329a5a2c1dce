namespace Tether.Kernel.Shell;

/// <summary>
/// What an ssh key given to `tether shell --forced` may reach: repositories inside <see cref="Directory"/> (null: any),
/// with <see cref="Access"/>. Options and environment variables (TETHER_SHELL_DIRECTORY, TETHER_SHELL_READONLY=1,
/// TETHER_SHELL_APPENDONLY=1) add up, and the stricter access wins: a setting can only ever restrict more.
/// </summary>
public sealed record ShellRestrictions(string? Directory, ShellAccess Access)
{
    public const string DirectoryVariable = "TETHER_SHELL_DIRECTORY";
    public const string ReadOnlyVariable = "TETHER_SHELL_READONLY";
    public const string AppendOnlyVariable = "TETHER_SHELL_APPENDONLY";

    public static readonly ShellRestrictions None = new(null, ShellAccess.Full);

    public bool IsRestricted => Directory is not null || Access != ShellAccess.Full;

    /// <exception cref="ShellRefusedException">Two different directories were given (one by option, one by variable).</exception>
    public static ShellRestrictions From(string? directory, bool readOnly, bool appendOnly, Func<string, string?> environment)
    {
        var fromEnvironment = environment(DirectoryVariable) is { Length: > 0 } d ? d : null;
        if (directory is not null && fromEnvironment is not null && directory != fromEnvironment)
            throw new ShellRefusedException($"--directory {directory} and {DirectoryVariable}={fromEnvironment} disagree; refusing everything until one is removed");
        readOnly |= IsOn(environment(ReadOnlyVariable));
        appendOnly |= IsOn(environment(AppendOnlyVariable));
        var access = readOnly ? ShellAccess.ReadOnly : appendOnly ? ShellAccess.AppendOnly : ShellAccess.Full;
        return new ShellRestrictions(directory ?? fromEnvironment, access);
    }

    /// <summary>Set to anything but empty, 0, false or no: on (a typo restricts rather than opens).</summary>
    private static bool IsOn(string? value) =>
        value is { Length: > 0 } && !value.Equals("0", StringComparison.Ordinal) && !value.Equals("false", StringComparison.OrdinalIgnoreCase)
                                 && !value.Equals("no", StringComparison.OrdinalIgnoreCase);

    /// <summary>How `tether shell --forced` is given these restrictions on an authorized_keys line.</summary>
    public IEnumerable<string> AsOptions()
    {
        if (Directory is not null) yield return "--directory";
        if (Directory is not null) yield return Directory;
        if (Access != ShellAccess.Full) yield return "--" + Access.Word();
    }
}
