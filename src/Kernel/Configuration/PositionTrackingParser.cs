using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Tether.Kernel.Configuration;

/// <summary>
/// Remembers the last event read, because some YamlDotNet failures carry no usable position
/// (unclosed '[' throws InvalidOperationException; unknown aliases report 1:1). Also refuses nesting deeper than
/// <see cref="MaxDepth"/>: YamlDotNet loads nested collections by recursion, and a file of 100,000 '[' overflows the
/// stack, which kills the process (no catch can stop it).
/// </summary>
internal sealed class PositionTrackingParser(IParser inner, string filePath) : IParser
{
    public const int MaxDepth = 64;

    private int _depth;

    public ParsingEvent? LastEvent { get; private set; }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        bool moved = inner.MoveNext();
        if (moved && inner.Current is { } current)
        {
            LastEvent = current;
            if (current is MappingStart or SequenceStart && ++_depth > MaxDepth)
                throw ConfigException.At(filePath, current.Start, null, $"nested deeper than {MaxDepth} levels",
                    "a Tether config is only a few levels deep; is this the right file?");
            if (current is MappingEnd or SequenceEnd) _depth--;
        }
        return moved;
    }
}
