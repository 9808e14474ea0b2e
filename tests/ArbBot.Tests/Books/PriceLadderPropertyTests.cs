using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using FsCheck;
using FsCheck.Fluent;

namespace ArbBot.Tests.Books;

public sealed class PriceLadderPropertyTests
{
    [Fact]
    public void Any_sequence_of_updates_matches_a_sorted_dictionary_model()
    {
        Gen<(bool IsAdd, int Tick, int Size)> op =
            from isAdd in Gen.Elements(true, false)
            from tick in Gen.Choose(1, 40)
            from size in Gen.Choose(-30, 60)
            select (isAdd, tick, size);
        Gen<(BookSide Side, int Capacity, (bool IsAdd, int Tick, int Size)[] Ops)> scenario =
            from side in Gen.Elements(BookSide.Bid, BookSide.Ask)
            from capacity in Gen.Elements(0, 2, PriceLadder.FirstCapacity) // 0: as every book's sides start, grown from nothing
            from ops in Gen.ArrayOf(op)
            select (side, capacity, ops);

        Prop.ForAll(Arb.From(scenario), s =>
        {
            var ladder = new PriceLadder(s.Side, s.Capacity);
            var model = new SortedDictionary<long, long>();
            foreach ((bool isAdd, int tick, int size) in s.Ops)
            {
                var price = Price.FromMicros(tick * 10_000L);
                long current = model.GetValueOrDefault(price.Micros);
                if (isAdd)
                {
                    long next = current + size;
                    bool ok = ladder.Add(price, Quantity.FromContracts(size));
                    if (ok != (next >= 0))
                    {
                        return false;
                    }

                    Put(model, price.Micros, Math.Max(0, next));
                }
                else
                {
                    long absolute = Math.Abs(size);
                    ladder.Set(price, Quantity.FromContracts(absolute));
                    Put(model, price.Micros, absolute);
                }
            }

            IEnumerable<KeyValuePair<long, long>> expected = s.Side == BookSide.Bid ? model.Reverse() : model;
            long[] expectedPrices = expected.Select(kv => kv.Key).ToArray();
            long[] expectedSizes = expected.Select(kv => kv.Value * 1_000_000).ToArray();
            long[] prices = Enumerable.Range(0, ladder.Count).Select(i => ladder.FromBest(i).Price.Micros).ToArray();
            long[] sizes = Enumerable.Range(0, ladder.Count).Select(i => ladder.FromBest(i).Quantity.Micros).ToArray();
            return prices.SequenceEqual(expectedPrices) && sizes.SequenceEqual(expectedSizes);
        }).QuickCheckThrowOnFailure();
    }

    private static void Put(SortedDictionary<long, long> model, long price, long size)
    {
        if (size == 0)
        {
            model.Remove(price);
        }
        else
        {
            model[price] = size;
        }
    }
}
