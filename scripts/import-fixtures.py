#!/usr/bin/env python3
"""Builds the import test archives from invented content (docs/IMPORT.md, tests in BackupPanel.Tests/Import).

usage: import-fixtures.py OUTDIR [--pg-url postgresql://user:pass@127.0.0.1:PORT/postgres]

Realistic exports of cPanel (compressed, with a nested homedir.tar, and unpacked), Virtualmin (one file for all
domains, one per domain) and Plesk (a tar of content files, one zstd with a header before its frame), each with web
files, a MySQL dump, a PostgreSQL dump where the format has one (needs --pg-url: a throwaway database is created,
dumped with pg_dump and dropped) and two Maildir mailboxes; then malformed, ambiguous and hostile archives in
OUTDIR/hostile. Needs python3, zstd and (for PostgreSQL dumps) psql and pg_dump.
"""
import glob, gzip, io, os, random, shutil, subprocess, sys, tarfile, time

OUT = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
PG_URL = sys.argv[sys.argv.index("--pg-url") + 1] if "--pg-url" in sys.argv else None
MTIME = 1764547200  # 2025-12-01: fixed, so archives are reproducible
rng = random.Random(42)


def pg_bin(tool):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else tool


def web_files(site):
    return {
        "index.html": f"<!doctype html><h1>{site}</h1><p>Welcome to {site}.</p>\n",
        "about.html": f"<h1>About {site}</h1>\n",
        ".htaccess": "RewriteEngine On\n",
        "assets/style.css": "body { font-family: sans-serif; color: #234 }\n",
        "uploads/ünïcode photo.txt": "a file with a non-ASCII name\n",
        "uploads/data.bin": bytes(rng.getrandbits(8) for _ in range(20000)),
    }


def mailbox(user, site):
    files = {}
    for i in range(3):
        files[f"cur/17640000{i}0.M{i}P1.mail:2,S"] = f"From: customer{i}@example.net\nTo: {user}@{site}\nSubject: order {i}\n\nHello {user}, message {i}.\n"
    files["new/1764000900.M9P1.mail"] = f"From: boss@example.net\nTo: {user}@{site}\nSubject: unread\n\nNew mail.\n"
    return files


def mysql_dump(db, rows=25):
    lines = [f"-- MySQL dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n-- Host: localhost    Database: {db}\n",
             "/*!40101 SET NAMES utf8mb4 */;\n", "DROP TABLE IF EXISTS `orders`;\n",
             "CREATE TABLE `orders` (\n  `id` int(11) NOT NULL,\n  `customer` varchar(100) NOT NULL,\n  `total` decimal(10,2) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n",
             "LOCK TABLES `orders` WRITE;\n"]
    values = ",".join(f"({i},'customer {i} ü',{i * 1.5:.2f})" for i in range(1, rows + 1))
    lines += [f"INSERT INTO `orders` VALUES {values};\n", "UNLOCK TABLES;\n", "-- Dump completed\n"]
    return "".join(lines).encode()


