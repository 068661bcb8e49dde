namespace BackupPanel.Core.Databases;

/// <summary>Database engines the panel dumps and restores.</summary>
public enum DatabaseEngine
{
    /// <summary>PostgreSQL (dumped with pg_dump --format=custom).</summary>
    PostgreSql,

    /// <summary>MySQL or MariaDB (dumped with mariadb-dump or mysqldump).</summary>
    MySql,
}
