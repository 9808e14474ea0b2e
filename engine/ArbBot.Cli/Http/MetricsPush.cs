using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting.Observability;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ArbBot.Cli.Http;

/// <summary>
/// <c>metrics.otlp_endpoint</c>: the engine's meter pushed to an OpenTelemetry collector over
/// OTLP/HTTP (protobuf) every <c>metrics.otlp_interval</c>, by OpenTelemetry's own exporter.
/// Headers the collector wants (an API key) come from <c>OTEL_EXPORTER_OTLP_HEADERS</c>, never the config.
/// </summary>
internal static class MetricsPush
{
    /// <summary>Who the metrics are from: service <c>arbbot</c>, instance the engine id (engines sharing a collector stay apart).</summary>
    public static ResourceBuilder Describe(ResourceBuilder resource, string engineId) =>
        resource.AddService("arbbot", serviceInstanceId: engineId, autoGenerateServiceInstanceId: false);

    /// <summary>Starts the push if one is configured; dispose the provider to flush and stop it.</summary>
    public static MeterProvider? Start(MetricsOptions options, string engineId, ILogger logger)
    {
        if (options.OtlpEndpoint is not { } endpoint)
        {
            return null;
        }

        var target = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/metrics");
        logger.LogInformation("pushing metrics to {Target} every {Interval}", target, options.OtlpInterval);
        return Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => Describe(resource, engineId))
            .AddMeter(EngineMetrics.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = target;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Min(int.MaxValue, options.OtlpInterval.TotalMilliseconds);
            })
            .Build();
    }
}
