using Microsoft.EntityFrameworkCore.Migrations;


namespace BackupPanel.Core.Data.Migrations
{
    /// <summary>
    /// Chains the audit log: as each entry is written, the database gives it the next id under a lock, the previous
    /// entry's hash and its own (SHA-256 over the previous hash and its fields); entries already there are chained
    /// in id order. audit_chain_first_break() names the first entry whose hash or link does not hold.
    /// </summary>
    public partial class ChainAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "audit_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "audit_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.Sql("""
                CREATE FUNCTION audit_entry_hash(e audit_entries) RETURNS text LANGUAGE sql STABLE AS $$
                  SELECT encode(sha256(convert_to(jsonb_build_array(
                    e."PreviousHash", e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), e."UserId", e."UserName",
                    e."Action", e."TargetType", e."TargetId", e."Outcome", e."ClientAddress", e."Details")::text, 'UTF8')), 'hex')
                $$;

                CREATE FUNCTION audit_entries_chain() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  -- One writer at a time, until it commits: ids, and so the chain's order, follow the order of commits.
                  PERFORM pg_advisory_xact_lock(7020829731419021312);
                  NEW."Id" := nextval(pg_get_serial_sequence('audit_entries', 'Id'));
                  NEW."PreviousHash" := coalesce((SELECT "Hash" FROM audit_entries ORDER BY "Id" DESC LIMIT 1), '');
                  NEW."Hash" := audit_entry_hash(NEW);
                  RETURN NEW;
                END $$;

                ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update;
                DO $$
                DECLARE r audit_entries; prev text := '';
                BEGIN
                  FOR r IN SELECT * FROM audit_entries ORDER BY "Id" LOOP
                    r."PreviousHash" := prev;
                    r."Hash" := audit_entry_hash(r);
                    UPDATE audit_entries SET "PreviousHash" = r."PreviousHash", "Hash" = r."Hash" WHERE "Id" = r."Id";
                    prev := r."Hash";
                  END LOOP;
                END $$;
                ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update;

                CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_chain();

                CREATE FUNCTION audit_chain_first_break() RETURNS bigint LANGUAGE sql STABLE AS $$
                  SELECT x."Id" FROM (
                    SELECT e."Id", e."PreviousHash", e."Hash", audit_entry_hash(e) AS recomputed,
                           coalesce(lag(e."Hash") OVER (ORDER BY e."Id"), '') AS expected_previous
                    FROM audit_entries e) x
                  WHERE x."Hash" IS DISTINCT FROM x.recomputed OR x."PreviousHash" IS DISTINCT FROM x.expected_previous
                  ORDER BY x."Id" LIMIT 1
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION audit_chain_first_break();
                DROP TRIGGER audit_entries_chain ON audit_entries;
                DROP FUNCTION audit_entries_chain();
                DROP FUNCTION audit_entry_hash(audit_entries);
                """);

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "audit_entries");
        }
    }
}
