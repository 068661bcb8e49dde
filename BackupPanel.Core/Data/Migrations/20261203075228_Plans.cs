using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Plans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Pinned",
                table: "backups",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "PlanId",
                table: "backups",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HoldAfterFailedRuns = table.Column<int>(type: "integer", nullable: false),
                    CompressionLevel = table.Column<int>(type: "integer", nullable: false),
                    Encrypt = table.Column<bool>(type: "boolean", nullable: false),
                    VerifyAfterBackup = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Retention_KeepDaily = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepHourly = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepLast = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepMonthly = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepWeekly = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepYearly = table.Column<int>(type: "integer", nullable: false),
                    Retention_MaxAgeDays = table.Column<int>(type: "integer", nullable: true),
                    Schedule_Cron = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    Schedule_DayOfMonth = table.Column<int>(type: "integer", nullable: false),
                    Schedule_DayOfWeek = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Schedule_Hour = table.Column<int>(type: "integer", nullable: false),
                    Schedule_Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Schedule_Minute = table.Column<int>(type: "integer", nullable: false),
                    Schedule_TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plans", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "plan_destinations",
                columns: table => new
                {
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    DestinationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OverridesRetention = table.Column<bool>(type: "boolean", nullable: false),
                    Retention_KeepDaily = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepHourly = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepLast = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepMonthly = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepWeekly = table.Column<int>(type: "integer", nullable: false),
                    Retention_KeepYearly = table.Column<int>(type: "integer", nullable: false),
                    Retention_MaxAgeDays = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_destinations", x => new { x.PlanId, x.DestinationId });
                    table.ForeignKey(
                        name: "FK_plan_destinations_destinations_DestinationId",
                        column: x => x.DestinationId,
                        principalTable: "destinations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_plan_destinations_plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_domains",
                columns: table => new
                {
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    DomainId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_domains", x => new { x.PlanId, x.DomainId });
                    table.ForeignKey(
                        name: "FK_plan_domains_domains_DomainId",
                        column: x => x.DomainId,
                        principalTable: "domains",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_plan_domains_plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_backups_PlanId_CreatedAt",
                table: "backups",
                columns: new[] { "PlanId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_plan_destinations_DestinationId",
                table: "plan_destinations",
                column: "DestinationId");

            migrationBuilder.CreateIndex(
                name: "IX_plan_domains_DomainId",
                table: "plan_domains",
                column: "DomainId");

            migrationBuilder.CreateIndex(
                name: "IX_plans_Name",
                table: "plans",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_destinations");

            migrationBuilder.DropTable(
                name: "plan_domains");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropIndex(
                name: "IX_backups_PlanId_CreatedAt",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "Pinned",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "PlanId",
                table: "backups");
        }
    }
}
