using Tether.Kernel.Remotes;
using Tether.Kernel.Triggers;
using Xunit;

namespace Tether.Tests.Triggers;

/// <summary>Watched remotes wait to be found, then are used where they were found; the others are always reachable.</summary>
public sealed class RemoteAvailabilityTests
{
    private static readonly Remote Drive = new("usb", "/media/me/OLD/tether", "local", 100, null);
    private static readonly Remote Server = new("server", "/srv/tether", "local", 100, null);

    [Fact]
    public void AWatchedRemoteIsUnavailableUntilFoundThenUsedAtItsNewLocation()
    {
        var availability = new RemoteAvailability([Drive, Server]);
        availability.Watch(["usb"]);
        Assert.Equal(["server"], availability.Reachable().Select(r => r.Name));
        Assert.Equal(2, availability.All().Count);
        Assert.NotNull(availability.UnavailableReason("usb"));

        Assert.True(availability.MarkAvailable("usb", "/media/me/NEW/tether", "drive mounted at /media/me/NEW"));
        Assert.Equal("/media/me/NEW/tether", availability.Reachable().Single(r => r.Name == "usb").Url);
        Assert.Equal("drive mounted at /media/me/NEW", availability.ConnectReason("usb"));
        Assert.False(availability.MarkAvailable("usb", "/media/me/NEW/tether", "again"), "the same place again changes nothing");
        Assert.Equal("reached", availability.ConnectReason("server"));

        Assert.True(availability.MarkUnavailable("usb", "drive unmounted"));
        Assert.False(availability.MarkUnavailable("usb", "drive unmounted"));
        Assert.Equal("drive unmounted", availability.UnavailableReason("usb"));
        Assert.Equal("/media/me/NEW/tether", availability.All().Single(r => r.Name == "usb").Url); // last known place, for the transfer queue
        Assert.Equal(["server"], availability.Reachable().Select(r => r.Name));
    }

    [Fact]
    public void ARemoteNoLongerWatchedIsReachableAtItsUrlAgain()
    {
        var availability = new RemoteAvailability([Drive, Server]);
        availability.Watch(["usb"]);
        availability.MarkAvailable("usb", "/media/me/NEW/tether", "mounted");
        availability.Watch([]);
        Assert.Equal([("usb", Drive.Url), ("server", Server.Url)], availability.Reachable().Select(r => (r.Name, r.Url)));
        Assert.False(availability.IsWatched("usb"));
    }
}
