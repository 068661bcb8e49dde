using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RemoteDestinations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
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
                name: "LastTestMilliseconds",
                table: "destinations",
                type: "integer",
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                name: "LastTestMilliseconds",
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
    }
}
