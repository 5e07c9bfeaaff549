namespace FonanaMigration.Engine;

/// <summary>
/// Settings applied to every session the engine opens. They pin the text form of values (dates, floats, bytea,
/// intervals), so COPY text and row checksums mean the same thing on two servers configured differently.
/// </summary>
internal static class SessionSettings
{
    public const string Sql =
        "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; " +
        "SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET bytea_output = 'hex'; " +
        "SET search_path = pg_catalog; SET standard_conforming_strings = on; SET lc_monetary = 'C';";
}
