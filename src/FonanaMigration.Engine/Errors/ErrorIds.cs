namespace FonanaMigration.Engine.Errors;

/// <summary>
/// Every error id the module reports (the FullyQualifiedErrorId a runbook catches), engine and cmdlets alike. Ids are
/// a public contract: add, never rename. README.md lists them all; a test keeps the two equal.
/// </summary>
public static class ErrorIds
{
    // Connecting
    public const string ConnectionStringEmpty = nameof(ConnectionStringEmpty);
    public const string ConnectionStringInvalid = nameof(ConnectionStringInvalid);
    public const string ConnectionFileNotFound = nameof(ConnectionFileNotFound);
    public const string ConnectionFailed = nameof(ConnectionFailed);
    public const string AuthenticationFailed = nameof(AuthenticationFailed);
    public const string DatabaseNotFound = nameof(DatabaseNotFound);
    public const string PermissionDenied = nameof(PermissionDenied);
    public const string ServerCertificateRejected = nameof(ServerCertificateRejected);
    public const string ServerError = nameof(ServerError);
    public const string SourceIsTarget = nameof(SourceIsTarget);
    public const string TransferStalled = nameof(TransferStalled);
    public const string OperationCancelled = nameof(OperationCancelled);
    public const string UnexpectedError = nameof(UnexpectedError);

    // Schema and table selection
    public const string SchemaIncompatible = nameof(SchemaIncompatible);
    public const string SchemaFileNotFound = nameof(SchemaFileNotFound);
    public const string SchemaFileInvalid = nameof(SchemaFileInvalid);
    public const string SchemaFileWriteFailed = nameof(SchemaFileWriteFailed);
    public const string TableNotFound = nameof(TableNotFound);
    public const string TableNameAmbiguous = nameof(TableNameAmbiguous);
    public const string ColumnNotFound = nameof(ColumnNotFound);
    public const string ValueHasNulCharacter = nameof(ValueHasNulCharacter);

    // Archives, export, import and copy
    public const string ArchiveNotFound = nameof(ArchiveNotFound);
    public const string ArchiveDirectoryNotFound = nameof(ArchiveDirectoryNotFound);
    public const string ArchiveExists = nameof(ArchiveExists);
    public const string ArchiveFormatUnsupported = nameof(ArchiveFormatUnsupported);
    public const string ArchiveCorrupt = nameof(ArchiveCorrupt);
    public const string ArchiveWriteFailed = nameof(ArchiveWriteFailed);
    public const string SourceTableLocked = nameof(SourceTableLocked);
    public const string SourceTableRewritten = nameof(SourceTableRewritten);
    public const string ExportRowCountMismatch = nameof(ExportRowCountMismatch);
    public const string RowSecurityHidesRows = nameof(RowSecurityHidesRows);
    public const string BackupPathWithoutClean = nameof(BackupPathWithoutClean);
    public const string TargetNotEmpty = nameof(TargetNotEmpty);
    public const string TargetRejectedRow = nameof(TargetRejectedRow);
    public const string TargetPermissionDenied = nameof(TargetPermissionDenied);
    public const string RowSecurityBlocksLoad = nameof(RowSecurityBlocksLoad);
    public const string MigrationMapInvalid = nameof(MigrationMapInvalid);
    public const string MigrationMapNotFound = nameof(MigrationMapNotFound);
    public const string MigrationMapFileExists = nameof(MigrationMapFileExists);
    public const string ImportVerificationFailed = nameof(ImportVerificationFailed);
    public const string BackupVerificationFailed = nameof(BackupVerificationFailed);
    public const string CommitOutcomeUnknown = nameof(CommitOutcomeUnknown);
    public const string ChecksumAlgorithmUnsupported = nameof(ChecksumAlgorithmUnsupported);

    // Counts
    public const string RowCountMismatch = nameof(RowCountMismatch);
    public const string NothingToCompare = nameof(NothingToCompare);
    public const string QueryFailed = nameof(QueryFailed);
    public const string QueryNotACount = nameof(QueryNotACount);
    public const string ExpectedValueInvalid = nameof(ExpectedValueInvalid);
    public const string QueryValueInvalid = nameof(QueryValueInvalid);

    // Integrity and media
    public const string SampleSizeInvalid = nameof(SampleSizeInvalid);
    public const string MediaBaseUriInvalid = nameof(MediaBaseUriInvalid);
    public const string MediaPathPrefixInvalid = nameof(MediaPathPrefixInvalid);
    public const string MediaRootNotFound = nameof(MediaRootNotFound);
    public const string MediaUrlPrefixInvalid = nameof(MediaUrlPrefixInvalid);

    // Files the run writes
    public const string LogFileWriteFailed = nameof(LogFileWriteFailed);
    public const string ReportWriteFailed = nameof(ReportWriteFailed);

    // Online migration (logical replication)
    public const string SourceWalLevelNotLogical = nameof(SourceWalLevelNotLogical);
    public const string SourceReplicationCapacity = nameof(SourceReplicationCapacity);
    public const string SourceCannotPublish = nameof(SourceCannotPublish);
    public const string SourceRoleCannotReplicate = nameof(SourceRoleCannotReplicate);
    public const string SourceTablesNotOwned = nameof(SourceTablesNotOwned);
    public const string TargetCannotSubscribe = nameof(TargetCannotSubscribe);
    public const string TargetReplicationCapacity = nameof(TargetReplicationCapacity);
    public const string ReplicationAlreadyRunning = nameof(ReplicationAlreadyRunning);
    public const string TableWithoutReplicaIdentity = nameof(TableWithoutReplicaIdentity);
    public const string NoUniqueIndexForReplicaIdentity = nameof(NoUniqueIndexForReplicaIdentity);
    public const string NoTablesSelected = nameof(NoTablesSelected);
    public const string SourceUnreachableFromTarget = nameof(SourceUnreachableFromTarget);
    public const string SubscriptionFailed = nameof(SubscriptionFailed);
    public const string ReplicationNotFound = nameof(ReplicationNotFound);
    public const string ReplicationAmbiguous = nameof(ReplicationAmbiguous);
    public const string ReplicationDisabled = nameof(ReplicationDisabled);
    public const string ReplicationNotReady = nameof(ReplicationNotReady);
    public const string ReplicationSlotMissing = nameof(ReplicationSlotMissing);
    public const string ReplicationCatchUpTimeout = nameof(ReplicationCatchUpTimeout);
    public const string ReplicationNotInSync = nameof(ReplicationNotInSync);
    public const string ForeignKeyViolatedOnTarget = nameof(ForeignKeyViolatedOnTarget);
    public const string ReplicationSlotBusy = nameof(ReplicationSlotBusy);
    public const string NothingToStop = nameof(NothingToStop);
    public const string CleanWithoutTarget = nameof(CleanWithoutTarget);
}
