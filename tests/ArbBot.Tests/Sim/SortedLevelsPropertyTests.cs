using ArbBot.Venues.Sim.Model;
using FsCheck;
using FsCheck.Fluent;

namespace ArbBot.Tests.Sim;

public sealed class SortedLevelsPropertyTests
{
    [Fact]
    public void Any_sequence_of_sets_and_removals_matches_a_sorted_dictionary()
    {
        Gen<(bool IsSet, int Price, int Quantity)> op =
            from isSet in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            from price in Gen.Choose(1, 30)
            from quantity in Gen.Choose(1, 500)
            select (isSet, price, quantity);

        Prop.ForAll(Arb.From(Gen.ArrayOf(op)), ops =>
        {
            var levels = new SortedLevels();
            var model = new SortedDictionary<long, long>();
            foreach ((bool isSet, int price, int quantity) in ops)
            {
                if (isSet)
                {
                    levels.Set(price, quantity);
                    model[price] = quantity;
                }
                else if (levels.Remove(price) != model.Remove(price))
                {
                    return false;
                }

                if (levels.ContainsKey(price) != model.ContainsKey(price)
                    || levels.TryGetValue(price, out long q) != model.TryGetValue(price, out long m) || q != m)
                {
                    return false;
                }
            }

            long[] prices = [.. Enumerable.Range(0, levels.Count).Select(levels.PriceAt)];
            long[] quantities = [.. Enumerable.Range(0, levels.Count).Select(levels.QuantityAt)];
            return prices.SequenceEqual(model.Keys) && quantities.SequenceEqual(model.Values);
        }).QuickCheckThrowOnFailure();
    }
}
