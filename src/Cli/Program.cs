using Tether.Cli;

return await TetherCli.RunAsync(args, Console.Out, Console.Error, Environment.CurrentDirectory, CancellationToken.None);