def pg_dump(fmt, rows=30):
    """A throwaway database with invented rows, dumped in pg_dump's custom (c), tar (t) or plain SQL (p) format."""
    if not PG_URL:
        return None
    name = f"bp_fixture_{os.getpid()}_{fmt}"
    db_url = PG_URL.rsplit("/", 1)[0] + "/" + name
    psql = [pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run(psql + [PG_URL, "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        sql = f"CREATE TABLE products (id int PRIMARY KEY, title text NOT NULL, price numeric(10,2)); " \
              f"INSERT INTO products SELECT i, 'product ' || i || ' é', i * 2.5 FROM generate_series(1, {rows}) i;"
        subprocess.run(psql + [db_url, "-c", sql], check=True, capture_output=True)
        return subprocess.run([pg_bin("pg_dump"), f"--format={fmt}", "--no-owner", "--no-privileges", db_url], check=True, capture_output=True).stdout
    finally:
        subprocess.run(psql + [PG_URL, "-c", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)


def add(tar, name, data=None, kind=tarfile.REGTYPE, link="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.mtime, info.type, info.linkname = MTIME, kind, link
    info.mode = 0o755 if kind == tarfile.DIRTYPE else mode
    if isinstance(data, str):
        data = data.encode()
    info.size = len(data) if data is not None and kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if info.size else None)


def add_tree(tar, prefix, files):
    dirs = set()
    for path in files:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in sorted(dirs):
        add(tar, f"{prefix}{d}", kind=tarfile.DIRTYPE)
    for path, data in files.items():
        add(tar, f"{prefix}{path}", data)


def tar_bytes(build, fmt=tarfile.GNU_FORMAT):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape") as tar:
        build(tar)
    return buffer.getvalue()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


def zst(data):
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, check=True, capture_output=True).stdout


def maildirs(site, users, base):
    files = {}
    for user in users:
        for path, data in mailbox(user, site).items():
            files[f"{base.format(user=user)}/{path}"] = data
        files[f"{base.format(user=user)}/tmp/.keep"] = ""
    return files


def cpanel_account(tar, user, site, nested_home, pg=True):
    top = f"cpmove-{user}/" if not nested_home else f"backup-12.1.2026_10-00-00_{user}/"
    add(tar, top, kind=tarfile.DIRTYPE)
    add(tar, f"{top}cp/{user}", f"USER={user}\nDNS={site}\nDNS1=addon-{site}\nPLAN=default\nSTARTDATE=1700000000\n")
    add(tar, f"{top}version", "pkgacct version: 10\narchive version: 4\n")
    add(tar, f"{top}userdata/main", f"---\naddon_domains:\n  addon-{site}: addon.{site}\nmain_domain: {site}\nparked_domains: []\nsub_domains:\n  - addon.{site}\n")
    home = {f"public_html/{k}": v for k, v in web_files(site).items()}
    home.update(maildirs(site, ["info", "sales"], f"mail/{site}/{{user}}"))
    home.update({"etc/" + site + "/shadow": "info:$6$secret-hash:19000::::::\n", "tmp/session.tmp": "x", "mail/cur/1764000000.M1P1.mail:2,S": "Subject: own\n\nthe account's own mailbox\n"})
    if nested_home:
        inner = tar_bytes(lambda t: add_tree(t, "", home))
        add(tar, f"{top}homedir.tar", inner)
    else:
        add_tree(tar, f"{top}homedir/", home)
        add(tar, f"{top}homedir/public_html/current", kind=tarfile.SYMTYPE, link="assets")
    add(tar, f"{top}mysql/{user}_shop.sql", mysql_dump(f"{user}_shop"))
    add(tar, f"{top}mysql.sql", f"GRANT USAGE ON *.* TO '{user}'@'localhost' IDENTIFIED BY PASSWORD '*0123456789ABCDEF0123456789ABCDEF01234567';\n"
                                f"GRANT ALL PRIVILEGES ON `{user}\\_shop`.* TO '{user}'@'localhost';\n")
    dump = pg_dump("t") if pg else None
    if dump:
        add(tar, f"{top}psql/{user}_pg.tar", dump)
    add(tar, f"{top}dnszones/{site}.db", f"$ORIGIN {site}.\n@ IN A 192.0.2.10\n")
    add(tar, f"{top}cron/{user}", "0 3 * * * php ~/public_html/cron.php\n")
    add(tar, f"{top}proftpdpasswd", f"{user}:$6$invented-hash:1000:1000::/home/{user}:/bin/ftpsh\n")
    return top


def virtualmin(tar, site, dir_name, pg=True):
    add(tar, "./", kind=tarfile.DIRTYPE)
    user = site.split(".")[0]
    dbs = f"db_mysql={user}db\n" + (f"db_postgres={user}pg\n" if pg else "")
    add(tar, f"./{site}_virtualmin", f"id=17640000001\ndom={site}\nuser={user}\nhome=/home/{user}\n{dbs}")
    home = {f"public_html/{k}": v for k, v in web_files(site).items()}
    home.update(maildirs(site, ["info", "sales"], "homes/{user}/Maildir"))
    home.update({"logs/access_log": "127.0.0.1 - - GET /\n", "Maildir/cur/1764000000.M1P1.host:2,S": "Subject: owner\n\nowner mail\n", "etc/php.ini": "memory_limit=128M\n",
                 "homes/legacy/mdbox/storage/m.1": "mdbox storage file\n"})
    add(tar, f"./{site}_{dir_name}", tar_bytes(lambda t: add_tree(t, "./", home)))
    add(tar, f"./{site}_mysql_{user}db", mysql_dump(f"{user}db"))
    dump = pg_dump("c") if pg else None
    if dump:
        add(tar, f"./{site}_postgres_{user}pg", dump)
    add(tar, f"./{site}_dns", f"$ORIGIN {site}.\n@ IN A 192.0.2.20\n")
    add(tar, f"./{site}_ssl_cert", "-----BEGIN CERTIFICATE-----\ninvented\n-----END CERTIFICATE-----\n")


def plesk(tar, site):
    ts = "2612011200"
    info = f"""<?xml version="1.0" encoding="UTF-8"?>
<migration-dump agent-name="PleskX" dump-version="18.0.60" dump-original-version="18.0.60" content-included="true">
  <admin><domains><domain name="{site}" guid="7f3c1a2e-1111-2222-3333-444455556666">
    <mailsystem><properties/><mailusers><mailuser name="info" mailbox-quota="-1"/><mailuser name="sales" mailbox-quota="-1"/></mailusers></mailsystem>
    <databases><database name="shopdb" type="mysql" version="10.11"><db-server type="mysql"><host>localhost</host><port>3306</port></db-server></database>
      <database name="pgshop" type="postgresql" version="15"/></databases>
    <dns-zone serial="1" type="master"/>
    <certificates><certificate name="{site}"/></certificates>
  </domain></domains></admin>
</migration-dump>
"""
    add(tar, f"backup_info_{ts}.xml", info)
    web = tar_bytes(lambda t: add_tree(t, "", {**{f"httpdocs/{k}": v for k, v in web_files(site).items()}, "logs/access_log": "GET /\n"}), tarfile.USTAR_FORMAT)
    add(tar, f"domains/{site}/backup_user-data_{ts}.tzst", b"PLESK-CONTENT-HEADER\x00\x01\x02\x03" + zst(web))
    for user, pack in [("info", gz), ("sales", zst)]:
        box = tar_bytes(lambda t, u=user: add_tree(t, "", {**mailbox(u, site), "tmp/.keep": ""}), tarfile.USTAR_FORMAT)
        add(tar, f"domains/{site}/mailnames/{user}/backup_mailbox_{ts}.{'tgz' if pack is gz else 'tzst'}", pack(box))
    add(tar, f"domains/{site}/databases/shopdb_1/backup_sqldump_{ts}.tzst", zst(mysql_dump("shopdb")))
    plain = pg_dump("p")  # Plesk dumps PostgreSQL as plain SQL
    if plain:
        add(tar, f"domains/{site}/databases/pgshop_2/backup_sqldump_{ts}.tgz", gz(plain))


def realistic():
    write(f"{OUT}/cpanel/cpmove-alice.tar.gz", gz(tar_bytes(lambda t: cpanel_account(t, "alice", "alice-shop.test", False))))
    write(f"{OUT}/cpanel/cpmove-dave.tar.gz", gz(tar_bytes(lambda t: cpanel_account(t, "dave", "dave-deli.test", False))))
    write(f"{OUT}/cpanel/backup-12.1.2026_10-00-00_bob.tar.gz", gz(tar_bytes(lambda t: cpanel_account(t, "bob", "bob-blog.test", True, pg=False))))
    carol = f"{OUT}/cpanel/unpacked"
    with tarfile.open(fileobj=io.BytesIO(tar_bytes(lambda t: cpanel_account(t, "carol", "carol-cafe.test", False, pg=False)))) as t:
        t.extractall(carol, filter="fully_trusted")
    write(f"{OUT}/virtualmin/virtualmin-all.tar.gz", gz(tar_bytes(lambda t: virtualmin(t, "vm-shop.test", "dir.tar"))))
    write(f"{OUT}/virtualmin/vm-blog.test.tar.zst", zst(tar_bytes(lambda t: virtualmin(t, "vm-blog.test", "dir", pg=False))))
    write(f"{OUT}/plesk/plesk-export.tar", tar_bytes(lambda t: plesk(t, "plesk-shop.test"), tarfile.USTAR_FORMAT))


def hostile():
    h = f"{OUT}/hostile"

    def account(extra):
        def build(t):
            top = cpanel_account(t, "eve", "eve-site.test", False, pg=False)
            extra(t, top)
        return tar_bytes(build)

    write(f"{h}/traversal.tar.gz", gz(account(lambda t, top: add(t, f"{top}homedir/public_html/../../../../../tmp/evil.txt", "pwned"))))
    write(f"{h}/absolute.tar", account(lambda t, top: add(t, "/tmp/evil-absolute.txt", "pwned")))
    write(f"{h}/links-out.tar.gz", gz(account(lambda t, top: (
        add(t, f"{top}homedir/public_html/passwd", kind=tarfile.SYMTYPE, link="/etc/passwd"),
        add(t, f"{top}homedir/public_html/up", kind=tarfile.SYMTYPE, link="../../../../../../etc"),
        add(t, f"{top}homedir/public_html/hard", kind=tarfile.LNKTYPE, link="../../etc/shadow")))))
    # Dumps that try to run shell commands through the client (mariadb's \! and psql's \!): refused, never run.
    write(f"{h}/shell-in-mysql.tar.gz", gz(account(lambda t, top:
        add(t, f"{top}mysql/evil.sql", b"CREATE TABLE t (id int);\n\\! touch /tmp/bp-import-pwned-mysql\nINSERT INTO t VALUES (1);\n"))))
    write(f"{h}/shell-in-psql.tar.gz", gz(account(lambda t, top:
        add(t, f"{top}psql/evilpg.sql", b"CREATE TABLE t (id int);\n\\! touch /tmp/bp-import-pwned-psql\nINSERT INTO t VALUES (1);\n"))))
    # A program made setuid/setgid root by the archive: imported without the bits, owned by the domain's owner.
    def setuid(t, top):
        for name, mode in (("x", 0o4755), ("y", 0o2755)):
            info = tarfile.TarInfo(f"{top}homedir/public_html/{name}")
            data = b"#!/bin/sh\nid\n"
            info.mtime, info.mode, info.size = MTIME, mode, len(data)
            info.uid, info.gid, info.uname, info.gname = 0, 0, "root", "root"
            t.addfile(info, io.BytesIO(data))
    write(f"{h}/setuid.tar.gz", gz(account(setuid)))
    write(f"{h}/devices.tar", account(lambda t, top: (
        add(t, f"{top}homedir/public_html/null", kind=tarfile.CHRTYPE), add(t, f"{top}homedir/public_html/pipe", kind=tarfile.FIFOTYPE))))
    write(f"{h}/non-utf8.tar", account(lambda t, top: add(t, f"{top}homedir/public_html/caf\udce9-latin1.txt", "latin-1 name")))
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", mtime=0) as z:
        account_file = b"USER=eve\nDNS=eve-site.test\n"
        first = tarfile.TarInfo("cpmove-eve/cp/eve")
        first.size, first.mtime = len(account_file), MTIME
        z.write(first.tobuf(tarfile.GNU_FORMAT) + account_file + bytes(512 - len(account_file)))
        info = tarfile.TarInfo("cpmove-eve/homedir/public_html/zeros.bin")
        info.size, info.mtime = 512 << 20, MTIME
        z.write(info.tobuf(tarfile.GNU_FORMAT))
        chunk = bytes(1 << 20)
        for _ in range(512):
            z.write(chunk)
        z.write(bytes(1024))
    write(f"{h}/bomb.tar.gz", bomb.getvalue())
    good = gz(account(lambda t, top: None))
    write(f"{h}/truncated.tar.gz", good[: len(good) * 6 // 10])
    corrupt = bytearray(good)
    for i in range(len(corrupt) // 2, len(corrupt) // 2 + 64):
        corrupt[i] ^= 0x5A
    write(f"{h}/corrupt.tar.gz", bytes(corrupt))
    write(f"{h}/ambiguous.tar.gz", gz(account(lambda t, top: add(t, "./eve-site.test_virtualmin", "dom=eve-site.test\n"))))
    write(f"{h}/unknown.tar.gz", gz(tar_bytes(lambda t: add_tree(t, "project/", {"README.md": "# a project\n", "src/main.c": "int main(){}\n"}))))
    write(f"{h}/not-an-archive.bin", bytes(rng.getrandbits(8) for _ in range(4096)))
    write(f"{h}/archive.zip", b"PK\x03\x04" + bytes(100))
    write(f"{h}/empty.tar.gz", b"")


if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    realistic()
    hostile()
    print(f"import fixtures written to {OUT}")
