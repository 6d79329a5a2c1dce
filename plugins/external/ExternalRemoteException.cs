namespace Tether.Plugins.External;

/// <summary>A request to an external special remote failed; the message names the remote, its program and the request.</summary>
internal class ExternalRemoteException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// The helper broke the protocol (garbage, ERROR, an over-long line, no answer in time, exited): its process is out of
/// step and is not used again.
/// </summary>
internal sealed class HelperProtocolException(string message, Exception? inner = null) : ExternalRemoteException(message, inner);
