using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Kernel.Transfers.Records;
using Tether.Sdk.Keys;
using Tether.Tests.Support;

namespace Tether.Tests.Transfers.Records;

/// <summary>A plain git repository to keep transfer records in.</summary>
internal sealed class RecordRepo : IDisposable
{
    public const string RemoteUuid = "5a4b1d9e-0000-4000-8000-000000000001";
    private readonly TempFolder _temp = new();

    public RecordRepo()
    {
        GitCli.Run(_temp.Path, "init", "-q", "-b", "main", "repo");
        Repo = AnnexRepository.Open(_temp.Combine("repo"));
    }

    public AnnexRepository Repo { get; }
    public string Path => Repo.WorkTree!;

    public static Key KeyOfSize(long size, char fill = 'a') => Key.Parse($"SHA256E-s{size}--{new string(fill, 64)}.bin");

    public static TransferId Upload(long size = 1000, char fill = 'a') => new(TransferDirection.Upload, RemoteUuid, KeyOfSize(size, fill));

    public void Dispose() => _temp.Dispose();
}
