namespace ArbBot.Abstractions.Strategies;

/// <summary>What an intent group asks for.</summary>
public enum IntentAction : byte
{
    /// <summary>Place the legs (all of them, or none where the venues allow).</summary>
    Place = 0,

    /// <summary>Cancel what is left of an earlier group's orders.</summary>
    Cancel = 1,
}
