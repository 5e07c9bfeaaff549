namespace FonanaMigration.Engine.Hosting;

/// <summary>
/// Npgsql's own log (connections opened and closed, every statement with its duration) routed into the run's logger.
/// All of it arrives at Debug, whatever level Npgsql chose: it is detail for -Debug and the log file, and a failure it
/// reports also reaches the host as the run's error. Npgsql's Trace level (every protocol message) is left out, and so
/// are parameter values (parameter logging stays off), so row data never reaches a log.
/// </summary>
internal sealed class DriverLoggerFactory : ILoggerFactory
{
    private readonly ILogger _target;

    public DriverLoggerFactory(ILogger target) => _target = target;

    public ILogger CreateLogger(string categoryName) => new DriverLogger(_target, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class DriverLogger : ILogger
    {
        private readonly ILogger _target;
        private readonly string _category;

        public DriverLogger(ILogger target, string category)
        {
            _target = target;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && logLevel != LogLevel.None && _target.IsEnabled(LogLevel.Debug);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // The event is named after Npgsql's category (Npgsql.Command, Npgsql.Connection) when Npgsql gives it no name.
            _target.Log(LogLevel.Debug, new EventId(eventId.Id, eventId.Name ?? _category), state, null, (s, _) => formatter(s, exception));
        }
    }
}
