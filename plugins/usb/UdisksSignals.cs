using Tether.Sdk.Triggers;
using Tmds.DBus;

namespace Tether.Plugins.Usb;

/// <summary>
/// udisks2's D-Bus signals as a second source of "look at the mount table again": block devices and filesystems
/// appearing or going (ObjectManager InterfacesAdded/InterfacesRemoved on /org/freedesktop/UDisks2). Best effort:
/// without a system bus, or without udisks2 on it, the trigger logs that at debug level and goes on with
/// /proc/self/mountinfo alone, which sees every mount and unmount anyway.
/// </summary>
internal sealed class UdisksSignals : IDisposable
{
    private const string Service = "org.freedesktop.UDisks2";
    private const string SystemBusSocket = "/run/dbus/system_bus_socket";

    private readonly Connection _connection;
    private readonly List<IDisposable> _watches;

    private UdisksSignals(Connection connection, List<IDisposable> watches)
    {
        _connection = connection;
        _watches = watches;
    }

    public static async Task<UdisksSignals?> TryStartAsync(Action nudge, ISyncRequester kernel, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is not { Length: > 0 } && !File.Exists(SystemBusSocket))
        {
            kernel.Log(TriggerLogLevel.Debug, "no D-Bus system bus: watching /proc/self/mountinfo only");
            return null;
        }
        Connection? connection = null;
        try
        {
            connection = new Connection(Address.System);
            await connection.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(5), ct);
            if (!await connection.IsServiceActiveAsync(Service).WaitAsync(TimeSpan.FromSeconds(5), ct))
            {
                kernel.Log(TriggerLogLevel.Debug, "udisks2 is not on the system bus: watching /proc/self/mountinfo only");
                connection.Dispose();
                return null;
            }
            var manager = connection.CreateProxy<IUdisksObjectManager>(Service, new ObjectPath("/org/freedesktop/UDisks2"));
            var watches = new List<IDisposable>
            {
                await manager.WatchInterfacesAddedAsync(added => Nudge(kernel, nudge, $"{added.Path} appeared")),
                await manager.WatchInterfacesRemovedAsync(removed => Nudge(kernel, nudge, $"{removed.Path} went")),
            };
            kernel.Log(TriggerLogLevel.Debug, "listening to udisks2 signals on the system bus");
            return new UdisksSignals(connection, watches);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            kernel.Log(TriggerLogLevel.Debug, $"udisks2 signals unavailable ({e.GetType().Name}: {e.Message}): watching /proc/self/mountinfo only");
            connection?.Dispose();
            return null;
        }
    }

    private static void Nudge(ISyncRequester kernel, Action nudge, string what)
    {
        kernel.Log(TriggerLogLevel.Debug, $"udisks2: {what}; reading the mount table again");
        nudge();
    }

    public void Dispose()
    {
        foreach (var watch in _watches) watch.Dispose();
        _connection.Dispose();
    }
}

/// <summary>The part of org.freedesktop.DBus.ObjectManager that udisks2 announces devices with.</summary>
[DBusInterface("org.freedesktop.DBus.ObjectManager")]
public interface IUdisksObjectManager : IDBusObject
{
    Task<IDisposable> WatchInterfacesAddedAsync(Action<(ObjectPath Path, IDictionary<string, IDictionary<string, object>> Interfaces)> handler, Action<Exception>? onError = null);

    Task<IDisposable> WatchInterfacesRemovedAsync(Action<(ObjectPath Path, string[] Interfaces)> handler, Action<Exception>? onError = null);
}
