using System.Text;
using Tether.Fuzz.Driver;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Fuzz;

/// <summary>
/// The fuzz's model on a plain folder (no daemon): which operations make a content required, which destroy it, and
/// that a content the driver never destroyed is still required after a rename; so a node missing it fails the run.
/// </summary>
public sealed class ContentLedgerTests
{
    [Fact]
    public void WritesAreRequiredUntilTheDriverItselfOverwritesOrDeletesThem()
    {
        using var dir = new TempFolder();
        var root = Directory.CreateDirectory(dir.Combine("tree")).FullName;
        var ledger = new ContentLedger();
        var operations = new WorkTreeOperations(ledger, Directory.CreateDirectory(dir.Combine("trash")).FullName);
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
        string Hash(string s) => EntryContents.Hash(Text(s));

        Assert.True(operations.Create(root, "a/one.txt", Text("one\n"), "create one"));
        Assert.False(operations.Create(root, "a/one.txt", Text("again\n"), "create over one")); // exists: not applied
        Assert.True(operations.Create(root, "a/two.txt", Text("two\n"), "create two"));
        Assert.True(operations.Create(root, "three.txt", Text("three\n"), "create three"));
        Assert.True(operations.WriteInPlace(root, "a/one.txt", before => [.. before, .. Text("more\n")], "append to one"));
        Assert.True(operations.AtomicSave(root, "three.txt", Text("three, saved\n"), "save three"));
        Assert.True(operations.Rename(root, "a", "moved a"));
        Assert.True(operations.Create(root, "moved a/four.txt", Text("four\n"), "create four"));
        Assert.True(operations.Delete(root, "moved a/two.txt", "delete two"));

        Assert.Equal(new[] { Hash("one\nmore\n"), Hash("three, saved\n"), Hash("four\n") }.Order(), ledger.Required().Order());
        Assert.True(ledger.WasWritten(Hash("two\n")));
        Assert.False(ledger.WasWritten(Hash("again\n")));
        Assert.Contains("destroyed by delete two", ledger.Describe(Hash("two\n")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Combine("trash")));
        Assert.Empty(Directory.EnumerateFiles(root, "*" + WorkTreeOperations.EditorTempMarker + "*", SearchOption.AllDirectories));

        Assert.True(operations.Delete(root, "moved a", "delete the folder"));
        Assert.Equal(new[] { Hash("three, saved\n") }, ledger.Required());
    }
}
