using ArbBot.Venues.Toolkit.Sessions;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>A session's parts are disposed with it, the last handed out first.</summary>
public sealed class SessionPartsTests
{
    private sealed class Part(string name, List<string> disposed) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposed.Add(name);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Parts_are_disposed_once_last_first_and_null_passes_through()
    {
        var disposed = new List<string>();
        var parts = new SessionParts();
        Part connector = parts.Keep(new Part("connector", disposed));
        Part executor = parts.Keep(new Part("executor", disposed));
        Assert.Null(parts.Keep<Part?>(null));
        Assert.NotSame(connector, executor);

        await parts.DisposeAsync();
        await parts.DisposeAsync();
        Assert.Equal(["executor", "connector"], disposed);
    }
}
