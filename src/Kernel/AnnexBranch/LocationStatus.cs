namespace Tether.Kernel.AnnexBranch;

/// <summary>A location log line's status field.</summary>
public enum LocationStatus
{
    Absent = '0',
    Present = '1',
    Dead = 'X',
}
