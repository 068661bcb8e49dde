using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "NotifyEmails",
                table: "plans",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<int>(
                name: "NotifyOn",
                table: "plans",
                type: "integer",
                nullable: false,
                defaultValue: 507); // NotificationEvents.Problems for plans made before notifications

            migrationBuilder.AddColumn<string>(
                name: "PingUrl",
                table: "plans",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WebhookSecretCipher",
                table: "plans",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WebhookUrl",
                table: "plans",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PlanRunId",
                table: "backups",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "notification_marks",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_marks", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "notification_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    SmtpHost = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    SmtpPort = table.Column<int>(type: "integer", nullable: false),
                    SmtpSecurity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SmtpUser = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    SmtpPasswordCipher = table.Column<string>(type: "text", nullable: true),
                    CertificateSha256 = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    FromAddress = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    AdminEmails = table.Column<List<string>>(type: "text[]", nullable: false),
                    AdminEvents = table.Column<int>(type: "integer", nullable: false),
                    PanelUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Event = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Subject = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Html = table.Column<string>(type: "text", nullable: true),
                    PlanId = table.Column<Guid>(type: "uuid", nullable: true),
                    BackupId = table.Column<Guid>(type: "uuid", nullable: true),
                    DomainName = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "storage_samples",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    DestinationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false),
                    Backups = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_storage_samples", x => new { x.Day, x.DestinationId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_backups_PlanRunId",
                table: "backups",
                column: "PlanRunId",
                filter: "\"PlanRunId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_CreatedAt",
                table: "notifications",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_marks");

            migrationBuilder.DropTable(
                name: "notification_settings");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "storage_samples");

            migrationBuilder.DropIndex(
                name: "IX_backups_PlanRunId",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "NotifyEmails",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "NotifyOn",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "PingUrl",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "WebhookSecretCipher",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "WebhookUrl",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "PlanRunId",
                table: "backups");
        }
    }
}
