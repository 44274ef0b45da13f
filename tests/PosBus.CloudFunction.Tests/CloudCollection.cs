namespace PosBus.CloudFunction.Tests;

// One collection: these tests share one cloud, and some stop its database; they must not overlap.
[CollectionDefinition(Name)]
public sealed class CloudCollection : ICollectionFixture<CloudFixture>
{
    public const string Name = "local cloud";
}
