using System.Collections.Concurrent;
using System.Globalization;

namespace FonanaMigration.Testing;

/// <summary>
/// The fault-injection suite's counters, per category, kept by the tests themselves as they run: a fault counts as
/// survived and an input as rejected cleanly only after every assertion about it passed. <see cref="SummaryLines"/>
/// is what the suite prints at its end.
/// </summary>
public static class FaultTally
{
    private static readonly ConcurrentDictionary<string, Counters> Categories = new(StringComparer.Ordinal);

    public static void FaultInjected(string category) => Interlocked.Increment(ref For(category).FaultsInjected);
    public static void FaultSurvived(string category) => Interlocked.Increment(ref For(category).FaultsSurvived);
    public static void InputTried(string category) => Interlocked.Increment(ref For(category).InputsTried);
    public static void InputRejectedCleanly(string category) => Interlocked.Increment(ref For(category).InputsRejectedCleanly);
    public static void RowsLost(string category, long rows) => Interlocked.Add(ref For(category).RowsLost, rows);
    public static void PasswordsSeen(string category, long count) => Interlocked.Add(ref For(category).PasswordsSeen, count);

    /// <summary>Forgets every count (a new run in the same process).</summary>
    public static void Reset() => Categories.Clear();

    public static IReadOnlyList<string> Names => Categories.Keys.OrderBy(name => name, StringComparer.Ordinal).ToArray();

    /// <summary>One line per category: "category: faults injected N, survived N; inputs tried N, rejected cleanly N; rows lost N; passwords seen N".</summary>
    public static IReadOnlyList<string> SummaryLines() =>
        Categories.OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => $"{entry.Key}: {entry.Value}")
            .ToArray();

    private static Counters For(string category) => Categories.GetOrAdd(category, _ => new Counters());

    private sealed class Counters
    {
        public long FaultsInjected;
        public long FaultsSurvived;
        public long InputsTried;
        public long InputsRejectedCleanly;
        public long RowsLost;
        public long PasswordsSeen;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"faults injected {Interlocked.Read(ref FaultsInjected)}, survived {Interlocked.Read(ref FaultsSurvived)}; "
            + $"inputs tried {Interlocked.Read(ref InputsTried)}, rejected cleanly {Interlocked.Read(ref InputsRejectedCleanly)}; "
            + $"rows lost {Interlocked.Read(ref RowsLost)}; passwords seen {Interlocked.Read(ref PasswordsSeen)}");
    }
}
