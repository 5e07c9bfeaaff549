using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Connections;
using FonanaMigration.Engine.Errors;
using FonanaMigration.Engine.Hosting;
using FonanaMigration.Engine.Integrity;
using FonanaMigration.Engine.Media;
using FonanaMigration.Engine.Reports;
using FonanaMigration.Engine.Scans;
using FonanaMigration.Engine.Schema;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Transfer;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Sequences;

/// <summary>A target sequence the load moved: where it stood before and where it stands after the COMMIT.</summary>
public sealed record MovedSequence(string Name, long OldValue, long NewValue);
