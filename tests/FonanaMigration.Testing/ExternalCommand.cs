using System.Diagnostics;
using System.Text;

namespace FonanaMigration.Testing;

/// <summary>What one finished external command produced.</summary>
internal sealed record CommandResult(int ExitCode, string StdOut, string StdErr, string CommandLine)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for error messages: tools like initdb and pg_ctl split their story across them.</summary>
    public string Output => (StdOut.TrimEnd() + Environment.NewLine + StdErr.TrimEnd()).Trim();
}

/// <summary>
/// Runs a program with an argument list (never a shell string, so paths and SQL need no shell quoting),
/// UTF-8 on every stream, and a time limit so a wedged server cannot hang a test run.
/// </summary>
internal static class ExternalCommand
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static CommandResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            StandardInputEncoding = Utf8,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        if (environment is not null)
        {
            // A null value removes the variable, so settings from the caller's shell cannot leak in.
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }
        }

        var commandLine = fileName + " " + string.Join(" ", info.ArgumentList.Select(QuoteForDisplay));
        var limit = timeout ?? TimeSpan.FromMinutes(2);

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{commandLine}': {ex.Message}", ex);
        }

        // Read both pipes concurrently: a child that fills one pipe while we block on the other deadlocks.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }
        process.StandardInput.Close();

        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"'{commandLine}' did not finish within {limit.TotalSeconds:0} s.");
        }
        process.WaitForExit();

        // A daemon the command left behind (pg_ctl's postmaster) could in theory keep a pipe open: don't wait on it forever.
        Task.WaitAll(new Task[] { stdout, stderr }, TimeSpan.FromSeconds(10));
        var output = stdout.IsCompletedSuccessfully ? stdout.Result : "";
        var error = stderr.IsCompletedSuccessfully ? stderr.Result : "";
        return new CommandResult(process.ExitCode, output, error, commandLine);
    }

    private static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_=./:@,".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
