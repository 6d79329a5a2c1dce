using System.Globalization;

namespace Tether.Kernel.AnnexBranch;

/// <summary>git-annex's log timestamps: POSIX seconds with up to 9 decimals, trailing zeros dropped, then 's'.</summary>
public readonly record struct AnnexTimestamp(decimal Seconds) : IComparable<AnnexTimestamp>
{
    public static AnnexTimestamp Now(TimeProvider clock)
    {
        var ticks = clock.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
        return new AnnexTimestamp(ticks / (decimal)TimeSpan.TicksPerSecond);
    }

    /// <summary>Now, or just after the newest existing time if the clock is behind it (git-annex's rule).</summary>
    public static AnnexTimestamp NowAfter(TimeProvider clock, IEnumerable<AnnexTimestamp> existing)
    {
        var now = Now(clock);
        var newest = existing.DefaultIfEmpty(now).Max();
        return newest >= now ? new AnnexTimestamp(newest.Seconds + 1) : now;
    }

    public static bool TryParse(string text, out AnnexTimestamp timestamp)
    {
        timestamp = default;
        if (!text.EndsWith('s')) return false;
        if (!decimal.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)) return false;
        timestamp = new AnnexTimestamp(seconds);
        return true;
    }

    public override string ToString()
    {
        var rounded = Math.Round(Seconds, 9);
        var text = rounded.ToString("0.#########", CultureInfo.InvariantCulture);
        return text + "s";
    }

    public int CompareTo(AnnexTimestamp other) => Seconds.CompareTo(other.Seconds);
    public static bool operator <(AnnexTimestamp a, AnnexTimestamp b) => a.Seconds < b.Seconds;
    public static bool operator >(AnnexTimestamp a, AnnexTimestamp b) => a.Seconds > b.Seconds;
    public static bool operator <=(AnnexTimestamp a, AnnexTimestamp b) => a.Seconds <= b.Seconds;
    public static bool operator >=(AnnexTimestamp a, AnnexTimestamp b) => a.Seconds >= b.Seconds;
}
