namespace Tether.Sdk.Backends;

/// <summary>
/// A backend whose <see cref="IContentBackend.RetrieveAsync"/> and <see cref="IContentBackend.StoreAsync"/> continue
/// an interrupted transfer instead of starting over. The kernel keeps a partial download for the next try only for
/// such backends (and verifies the whole when it is done). Since contracts 2.0 (was <c>IContentBackend.CanResume</c>).
/// </summary>
public interface IResumableBackend : IContentBackend;
