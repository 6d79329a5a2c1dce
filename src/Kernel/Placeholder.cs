namespace Tether.Kernel; internal static class Placeholder {}
