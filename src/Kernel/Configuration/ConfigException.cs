using System.Text;
using YamlDotNet.Core;

namespace Tether.Kernel.Configuration;

/// <summary>
/// A config file that cannot be read or is invalid. The message reads
/// "&lt;file&gt;:&lt;line&gt;:&lt;column&gt;: &lt;key path&gt;: &lt;problem&gt;; &lt;allowed&gt;", leaving out the parts that do not apply.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string filePath, string problem, string? allowed = null, Exception? innerException = null)
        : this(filePath, 0, 0, null, problem, allowed, innerException)
    {
    }

    public ConfigException(
        string filePath, int line, int column, string? keyPath, string problem, string? allowed,
        Exception? innerException = null)
        : base(Format(filePath, line, column, keyPath, problem, allowed), innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        KeyPath = string.IsNullOrEmpty(keyPath) ? null : keyPath;
        Problem = problem;
        Allowed = allowed;
    }

    public string FilePath { get; }

    /// <summary>1-based; 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based; 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>Dotted path such as annex.largefiles.larger_than or remotes[1].cost; null if not about a key.</summary>
    public string? KeyPath { get; }

    /// <summary>What is wrong, without position or advice.</summary>
    public string Problem { get; }

    /// <summary>What would be accepted instead; null if there is nothing to say.</summary>
    public string? Allowed { get; }

    internal static ConfigException At(string filePath, Mark mark, string? keyPath, string problem, string? allowed) =>
        new(filePath, (int)mark.Line, (int)mark.Column, keyPath, problem, allowed);

    private static string Format(string filePath, int line, int column, string? keyPath, string problem, string? allowed)
    {
        var message = new StringBuilder(filePath);
        if (line > 0)
            message.Append(':').Append(line);
        if (line > 0 && column > 0)
            message.Append(':').Append(column);
        message.Append(": ");
        if (!string.IsNullOrEmpty(keyPath))
            message.Append(keyPath).Append(": ");
        message.Append(problem);
        if (!string.IsNullOrEmpty(allowed))
            message.Append("; ").Append(allowed);
        return message.ToString();
    }
}
