namespace FonanaMigration.Testing;

/// <summary>
/// No usable PostgreSQL server binaries on this machine. A distinct type so a test suite can turn
/// "PostgreSQL is not installed" into a skip instead of a failure if it wants to.
/// </summary>
public sealed class PostgresBinariesNotFoundException : Exception
{
    public PostgresBinariesNotFoundException(string message) : base(message)
    {
    }
}
