using System.Diagnostics;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Polymarket.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Bench;

/// <summary>
/// Polymarket CLOB V2 order build + sign, as the executor will do it per order: amounts from price
/// and size, the 11-field EIP-712 struct hash, the digest under the exchange's domain, a
/// secp256k1 signature (nonce prepared ahead) with its recovery id, and the JSON body. Median and p99 per
/// order, and the signature-recovery check the fake venue does, for comparison.
/// </summary>
internal static class OrderSigningBench
{
    private const string Key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"; // a published test key, no funds

    public static int Run(string outputDirectory, int count = 20_000, QuickReport? report = null)
    {
        var nonces = new NoncePool(capacity: 4096);
        var signer = new OrderSigner(EthereumKey.FromHex(Key), 137, SignatureType.Eoa, funder: null, nonces: nonces);
        const string token = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
        for (int i = 0; i < 2_000; i++)
        {
            Sign(signer, token, i);
        }

        // Orders come in bursts with time between them: the pool is refilled in the background meanwhile.
        // Measured here with the pool full before each burst of 1,000, as in trading; an empty pool costs one multiplication more.
        var samples = new long[count];
        ClobOrder last = Sign(signer, token, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long allocated = 0;
        for (int i = 0; i < count; i++)
        {
            if (i % 1_000 == 0)
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                nonces.Fill();
                before = GC.GetAllocatedBytesForCurrentThread();
            }

            long t0 = Stopwatch.GetTimestamp();
            last = Sign(signer, token, i);
            samples[i] = Stopwatch.GetTimestamp() - t0;
        }

        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        long coldBefore = Stopwatch.GetTimestamp();
        const int cold = 200;
        for (int i = 0; i < cold; i++)
        {
            _ = EthereumKey.PrepareNonce();
        }

        double nonceUs = (Stopwatch.GetTimestamp() - coldBefore) * 1e6 / Stopwatch.Frequency / cold;
        var recoverSamples = new long[Math.Min(count, 2_000)];
        byte[] domain = signer.DomainSeparator(negRisk: false);
        for (int i = 0; i < recoverSamples.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            // Recovery gives the address in lower case; the signer's is in EIP-55 mixed case (a checksum, not a different address).
            if (OrderSigner.RecoverSigner(last, domain) is var recovered && !string.Equals(recovered, signer.Signer, StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"a signed order did not recover to its signer: {recovered ?? "nothing"} instead of {signer.Signer}");
                return 1;
            }

            recoverSamples[i] = Stopwatch.GetTimestamp() - t0;
        }

        Array.Sort(samples);
        Array.Sort(recoverSamples);
        double usPerTick = 1e6 / Stopwatch.Frequency;
        var result = new
        {
            benchmark = "polymarket_order_build_and_sign",
            orders = count,
            median_us = Math.Round(samples[count / 2] * usPerTick, 1),
            p99_us = Math.Round(samples[count * 99 / 100] * usPerTick, 1),
            bytes_per_order = allocated / count,
            recover_median_us = Math.Round(recoverSamples[recoverSamples.Length / 2] * usPerTick, 1),
            nonce_prepare_us = Math.Round(nonceUs, 1),
            target_median_us = 200,
        };
        Console.WriteLine($"polymarket CLOB V2 order build + sign + JSON body ({count:N0} orders after warm-up)");
        Console.WriteLine($"  median   {result.median_us,8:0.0} us   (target < 200 us)");
        Console.WriteLine($"  p99      {result.p99_us,8:0.0} us");
        Console.WriteLine($"  alloc    {result.bytes_per_order,8:N0} bytes/order (not on the book path; BouncyCastle's big integers)");
        Console.WriteLine($"  nonce    {result.nonce_prepare_us,8:0.0} us each, prepared ahead in the background (the curve multiplication)");
        Console.WriteLine($"  recover  {result.recover_median_us,8:0.0} us median (what the venue checks)");
        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, "order-signing.json");
        File.WriteAllText(file, JsonSerializer.Serialize(result, BenchJson.Indented));
        Console.WriteLine($"  written  {file}");
        report?.Add("order build + sign (Polymarket CLOB V2), median", result.median_us, "us", "< 200 us", result.median_us < 200);
        return 0;
    }

    private static ClobOrder Sign(OrderSigner signer, string token, int i)
    {
        ClobOrder order = signer.Sign(token, (i & 1) == 0 ? OrderSide.Buy : OrderSide.Sell, Price.FromCents(10 + (i % 80)), Quantity.Parse("25"), Price.Cent, negRisk: (i & 2) == 0, 1_795_000_000_000 + i);
        _ = order.ToJson("api-key", "GTC", postOnly: false, expirationSeconds: 0);
        return order;
    }
}
