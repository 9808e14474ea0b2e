using System.Net;
using System.Net.Sockets;

namespace ArbBot.IntegrationTests.Support;

/// <summary>Loopback ports for servers the tests start.</summary>
internal static class Ports
{
    /// <summary>A loopback port free a moment ago.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/> (false after <paramref name="timeout"/>).</summary>
    public static async Task<bool> WaitForStatusAsync(HttpClient http, string path, HttpStatusCode status, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync(path);
                if (response.StatusCode == status)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        return false;
    }
}
