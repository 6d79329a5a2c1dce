using Xunit;

namespace Tether.Tests.Support;

/// <summary>A collection for tests that must not share the machine with other tests (rates, timings).</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
