namespace FonanaMigration.Engine.Archive;

/// <summary>
/// The CRC-32 a zip stores for each entry (IEEE 802.3, reflected, polynomial 0xEDB88320), to prove the manifest read is
/// the manifest written: ZipArchive does not check it, and a flipped bit in a deflated manifest often still inflates to
/// valid JSON. Written here rather than taken from System.IO.Hashing: a table and a loop, where the package would add
/// one more assembly to the private load context and the package for this one function.
/// </summary>
internal static class ZipCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
