namespace Tether.Kernel.Transfers;

public enum TransferDirection { Upload, Download }
