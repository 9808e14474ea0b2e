namespace ArbBot.Venues.Polymarket.Http;

/// <summary>The CLOB answered with an error: the call, the HTTP status and the venue's own message.</summary>
internal sealed class ClobApiException(string call, int status, string message)
    : Exception($"{call}: HTTP {status}: {message}")
{
    public int Status { get; } = status;

    /// <summary>Whether the request surely did not take effect (refused before it was looked at).</summary>
    public bool SurelyNotApplied => Status is 401 or 429 or 400;
}
