namespace FonanaMigration.Engine.Connections;

/// <summary>
/// Settings applied to every session the engine opens. They pin the text form of values (dates, floats, bytea,
/// intervals), so COPY text and row checksums mean the same thing on two servers configured differently. The
/// value-shaping ones are also recorded in each archive's manifest, from this one list.
/// </summary>
internal static class SessionSettings
{
    /// <summary>The settings that decide how values print; an archive's manifest records exactly these.</summary>
    public static readonly IReadOnlyDictionary<string, string> ValueSettings = new Dictionary<string, string>
    {
        ["client_encoding"] = "UTF8",
        ["DateStyle"] = "ISO, YMD",
        ["IntervalStyle"] = "postgres",
        ["TimeZone"] = "UTC",
        ["extra_float_digits"] = "3",
        ["bytea_output"] = "hex",
    };

    // Plus the session's own needs: catalog-only search_path (format_type and pg_get_*def qualify every other
    // name), standard string literals, and a locale-neutral money format.
    public static readonly string Sql =
        string.Concat(ValueSettings.Select(s => $"SET {s.Key} = '{s.Value}'; ")) +
        "SET search_path = pg_catalog; SET standard_conforming_strings = on; SET lc_monetary = 'C';";
}
