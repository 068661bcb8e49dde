using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddBulkRestore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "BatchItemId",
                table: "restore_runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetDatabaseSuffix",
                table: "restore_runs",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "restore_batches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Files = table.Column<bool>(type: "boolean", nullable: false),
                    Databases = table.Column<bool>(type: "boolean", nullable: false),
                    Mail = table.Column<bool>(type: "boolean", nullable: false),
                    AlternateRoot = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    DatabaseSuffix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SafetyBackup = table.Column<bool>(type: "boolean", nullable: false),
                    ContinueOnError = table.Column<bool>(type: "boolean", nullable: false),
                    Concurrency = table.Column<int>(type: "integer", nullable: false),
                    DryRun = table.Column<bool>(type: "boolean", nullable: false),
                    PreflightAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_restore_batches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "restore_batch_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BatchId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    BackupId = table.Column<Guid>(type: "uuid", nullable: false),
                    DomainName = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    BackupCreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TargetDirectory = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Preflight = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PreflightReport = table.Column<string>(type: "text", nullable: false),
                    Dispatched = table.Column<bool>(type: "boolean", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    RestoreRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_restore_batch_items", x => x.Id);
                    table.ForeignKey(
                        name: "FK_restore_batch_items_restore_batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "restore_batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_restore_batch_items_BatchId_Position",
                table: "restore_batch_items",
                columns: new[] { "BatchId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_restore_batches_CreatedAt",
                table: "restore_batches",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "restore_batch_items");

            migrationBuilder.DropTable(
                name: "restore_batches");

            migrationBuilder.DropColumn(
                name: "BatchItemId",
                table: "restore_runs");

            migrationBuilder.DropColumn(
                name: "TargetDatabaseSuffix",
                table: "restore_runs");
        }
    }
}
