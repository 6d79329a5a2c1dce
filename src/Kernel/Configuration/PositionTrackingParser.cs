using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Tether.Kernel.Configuration;

/// <summary>
/// Remembers the last event read, because some YamlDotNet failures carry no usable position
/// (unclosed '[' throws InvalidOperationException; unknown aliases report 1:1).
/// </summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    public ParsingEvent? LastEvent { get; private set; }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        bool moved = inner.MoveNext();
        if (moved && inner.Current is not null)
            LastEvent = inner.Current;
        return moved;
    }
}
