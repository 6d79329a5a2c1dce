namespace Tether.Kernel.Configuration;

/// <summary>Maps character indexes of a text to lines (0-based here, unlike error positions).</summary>
internal sealed class TextLines
{
    private readonly string text;
    private readonly List<int> lineStarts = [0];

    public TextLines(string text)
    {
        this.text = text;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
                lineStarts.Add(i + 1);
        }
        NewLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
    }

    /// <summary>The line break the file already uses, so edits do not mix styles.</summary>
    public string NewLine { get; }

    public int LineOf(int index)
    {
        int found = lineStarts.BinarySearch(index);
        return found >= 0 ? found : ~found - 1;
    }

    public int StartOf(int line) => lineStarts[line];

    /// <summary>The index just past the line's break, or the end of the text on the last line.</summary>
    public int EndOf(int line) => line + 1 < lineStarts.Count ? lineStarts[line + 1] : text.Length;

    public int ColumnOf(int index) => index - StartOf(LineOf(index));
}
