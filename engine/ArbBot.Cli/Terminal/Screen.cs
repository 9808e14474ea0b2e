using Spectre.Console;

namespace ArbBot.Cli.Terminal;

/// <summary>
/// The console to draw on: the live terminal when there is one; otherwise plain text, no colour
/// codes and a wide fixed width, so logs and pipes get readable tables.
/// </summary>
internal static class Screen
{
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static IAnsiConsole Create()
    {
        if (IsInteractive)
        {
            return AnsiConsole.Console;
        }

        IAnsiConsole plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        plain.Profile.Width = 160;
        return plain;
    }
}
