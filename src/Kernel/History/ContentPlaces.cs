using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>Says where an annexed version's content is: our object store decides "here"; the location log names the others.</summary>
public sealed class ContentPlaces(AnnexRepository repo, GitAnnexBranch branch) 
{
    private readonly ObjectStore _store = new(repo);
    private readonly string _here = repo.RequireUuid();
    private readonly IReadOnlyDictionary<string, string> _descriptions = branch.Descriptions();
    private readonly Func<Key, IReadOnlySet<string>> _present = branch.PresentUuidsAtTip();
    private readonly Dictionary<Key, ContentPlace> _known = [];

    public IReadOnlyDictionary<string, string> Descriptions => _descriptions;

    public ContentPlace Of(Key key)
    {
        if (_known.TryGetValue(key, out var known)) return known;
        return _known[key] = Look(key);
    }

    private ContentPlace Look(Key key)
    {
        var others = _present(key).Where(u => u != _here)
            .Select(u => _descriptions.GetValueOrDefault(u) is { Length: > 0 } d ? d : u).Order(StringComparer.Ordinal).ToList();
        if (_store.Contains(key)) return new ContentPlace(ContentState.Here, ["here", .. others]);
        return others.Count > 0 ? new ContentPlace(ContentState.Elsewhere, others) : new ContentPlace(ContentState.Gone, []);
    }
}
