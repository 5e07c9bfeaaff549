namespace FonanaMigration.Engine.Hosting;

/// <summary>An ILogger that turns log entries into <see cref="EngineMessage"/>s on a queue. The event name becomes the message's id.</summary>
public sealed class QueueLogger : ILogger
{
    private readonly EngineMessageQueue _queue;
    private readonly LogLevel _minimum;

    public QueueLogger(EngineMessageQueue queue, bool includeDebug = true)
    {
        _queue = queue;
        _minimum = includeDebug ? LogLevel.Trace : LogLevel.Information;
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var level = logLevel switch
        {
            LogLevel.Trace or LogLevel.Debug => EngineMessageLevel.Debug,
            LogLevel.Information => EngineMessageLevel.Verbose,
            _ => EngineMessageLevel.Warning,
        };
        _queue.Add(new EngineMessage(level, eventId.Name ?? "FonanaMigration", formatter(state, exception), Data: NamedValues(state)));
    }

    /// <summary>The named values of a message template; "{OriginalFormat}" (the template itself) is left out.</summary>
    private static IReadOnlyDictionary<string, string>? NamedValues<TState>(TState state)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs) return null;
        Dictionary<string, string>? values = null;
        foreach (var (key, value) in pairs)
        {
            if (key == "{OriginalFormat}" || value is null) continue;
            (values ??= new Dictionary<string, string>())[key] = value switch
            {
                IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }
        return values;
    }
}
