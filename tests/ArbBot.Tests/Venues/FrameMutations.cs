namespace ArbBot.Tests.Venues;

/// <summary>What the fast-path property tests do to some of their random frames: a byte flipped to a JSON-significant or non-ASCII one, or the frame cut short.</summary>
internal static class FrameMutations
{
    private const string Flips = "{}[]\":,0a- \\\u00e9";

    /// <summary>The frame, one time in 15 with a byte flipped and one in 30 of the rest cut off.</summary>
    public static string Sometimes(Random random, string frame)
    {
        if (random.Next(15) == 0)
        {
            char[] chars = frame.ToCharArray();
            chars[random.Next(chars.Length)] = Flips[random.Next(Flips.Length)];
            return new string(chars);
        }

        return random.Next(30) == 0 ? frame[..random.Next(frame.Length)] : frame;
    }
}
