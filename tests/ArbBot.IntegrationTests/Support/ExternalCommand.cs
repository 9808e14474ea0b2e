using System.Diagnostics;

namespace ArbBot.IntegrationTests.Support;

/// <summary>Runs a program other than arbbot (node, dotnet, an installed tool) and collects what it printed.</summary>
internal static class ExternalCommand
{
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunAsync(file, workingDirectory, timeout, new Dictionary<string, string>(), args);

    /// <summary>The same, with these environment variables set for the program.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, await stdout, await stderr + $"\n(stopped after {timeout}: {file} {string.Join(' ', args)})");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
