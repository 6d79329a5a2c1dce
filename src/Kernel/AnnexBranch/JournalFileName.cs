namespace Tether.Kernel.AnnexBranch;

/// <summary>git-annex's journal names a branch file by its path with '_'→"__" and '/'→'_'.</summary>
public static class JournalFileName
{
    public static string FromBranchPath(string branchPath) => branchPath.Replace("_", "__").Replace('/', '_');

    public static string ToBranchPath(string journalName)
    {
        var sb = new System.Text.StringBuilder(journalName.Length);
        for (var i = 0; i < journalName.Length; i++)
        {
            if (journalName[i] != '_') { sb.Append(journalName[i]); continue; }
            if (i + 1 < journalName.Length && journalName[i + 1] == '_') { sb.Append('_'); i++; }
            else sb.Append('/');
        }
        return sb.ToString();
    }
}
