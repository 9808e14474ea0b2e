namespace ArbBot.Venues.Kalshi.Http;

/// <summary>Kalshi answered with an error; the message carries the method, path, status and Kalshi's text.</summary>
internal sealed class KalshiApiException : Exception
{
    public KalshiApiException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public int Status { get; }
}
