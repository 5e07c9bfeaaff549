namespace FonanaMigration.HelpCompiler.Tests;

/// <summary>Markdown pages in the PlatyPS 1.x schema (2024-05-01) that tests start from.</summary>
internal static class Pages
{
    public const string FrontMatter = """
        ---
        document type: cmdlet
        external help file: FonanaMigration.dll-Help.xml
        HelpUri: ''
        Locale: en-US
        Module Name: FonanaMigration
        ms.date: 11/25/2026
        PlatyPS schema version: 2024-05-01
        title: Import-FonanaDatabase
        ---

        """;

    /// <summary>A complete, valid page with two parameter sets, a switch and every section.</summary>
    public const string Import = FrontMatter + """
        # Import-FonanaDatabase

        ## SYNOPSIS

        Loads an export archive into a target database in one all-or-nothing transaction.

        ## SYNTAX

        ### Path (Default)

        ```
        Import-FonanaDatabase [-Path] <string> -Target <DatabaseEndpoint> [-Mode <string>] [-Force] [-WhatIf] [<CommonParameters>]
        ```

        ### Stream

        ```
        Import-FonanaDatabase -InputStream <Stream> -Target <DatabaseEndpoint> [-Mode <string>] [-Force] [-WhatIf] [<CommonParameters>]
        ```

        ## ALIASES

        This cmdlet has the following aliases,
          Import-Fonana

        ## DESCRIPTION

        The `Import-FonanaDatabase` cmdlet reads an archive
        and writes every table in **one** transaction.

        Paragraph two, see [the guide](https://example.invalid/guide).

        ## EXAMPLES

        ### Example 1: Import an archive

        ```powershell
        Import-FonanaDatabase -Path ./fonana.fnz -Target $prod
        ```

        Text explaining the example.

        Second remark.

        ### Example 2: Import from a stream

        The stream must be seekable.

        ```powershell
        $s = [IO.File]::OpenRead('a.fnz')
        Import-FonanaDatabase -InputStream $s -Target $prod
        ```

        ## PARAMETERS

        ### -Force

        Imports even when the target is not empty.

        ```yaml
        Type: System.Management.Automation.SwitchParameter
        DefaultValue: False
        SupportsWildcards: false
        Aliases: []
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -InputStream

        Stream holding the archive.

        ```yaml
        Type: System.IO.Stream
        DefaultValue: None
        SupportsWildcards: false
        Aliases: []
        ParameterSets:
        - Name: Stream
          Position: Named
          IsRequired: true
          ValueFromPipeline: true
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Mode

        How existing rows are treated.

        ```yaml
        Type: System.String
        DefaultValue: Fail
        SupportsWildcards: false
        Aliases:
        - m
        - ImportMode
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues:
        - Fail
        - Replace
        HelpMessage: ''
        ```

        ### -Path

        Path of the archive.

        Wildcards are not expanded.

        ```yaml
        Type: System.String
        DefaultValue: None
        SupportsWildcards: false
        Aliases: [FullName, p]
        ParameterSets:
        - Name: Path
          Position: 0
          IsRequired: true
          ValueFromPipeline: true
          ValueFromPipelineByPropertyName: true
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Secret

        Internal switch for tests.

        ```yaml
        Type: System.Management.Automation.SwitchParameter
        DefaultValue: False
        SupportsWildcards: false
        Aliases: []
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: true
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -Target

        Database to import into.

        ```yaml
        Type: FonanaMigration.Engine.DatabaseEndpoint
        DefaultValue: None
        SupportsWildcards: false
        Aliases: []
        ParameterSets:
        - Name: Path
          Position: Named
          IsRequired: true
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: true
          ValueFromRemainingArguments: false
        - Name: Stream
          Position: Named
          IsRequired: true
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### -WhatIf

        Shows what would happen.

        ```yaml
        Type: System.Management.Automation.SwitchParameter
        DefaultValue: False
        SupportsWildcards: false
        Aliases:
        - wi
        ParameterSets:
        - Name: (All)
          Position: Named
          IsRequired: false
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        ### CommonParameters

        This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable,
        -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable,
        -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see
        [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).

        ## INPUTS

        ### System.String

        A path.

        ### System.IO.Stream

        A stream.

        ## OUTPUTS

        ### FonanaMigration.Engine.ImportResult

        One result per import.

        ## NOTES

        Imports run in one transaction.

        Large archives need disk space for the staging tables.

        ## RELATED LINKS

        - [Export-FonanaDatabase](Export-FonanaDatabase.md)
        - [Online docs](https://example.invalid/docs)

        """;

    /// <summary>The smallest valid page: one set, one parameter, one example.</summary>
    public static string Minimal(string name = "Get-Thing") => $$"""
        ---
        document type: cmdlet
        title: {{name}}
        ---

        # {{name}}

        ## SYNOPSIS

        Gets a thing.

        ## SYNTAX

        ### __AllParameterSets

        ```
        {{name}} [-Name] <string> [<CommonParameters>]
        ```

        ## DESCRIPTION

        Gets the thing.

        ## EXAMPLES

        ### Example 1: Get it

        ```powershell
        {{name}} -Name x
        ```

        ## PARAMETERS

        ### -Name

        Name of the thing.

        ```yaml
        Type: System.String
        DefaultValue: None
        SupportsWildcards: true
        Aliases: []
        ParameterSets:
        - Name: (All)
          Position: 0
          IsRequired: true
          ValueFromPipeline: false
          ValueFromPipelineByPropertyName: false
          ValueFromRemainingArguments: false
        DontShow: false
        AcceptedValues: []
        HelpMessage: ''
        ```

        """;

    public const string About = """
        ---
        document type: about
        title: about_FonanaMigration_Archives
        ---

        # about_FonanaMigration_Archives

        ## Short Description

        Describes the **archive** format
        that `Export-FonanaDatabase` writes.

        ## Long Description

        An archive is a zip file; see [Export-FonanaDatabase](Export-FonanaDatabase.md)
        and [the spec](https://example.invalid/spec).

        ```powershell
        Export-FonanaDatabase -Path ./a.fnz
        ```

        ### Layout

        - manifest.json
        - one file per table

        ## See Also

        - Import-FonanaDatabase

        """;

    public const string Module = """
        ---
        document type: module
        Help Version: 1.0.0.0
        Locale: en-US
        Module Guid: 00000000-0000-0000-0000-000000000000
        Module Name: FonanaMigration
        ms.date: 11/25/2026
        PlatyPS schema version: 2024-05-01
        title: FonanaMigration Module
        ---

        # FonanaMigration Module

        ## Description

        Moves Fonana databases between servers.

        Everything runs in one transaction.

        ## FonanaMigration Cmdlets

        ### [Import-FonanaDatabase](Import-FonanaDatabase.md)

        Loads an export archive into a target database.

        """;
}
