-- The catalog as schema steps 1-6 left it (kiosk/catalog/src/schema.cpp; old steps never change):
-- tests/sync/data/catalog_schema_4.sql, then steps 5 and 6 verbatim. For the migration test of
-- step 7 onwards (tests/display/feed_test.cpp).

CREATE TABLE import_runs (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  volume        TEXT NOT NULL DEFAULT '',
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  state         TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running','done','failed','cancelled')),
  total         INTEGER NOT NULL DEFAULT 0,
  imported      INTEGER NOT NULL DEFAULT 0,
  duplicates    INTEGER NOT NULL DEFAULT 0,
  rejected      INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE import_rejections (
  run_id  INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
  file    TEXT NOT NULL,
  reason  TEXT NOT NULL
);
CREATE TABLE photos (
  id             INTEGER PRIMARY KEY,
  sha256         TEXT NOT NULL UNIQUE,
  format         TEXT NOT NULL,
  width          INTEGER NOT NULL,
  height         INTEGER NOT NULL,
  captured_at    TEXT,
  imported_at    TEXT NOT NULL,
  camera_make    TEXT,
  camera_model   TEXT,
  rating         INTEGER,
  protected      INTEGER NOT NULL DEFAULT 0,
  had_gps        INTEGER NOT NULL DEFAULT 0,
  source_volume  TEXT NOT NULL DEFAULT '',
  source_path    TEXT NOT NULL DEFAULT '',
  import_run_id  INTEGER REFERENCES import_runs(id) ON DELETE SET NULL,
  hidden         INTEGER NOT NULL DEFAULT 0,
  featured       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX photos_by_import ON photos(imported_at);
CREATE TABLE photo_files (
  photo_id       INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  role           TEXT NOT NULL CHECK (role IN ('original','raw','screen','thumb')),
  relative_path  TEXT NOT NULL,
  bytes          INTEGER NOT NULL,
  width          INTEGER NOT NULL DEFAULT 0,
  height         INTEGER NOT NULL DEFAULT 0,
  sha256         TEXT NOT NULL,
  PRIMARY KEY (photo_id, role)
);
CREATE INDEX photo_files_by_sha ON photo_files(sha256);
-- The uploader's queue: filled in the same transaction as the photo (see docs/architecture.md).
CREATE TABLE upload_jobs (
  id         INTEGER PRIMARY KEY,
  photo_id   INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  role       TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','uploading','done','failed')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  UNIQUE (photo_id, role)
);

ALTER TABLE photos ADD COLUMN approved INTEGER NOT NULL DEFAULT 1;
ALTER TABLE import_runs ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN bytes_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN bytes_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN current_file TEXT NOT NULL DEFAULT '';
ALTER TABLE import_runs ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE import_runs ADD COLUMN updated_at TEXT;
CREATE INDEX import_runs_by_state ON import_runs(state);

CREATE TABLE card_files (
  volume       TEXT NOT NULL,
  source_path  TEXT NOT NULL,
  bytes        INTEGER NOT NULL,
  run_id       INTEGER REFERENCES import_runs(id) ON DELETE SET NULL,
  PRIMARY KEY (volume, source_path, bytes)
) WITHOUT ROWID;

CREATE TABLE galleries (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  preset        TEXT NOT NULL DEFAULT '',
  all_photos    INTEGER NOT NULL DEFAULT 1,
  view_limit    INTEGER,
  views_used    INTEGER NOT NULL DEFAULT 0,
  expires_at    INTEGER,
  release_at    INTEGER,
  window_start  INTEGER,
  window_end    INTEGER,
  download      INTEGER NOT NULL DEFAULT 0,
  strip_gps     INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);
CREATE TABLE gallery_tokens (
  id            INTEGER PRIMARY KEY,
  gallery_id    INTEGER NOT NULL REFERENCES galleries(id) ON DELETE CASCADE,
  token_hash    TEXT NOT NULL UNIQUE,
  single_use    INTEGER NOT NULL DEFAULT 0,
  bound_device  TEXT,
  created_at    TEXT NOT NULL
);
CREATE TABLE gallery_photos (
  gallery_id    INTEGER NOT NULL REFERENCES galleries(id) ON DELETE CASCADE,
  photo_id      INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  section       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (gallery_id, photo_id)
);
CREATE TABLE gallery_generation (n INTEGER NOT NULL);
INSERT INTO gallery_generation VALUES (0);
CREATE TABLE access_events (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  gallery_id    INTEGER,
  token_id      INTEGER,
  photo_id      INTEGER,
  kind          TEXT NOT NULL CHECK (kind IN ('open','view','download','refused')),
  device        TEXT NOT NULL DEFAULT '',
  browser       TEXT NOT NULL DEFAULT '',
  client        TEXT NOT NULL DEFAULT '',
  detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_events_by_kind ON access_events(kind, gallery_id);
CREATE TABLE web_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);

-- step 5
CREATE TABLE import_runs_v5 (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  volume        TEXT NOT NULL DEFAULT '',
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  state         TEXT NOT NULL DEFAULT 'running'
                CHECK (state IN ('running','disk_full','done','failed','cancelled')),
  total         INTEGER NOT NULL DEFAULT 0,
  imported      INTEGER NOT NULL DEFAULT 0,
  duplicates    INTEGER NOT NULL DEFAULT 0,
  rejected      INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0,
  done          INTEGER NOT NULL DEFAULT 0,
  bytes_done    INTEGER NOT NULL DEFAULT 0,
  bytes_total   INTEGER NOT NULL DEFAULT 0,
  current_file  TEXT NOT NULL DEFAULT '',
  message       TEXT NOT NULL DEFAULT '',
  updated_at    TEXT,
  reader        TEXT NOT NULL DEFAULT ''
);
INSERT INTO import_runs_v5 (id, source, volume, started_at, finished_at, state, total, imported, duplicates,
                            rejected, skipped, done, bytes_done, bytes_total, current_file, message, updated_at)
  SELECT id, source, volume, started_at, finished_at, state, total, imported, duplicates,
         rejected, skipped, done, bytes_done, bytes_total, current_file, message, updated_at FROM import_runs;
DROP TABLE import_runs;
ALTER TABLE import_runs_v5 RENAME TO import_runs;
CREATE INDEX import_runs_by_state ON import_runs(state);

-- step 6
CREATE TABLE portal_clients (client TEXT PRIMARY KEY, landed_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE photo_generation (n INTEGER NOT NULL);
INSERT INTO photo_generation VALUES (0);
CREATE TRIGGER photos_added AFTER INSERT ON photos BEGIN UPDATE photo_generation SET n = n + 1; END;
CREATE TRIGGER photos_removed AFTER DELETE ON photos BEGIN UPDATE photo_generation SET n = n + 1; END;
CREATE TRIGGER photos_shown_or_hidden AFTER UPDATE OF hidden, approved ON photos
  BEGIN UPDATE photo_generation SET n = n + 1; END;
CREATE TRIGGER photo_files_changed AFTER INSERT ON photo_files BEGIN UPDATE photo_generation SET n = n + 1; END;
