using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Kalshi.Auth;

/// <summary>
/// Signs Kalshi requests: RSA-PSS with SHA-256 (salt = digest length) over
/// <c>timestamp_ms + METHOD + path</c>, the path including /trade-api/v2 and without the query.
/// The key id and the key never appear in messages or logs.
/// </summary>
internal sealed class KalshiSigner : IDisposable
{
    public const string KeyHeader = "KALSHI-ACCESS-KEY";
    public const string TimestampHeader = "KALSHI-ACCESS-TIMESTAMP";
    public const string SignatureHeader = "KALSHI-ACCESS-SIGNATURE";

    private readonly RSA _key;
    private readonly string _keyId;
    private readonly TimeProvider _clock;

    private KalshiSigner(RSA key, string keyId, TimeProvider clock)
    {
        _key = key;
        _keyId = keyId;
        _clock = clock;
    }

    /// <summary>Loads the key id from the environment and the private key from its PEM file; errors name the setting, never the secret.</summary>
    public static KalshiSigner Load(string keyIdEnv, string privateKeyFile, TimeProvider clock)
    {
        string? keyId = Environment.GetEnvironmentVariable(keyIdEnv);
        if (string.IsNullOrWhiteSpace(keyId))
        {
            throw new VenueSettingException("api_key_id_env", $"names {keyIdEnv}, which is not set: export the API key id there");
        }

        string pem;
        try
        {
            if (PrivateFiles.ReadableByOthers(privateKeyFile) is { } exposed)
            {
                throw new VenueSettingException("private_key_file", exposed);
            }

            pem = File.ReadAllText(privateKeyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VenueSettingException("private_key_file", $"cannot be read: {privateKeyFile}: {ex.Message}");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem); // PKCS#1 ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY")
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new VenueSettingException("private_key_file", $"is not an RSA private key in PEM form (PKCS#1 or PKCS#8): {privateKeyFile}");
        }

        return new KalshiSigner(rsa, keyId.Trim(), clock);
    }

    /// <summary>The three headers for a request.</summary>
    public (string Key, string Timestamp, string Signature) Sign(string method, string path)
    {
        string timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        byte[] signature = _key.SignData(Encoding.UTF8.GetBytes(timestamp + method + path), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return (_keyId, timestamp, Convert.ToBase64String(signature));
    }

    public void Dispose() => _key.Dispose();
}
