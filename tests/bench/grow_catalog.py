#!/usr/bin/env python3
"""Grows a venuekiosk catalog to COUNT photos, fast, for benchmarks.

    grow_catalog.py CATALOG_DB COUNT

Each generated photo is a row that reuses a real imported photo's screen copy and original
(one of the first 50), so the catalog's size is real while the disk holds a few files. With
THUMBS=1 each photo's thumbnail is its own copy, so a web benchmark serves distinct files.
"""
import os, shutil, sqlite3, sys
db_path, target = sys.argv[1], int(sys.argv[2])
data = os.path.dirname(db_path)
db = sqlite3.connect(db_path)
have = db.execute("SELECT count(*) FROM photos").fetchone()[0]
templates = db.execute("SELECT id FROM photos ORDER BY id LIMIT 50").fetchall()
cols = [r[1] for r in db.execute("PRAGMA table_info(photos)") if r[1] not in ("id", "sha256", "source_path")]
fcols = [r[1] for r in db.execute("PRAGMA table_info(photo_files)") if r[1] not in ("photo_id", "relative_path")]
own_thumbs = os.environ.get("THUMBS") == "1"
os.makedirs(os.path.join(data, "bench-thumbs"), exist_ok=True)
with db:
    for n in range(have, target):
        src = templates[n % len(templates)][0]
        cur = db.execute(f"INSERT INTO photos ({','.join(cols)}, sha256, source_path) "
                         f"SELECT {','.join(cols)}, printf('%064x', ?), 'bench/' || ? FROM photos WHERE id = ?", (n, n, src))
        pid = cur.lastrowid
        for role, rel in db.execute("SELECT role, relative_path FROM photo_files WHERE photo_id = ?", (src,)).fetchall():
            if role == "thumb" and own_thumbs:
                new_rel = f"bench-thumbs/{pid}.jpg"
                shutil.copyfile(os.path.join(data, rel), os.path.join(data, new_rel))
                rel = new_rel
            db.execute(f"INSERT INTO photo_files (photo_id, relative_path, {','.join(fcols)}) "
                       f"SELECT ?, ?, {','.join(fcols)} FROM photo_files WHERE photo_id = ? AND role = ?", (pid, rel, src, role))
