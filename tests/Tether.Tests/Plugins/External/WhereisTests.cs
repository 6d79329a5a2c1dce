using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>
/// `tether whereis` asks an external special remote where on its side a copy is (WHEREIS), as `git annex whereis`
/// does, and prints the answer under the remote's line; the answer is the helper's, so it is shown printable only.
/// </summary>
public class WhereisTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    /// <summary>git-annex-remote-teller: stores into a folder and says a URL for each key, with a control character in it.</summary>
    private static string Teller(string store) => $$"""
        echo VERSION 1
        while IFS= read -r line; do
          set -- $line
          case "$1" in
            EXTENSIONS) echo "EXTENSIONS INFO" ;;
            INITREMOTE) echo INITREMOTE-SUCCESS ;;
            PREPARE) echo PREPARE-SUCCESS ;;
            CHECKPRESENT) if [ -e '{{store}}'/"$2" ]; then echo "CHECKPRESENT-SUCCESS $2"; else echo "CHECKPRESENT-FAILURE $2"; fi ;;
            TRANSFER) if [ "$2" = STORE ]; then cp "${line#TRANSFER STORE $3 }" '{{store}}'/"$3"; else cp '{{store}}'/"$3" "${line#TRANSFER RETRIEVE $3 }"; fi; echo "TRANSFER-SUCCESS $2 $3" ;;
            REMOVE) rm -f '{{store}}'/"$2"; echo "REMOVE-SUCCESS $2" ;;
            WHEREIS) printf 'WHEREIS-SUCCESS https://bucket.example/%s\x07\n' "$2" ;;
            GETCOST) echo "COST 150" ;;
            GETAVAILABILITY) echo "AVAILABILITY GLOBAL" ;;
            *) echo UNSUPPORTED-REQUEST ;;
          esac
        done
        """;

    [Fact]
    public async Task WhereisShowsWhereTheExternalRemoteSaysTheCopyIs()
    {
        using var dir = new TempFolder();
        var bin = dir.Combine("bin");
        var store = dir.Combine("store");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(store);
        var helper = Path.Combine(bin, "git-annex-remote-teller");
        File.WriteAllText(helper, "#!/bin/bash\n" + Teller(store));
        File.SetUnixFileMode(helper, (UnixFileMode)0x1C0 /* 0700 */);
        var environment = new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };
        var repo = dir.Combine("r");

        async Task<string> TetherAsync(params string[] args)
        {
            var (code, output) = await TetherProcess.RunAsync(repo, Bounded, environment, args);
            Assert.True(code == 0, $"tether {string.Join(' ', args)}: {output}");
            return output;
        }
        Directory.CreateDirectory(repo);
        await TetherAsync("init", repo);
        await TetherAsync("remote", "add", "cloud", "external://teller", "--encryption", "none");
        File.WriteAllBytes(Path.Combine(repo, "big.bin"), new byte[2 << 20]);
        await TetherAsync("sync");
        Assert.Single(Directory.GetFiles(store));

        var whereis = await TetherAsync("whereis", "big.bin");
        Assert.True(whereis.Contains("[cloud]"), whereis);
        Assert.Contains("    https://bucket.example/SHA256E-s2097152--", whereis);
        Assert.DoesNotContain("\a", whereis); // the helper's control character is never printed raw
    }
}
