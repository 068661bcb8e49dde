using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AllowedRoots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "allowed_roots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    DataRoots = table.Column<List<string>>(type: "text[]", nullable: false),
                    DestinationRoots = table.Column<List<string>>(type: "text[]", nullable: false),
                    UpgradeNote = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allowed_roots", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allowed_roots");
        }
    }
}
