namespace Tether.Sdk; internal static class Placeholder {}
