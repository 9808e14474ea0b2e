using BenchmarkDotNet.Running;

namespace ArbBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/ArbBot.Bench -- book</c>: delta-apply latency and allocation figures (seconds).
/// <c>... -- micro</c>: the BenchmarkDotNet suite (minutes).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "book";
        string output = args.Length > 1 ? args[1] : Path.Combine(Directory.GetCurrentDirectory(), "bench-results");
        switch (what)
        {
            case "book":
                return BookDeltaBench.Run(output);
            case "micro":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
                return 0;
            default:
                Console.Error.WriteLine($"unknown benchmark \"{what}\"; use: book [output-dir] | micro [BenchmarkDotNet args]");
                return 2;
        }
    }
}
