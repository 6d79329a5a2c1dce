using Xunit;

namespace Tether.Tests.Usb;

/// <summary>A test that mounts filesystems: skipped, with the reason shown, where this process may not mount (not root, no loop devices).</summary>
public sealed class MountFactAttribute : FactAttribute
{
    /// <param name="loop">Needs an ext4 image on a loop device (unmounted and mounted again with its data), not only a tmpfs.</param>
    public MountFactAttribute(bool loop = false)
    {
        if ((loop ? MountSupport.WhyNoLoop : MountSupport.WhyNoTmpfs) is { } why) Skip = why;
    }
}
