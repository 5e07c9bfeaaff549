using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FonanaMigration.Engine.Hosting;

/// <summary>
/// A structured run log for runbooks: one JSON object per line (time, level, event, message, command, and the message's
/// named values as data), appended to a file. Each line is appended with its own open and close, so several commands of
/// one pipeline can share a file and a reader (tail -f, a log shipper) always sees whole lines.
/// Writes only what it is given: callers pass password-free text (endpoints as DisplayName).
/// </summary>
public sealed class JsonLinesLog
{
    // Relaxed escaping keeps Cyrillic, emoji and quotes readable in the file; it is a log, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public JsonLinesLog(string path, string command)
    {
        Path = path;
        Command = command;
    }

    public string Path { get; }
    public string Command { get; }

    /// <param name="level">The PowerShell stream name: Debug, Verbose, Information, Warning or Error.</param>
    public void Write(string level, string eventName, string message, IReadOnlyDictionary<string, string>? data = null,
        string? errorId = null, string? category = null)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("event", eventName);
            json.WriteString("message", message);
            json.WriteString("command", Command);
            if (errorId is not null) json.WriteString("errorId", errorId);
            if (category is not null) json.WriteString("category", category);
            if (data is { Count: > 0 })
            {
                json.WriteStartObject("data");
                foreach (var (key, value) in data) json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        buffer.Position = 0;
        buffer.CopyTo(file);
    }
}
