using Tether.Kernel.Transfers;

namespace Tether.Cli.Commands;

/// <summary>Transfers of a one-shot command as plain lines, for logs and pipes: one line when each ends.</summary>
public sealed class PlainLineObserver(TextWriter output) : ITransferObserver
{
    public ITransferProgress Begin(TransferRequest request, string remote) => new Line(output, request, remote);

    private sealed class Line(TextWriter output, TransferRequest request, string remote) : ITransferProgress
    {
        private long _bytes;

        public void Report(long value) => Interlocked.Exchange(ref _bytes, value);

        public void Finish(bool moved)
        {
            if (!moved) return;
            var arrow = request.Direction == TransferDirection.Upload ? "->" : "<-";
            lock (output) output.WriteLine($"{request.Direction.ToString().ToLowerInvariant()} {request.File} {arrow} {remote}: {TransferProgressPrinter.Bytes(Interlocked.Read(ref _bytes))}");
        }

        public void Dispose() { }
    }
}
