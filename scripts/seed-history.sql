-- A year of history for the dashboard/history timing (make bench) and its loose test (DashboardScaleTests):
-- 200 domains, 2 destinations, 100,000 backups (about one every 5 minutes: 90 % succeeded, 5 % failed, 3 % partly
-- succeeded, 1 % missed, 1 % skipped), one copy each at the first destination and every other one at the second.
-- Deterministic; run on a migrated, otherwise empty panel database.
INSERT INTO destinations ("Id", "Name", "Kind", "Settings", "IsEnabled", "IsDefault", "CreatedAt", "UpdatedAt")
VALUES ('00000000-0000-4000-8000-0000000000d1', 'Local disk', 'Local', '{"Path": "/var/backups/panel"}', true, true, now(), now()),
       ('00000000-0000-4000-8000-0000000000d2', 'Offsite S3', 'S3', '{"Bucket": "panel-backups", "Path": "panel", "Region": "us-east-1", "UseEnvironmentCredentials": true}', true, false, now(), now());

INSERT INTO domains ("Id", "Name", "FilesRoot", "Excludes", "CreatedAt", "UpdatedAt")
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(d), 12, '0'))::uuid, 'site' || d || '.example.com', '/srv/www/site' || d, '{}', now(), now()
FROM generate_series(1, 200) AS d;

INSERT INTO backups ("Id", "DomainId", "DomainName", "Type", "Status", "CreatedAt", "StartedAt", "FinishedAt", "RequestedBy", "Pinned",
                     "Encrypted", "StoredBytes", "PlainBytes", "WarningCount", "Error", "Log", "ProgressBytes", "CancelRequested", "FolderKey")
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(i % 200 + 1), 12, '0'))::uuid,
       'site' || (i % 200 + 1) || '.example.com',
       CASE WHEN i % 7 = 0 THEN 'Database' ELSE 'Full' END,
       s.status,
       t.at, t.at, t.at + interval '90 seconds', 'plan Nightly', false, true,
       CASE WHEN s.status IN ('Succeeded', 'PartiallySucceeded') THEN 50000000 + (i % 1000) * 100000 ELSE 0 END,
       CASE WHEN s.status IN ('Succeeded', 'PartiallySucceeded') THEN 120000000 + (i % 1000) * 250000 ELSE 0 END,
       0,
       CASE WHEN s.status = 'Failed' THEN 'The folder ''/srv/www/site' || (i % 200 + 1) || ''' does not exist.' END,
       '', 0, false,
       'site' || (i % 200 + 1) || '.example.com/' || to_char(t.at, 'YYYY/MM/YYYYMMDD"T"HH24MISS"Z"_') || i || '/'
FROM generate_series(1, 100000) AS i
CROSS JOIN LATERAL (SELECT now() - (i * interval '5 minutes') AS at) AS t
CROSS JOIN LATERAL (SELECT CASE WHEN (i * 7919) % 100 < 90 THEN 'Succeeded' WHEN (i * 7919) % 100 < 95 THEN 'Failed'
                                WHEN (i * 7919) % 100 < 98 THEN 'PartiallySucceeded' WHEN (i * 7919) % 100 < 99 THEN 'Missed'
                                ELSE 'Skipped' END AS status) AS s;

INSERT INTO backup_copies ("Id", "BackupId", "DestinationId", "DestinationName", "Status", "StoredAt")
SELECT gen_random_uuid(), b."Id", '00000000-0000-4000-8000-0000000000d1', 'Local disk',
       CASE WHEN b."Status" = 'Succeeded' THEN 'Stored' WHEN b."Status" = 'PartiallySucceeded' THEN 'Stored' ELSE 'Failed' END, b."FinishedAt"
FROM backups b WHERE b."Status" IN ('Succeeded', 'PartiallySucceeded', 'Failed');

INSERT INTO backup_copies ("Id", "BackupId", "DestinationId", "DestinationName", "Status", "StoredAt")
SELECT gen_random_uuid(), b."Id", '00000000-0000-4000-8000-0000000000d2', 'Offsite S3',
       CASE WHEN b."Status" = 'Succeeded' THEN 'Stored' ELSE 'Failed' END, b."FinishedAt"
FROM backups b WHERE b."Status" IN ('Succeeded', 'PartiallySucceeded') AND get_byte(uuid_send(b."Id"), 15) % 2 = 0;

ANALYZE backups;
ANALYZE backup_copies;
