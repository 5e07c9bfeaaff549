using FonanaMigration.HelpCompiler;

return HelpCompilerCli.Run(args, Console.Out, Console.Error);
