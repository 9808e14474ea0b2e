namespace ArbBot.Tests.Strategies;

/// <summary>An exception thrown at run time names the line of the script (or of its #load helper) that threw, wherever the compiler put its budget checks.</summary>
public sealed class ScriptLineNumberTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "lines-" + Guid.NewGuid().ToString("N"));

    public ScriptLineNumberTests() => Directory.CreateDirectory(_dir);

    [Theory]
    [InlineData("entry", 14)]
    [InlineData("helper", 7)]
    [InlineData("lambda", 18)]
    public void The_error_names_the_line_that_threw(string where, int line)
    {
        File.WriteAllText(Path.Combine(_dir, "helper.csx"), """
            public static class Helper
            {
                public static int Sum(int n)
                {
                    int total = 0;
                    for (int i = 0; i < n; i++) { total += i; }
                    if (n > 3) throw new InvalidOperationException("helper threw");
                    return total;
                }
            }
            """);
        string file = Path.Combine(_dir, "thrower.csx");
        File.WriteAllText(file, $$"""
            #load "helper.csx"
            public sealed class Thrower : IStrategy
            {
                public void Initialize(IStrategySetup setup) { }
                public void OnBookUpdate(IStrategyContext context)
                {
                    string where = "{{where}}";
                    int spins = 0;
                    while (spins < 3)
                    {
                        spins++;
                    }
                    for (int i = 0; i < 2; i++) { spins += i; }
                    if (where == "entry") throw new InvalidOperationException("entry threw");
                    if (where == "helper") spins += Helper.Sum(5);
                    Func<int, int> f = x =>
                    {
                        if (x > 0) throw new InvalidOperationException("lambda threw");
                        return x;
                    };
                    spins += f(1);
                }
            }
            """);
        using var scenario = new StrategyScenario(file, configure: s => s with { MaxErrors = 1 });
        scenario.PolyBook([("0.40", "10")], [("0.45", "10")], [("0.55", "10")], [("0.60", "10")]);
        string reason = scenario.Host.Strategies.Single().DisabledReason!;
        string expected = where == "helper" ? $"helper.csx:{line}" : $"thrower.csx:{line}";
        Assert.Contains(expected + ":", reason + ":", StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // cleaned with the temp folder later
        }
    }
}
