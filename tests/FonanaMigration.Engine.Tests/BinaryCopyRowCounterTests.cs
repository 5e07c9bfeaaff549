using System.Buffers.Binary;
using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Tests;

public class BinaryCopyRowCounterTests
{
    // PGCOPY signature, flags, header extension length, then rows and the -1 trailer.
    private static byte[] Copy(params byte[][] rows)
    {
        var data = new List<byte>(new byte[] { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 10, 0xFF, 13, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        foreach (var row in rows) data.AddRange(row);
        data.AddRange(new byte[] { 0xFF, 0xFF });
        return data.ToArray();
    }

    private static byte[] Row(params byte[]?[] fields)
    {
        var row = new List<byte>();
        var count = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(count, (short)fields.Length);
        row.AddRange(count);
        foreach (var field in fields)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, field?.Length ?? -1);
            row.AddRange(length);
            if (field is not null) row.AddRange(field);
        }
        return row.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Rows_AreCounted_WhateverTheChunkBoundaries(int chunk)
    {
        var data = Copy(Row(new byte[] { 1, 2, 3, 4 }, null, Array.Empty<byte>()), Row(new byte[300]), Row());
        var counter = new BinaryCopyRowCounter();

        for (var i = 0; i < data.Length; i += chunk)
            counter.Observe(data.AsSpan(i, Math.Min(chunk, data.Length - i)));

        Assert.Equal(3, counter.Rows);
        Assert.True(counter.Complete);
    }

    [Fact]
    public void StreamCutInsideARow_IsNotComplete()
    {
        var data = Copy(Row(new byte[100]));
        var counter = new BinaryCopyRowCounter();

        counter.Observe(data.AsSpan(0, data.Length - 40));

        Assert.False(counter.Complete);
    }

    [Fact]
    public void DataWithoutTheSignature_IsRejected()
    {
        var counter = new BinaryCopyRowCounter();
        Assert.Throws<InvalidDataException>(() => counter.Observe(new byte[19]));
    }
}
