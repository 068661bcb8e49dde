using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DestinationSettingsAsJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each kind's settings move into one JSON column (Destinations/Kinds/*): the same values, with the same
            // property names the kinds read; secrets stay Data Protection ciphertexts.
            migrationBuilder.AddColumn<string>(
                name: "Settings",
                table: "destinations",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.Sql("""
                UPDATE destinations SET "Settings" = jsonb_strip_nulls(CASE "Kind"
                    WHEN 'Sftp' THEN jsonb_build_object('Host', "Host", 'Port', "Port", 'UserName', "UserName", 'Path', "Path",
                        'HostKeySha256', "HostKeySha256", 'PasswordSecret', "PasswordSecret", 'PrivateKeySecret', "PrivateKeySecret",
                        'PassphraseSecret', "PassphraseSecret")
                    WHEN 'Ftp' THEN jsonb_build_object('Host', "Host", 'Port', "Port", 'UserName', "UserName", 'Path', "Path",
                        'ExplicitTls', "ExplicitTls", 'CertificateSha256', "CertificateSha256", 'PasswordSecret', "PasswordSecret")
                    WHEN 'S3' THEN jsonb_build_object('Bucket', "Bucket", 'Path', "Path", 'Region', "Region", 'ServiceUrl', "ServiceUrl",
                        'PathStyle', "PathStyle", 'UseEnvironmentCredentials', "UseEnvironmentCredentials", 'AccessKeyId', "AccessKeyId",
                        'SecretAccessKeySecret', "SecretAccessKeySecret", 'StorageClass', "StorageClass",
                        'ServerSideEncryption', "ServerSideEncryption", 'KmsKeyId', "KmsKeyId", 'ObjectLockMode', "ObjectLockMode",
                        'ObjectLockDays', "ObjectLockDays")
                    ELSE jsonb_build_object('Path', "Path")
                END);
                """);

            migrationBuilder.DropColumn(
                name: "AccessKeyId",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "Bucket",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "CertificateSha256",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "ExplicitTls",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "Host",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "HostKeySha256",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "KmsKeyId",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "ObjectLockDays",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "ObjectLockMode",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "PassphraseSecret",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "PasswordSecret",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "Path",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "PathStyle",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "Port",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "PrivateKeySecret",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "Region",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "SecretAccessKeySecret",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "ServerSideEncryption",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "ServiceUrl",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "StorageClass",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "UseEnvironmentCredentials",
                table: "destinations");

            migrationBuilder.DropColumn(
                name: "UserName",
                table: "destinations");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AccessKeyId",
                table: "destinations",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Bucket",
                table: "destinations",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateSha256",
                table: "destinations",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ExplicitTls",
                table: "destinations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Host",
                table: "destinations",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HostKeySha256",
                table: "destinations",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KmsKeyId",
                table: "destinations",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ObjectLockDays",
                table: "destinations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ObjectLockMode",
                table: "destinations",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PassphraseSecret",
                table: "destinations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PasswordSecret",
                table: "destinations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Path",
                table: "destinations",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "PathStyle",
                table: "destinations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Port",
                table: "destinations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PrivateKeySecret",
                table: "destinations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Region",
                table: "destinations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretAccessKeySecret",
                table: "destinations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ServerSideEncryption",
                table: "destinations",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ServiceUrl",
                table: "destinations",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StorageClass",
                table: "destinations",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "UseEnvironmentCredentials",
                table: "destinations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "UserName",
                table: "destinations",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE destinations SET
                    "Path" = COALESCE("Settings"->>'Path', ''), "Host" = "Settings"->>'Host', "Port" = ("Settings"->>'Port')::int,
                    "UserName" = "Settings"->>'UserName', "HostKeySha256" = "Settings"->>'HostKeySha256',
                    "ExplicitTls" = COALESCE(("Settings"->>'ExplicitTls')::boolean, false), "CertificateSha256" = "Settings"->>'CertificateSha256',
                    "Bucket" = "Settings"->>'Bucket', "Region" = "Settings"->>'Region', "ServiceUrl" = "Settings"->>'ServiceUrl',
                    "PathStyle" = COALESCE(("Settings"->>'PathStyle')::boolean, false),
                    "UseEnvironmentCredentials" = COALESCE(("Settings"->>'UseEnvironmentCredentials')::boolean, false),
                    "AccessKeyId" = "Settings"->>'AccessKeyId', "StorageClass" = "Settings"->>'StorageClass',
                    "ServerSideEncryption" = "Settings"->>'ServerSideEncryption', "KmsKeyId" = "Settings"->>'KmsKeyId',
                    "ObjectLockMode" = "Settings"->>'ObjectLockMode', "ObjectLockDays" = ("Settings"->>'ObjectLockDays')::int,
                    "PasswordSecret" = "Settings"->>'PasswordSecret', "PrivateKeySecret" = "Settings"->>'PrivateKeySecret',
                    "PassphraseSecret" = "Settings"->>'PassphraseSecret', "SecretAccessKeySecret" = "Settings"->>'SecretAccessKeySecret';
                """);

            migrationBuilder.DropColumn(
                name: "Settings",
                table: "destinations");
        }
    }
}
