using System.Globalization;

namespace ArbBot.Engine.Execution;

/// <summary>
/// Client order ids for orders made from intent groups: <c>arb-{group}-{leg}</c>. Fills carry the
/// id back, which is how a fill finds the strategy and the leg it belongs to.
/// </summary>
public static class ClientOrderIds
{
    /// <summary>The id of one leg of a group.</summary>
    public static string For(long groupId, int leg) => string.Create(CultureInfo.InvariantCulture, $"arb-{groupId}-{leg}");

    /// <summary>Reads a group and leg back; false for ids this engine did not make.</summary>
    public static bool TryParse(string clientOrderId, out long groupId, out int leg)
    {
        groupId = 0;
        leg = 0;
        ReadOnlySpan<char> id = clientOrderId;
        if (!id.StartsWith("arb-"))
        {
            return false;
        }

        id = id[4..];
        int dash = id.IndexOf('-');
        return dash > 0
            && long.TryParse(id[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out groupId)
            && int.TryParse(id[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out leg);
    }
}
