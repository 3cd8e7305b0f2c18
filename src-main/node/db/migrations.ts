/**
 * Numbered schema migrations, plain SQL. `PRAGMA user_version` holds the number of the last one
 * applied. Never edit a shipped migration: add the next one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'items, append-only label events, splits, imports, runs',
    sql: /* sql */ `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE label_set (
        name     TEXT PRIMARY KEY,
        key      TEXT NOT NULL UNIQUE,
        color    TEXT NOT NULL,
        position INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE imports (
        id         INTEGER PRIMARY KEY,
        file       TEXT NOT NULL,
        format     TEXT NOT NULL,
        encoding   TEXT,
        options    TEXT NOT NULL,
        summary    TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      -- A text is stored once: hash is SHA-256 of the stored (trimmed, LF-normalised) text.
      CREATE TABLE items (
        id          INTEGER PRIMARY KEY,
        hash        BLOB NOT NULL UNIQUE,
        text        TEXT NOT NULL,
        external_id TEXT,
        metadata    TEXT,
        import_id   INTEGER REFERENCES imports(id),
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX items_external_id ON items(external_id) WHERE external_id IS NOT NULL;

      -- One user action (a key press, a bulk label, an import, an undo) groups its label events,
      -- so undo can revert exactly what one action did.
      CREATE TABLE label_actions (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        annotator  TEXT NOT NULL,
        created_at TEXT NOT NULL,
        reverts    INTEGER REFERENCES label_actions(id),
        import_id  INTEGER REFERENCES imports(id)
      ) STRICT;
      CREATE INDEX label_actions_reverts ON label_actions(reverts) WHERE reverts IS NOT NULL;

      -- Append-only: a label change, a removal (label NULL) or an undo is a new row.
      CREATE TABLE label_events (
        id         INTEGER PRIMARY KEY,
        item_id    INTEGER NOT NULL REFERENCES items(id),
        action_id  INTEGER NOT NULL REFERENCES label_actions(id),
        label      TEXT,
        annotator  TEXT NOT NULL,
        origin     TEXT NOT NULL CHECK (origin IN ('manual','import','bulk','model','model-accepted','review','undo')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX label_events_item ON label_events(item_id, id);
      CREATE INDEX label_events_action ON label_events(action_id);

      CREATE TRIGGER label_events_append_only_update BEFORE UPDATE ON label_events
      BEGIN SELECT RAISE(ABORT, 'label events are append-only'); END;
      CREATE TRIGGER label_events_append_only_delete BEFORE DELETE ON label_events
      BEGIN SELECT RAISE(ABORT, 'label events are append-only'); END;

      -- Derived index of each item's newest event, kept by a trigger so the current-label view
      -- stays a primary-key join at a million events instead of a GROUP BY over all of them.
      -- No foreign keys: the trigger is its only writer, and the checks cost a third of an import.
      CREATE TABLE latest_label_event (
        item_id  INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL
      ) STRICT;
      CREATE TRIGGER label_events_latest AFTER INSERT ON label_events
      BEGIN
        INSERT INTO latest_label_event(item_id, event_id) VALUES (NEW.item_id, NEW.id)
        ON CONFLICT(item_id) DO UPDATE SET event_id = excluded.event_id;
      END;

      CREATE VIEW current_labels AS
        SELECT l.item_id, e.label, e.annotator, e.origin, e.created_at, e.id AS event_id
        FROM latest_label_event l JOIN label_events e ON e.id = l.event_id
        WHERE e.label IS NOT NULL;

      -- Once assigned, an item keeps its split (no leakage between runs as the project grows).
      CREATE TABLE item_splits (
        item_id INTEGER PRIMARY KEY REFERENCES items(id),
        split   TEXT NOT NULL CHECK (split IN ('train','validation','test')),
        source  TEXT NOT NULL CHECK (source IN ('auto','import'))
      ) STRICT;

      CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued','running','done','failed','cancelled')),
        hyperparameters TEXT NOT NULL,
        seed            INTEGER NOT NULL,
        backend         TEXT,
        snapshot_hash   TEXT NOT NULL,
        snapshot_size   INTEGER NOT NULL,
        parent_run_id   INTEGER REFERENCES runs(id),
        app_version     TEXT NOT NULL,
        started_at      TEXT NOT NULL,
        finished_at     TEXT,
        error           TEXT,
        metrics         TEXT,
        -- The process that records this run, to tell a live run from one whose app was killed.
        owner_pid       INTEGER
      ) STRICT;

      -- The exact (item, label, split) rows a run trained and evaluated on.
      CREATE TABLE run_snapshot (
        run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id),
        label   TEXT NOT NULL,
        split   TEXT NOT NULL,
        PRIMARY KEY (run_id, item_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE run_epochs (
        run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch   INTEGER NOT NULL,
        metrics TEXT NOT NULL,
        PRIMARY KEY (run_id, epoch)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE run_predictions (
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        item_id       INTEGER NOT NULL REFERENCES items(id),
        split         TEXT NOT NULL,
        label         TEXT NOT NULL,
        predicted     TEXT NOT NULL,
        probabilities BLOB NOT NULL,
        PRIMARY KEY (run_id, item_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE models (
        run_id     INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        format     TEXT NOT NULL,
        model_json TEXT NOT NULL,
        weights    BLOB NOT NULL,
        tokenizer  TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'full-text search: a trigram FTS5 index over item texts, filled in the background',
    sql: /* sql */ `
      -- Trigram: substring matching that works for languages written without spaces (干净 inside
      -- 酒店很干净) as well as for English, case-insensitively. Trigram phrases need detail=full.
      -- External content: the index stores no second copy of the texts.
      -- Two sentinel characters after each text: a one- or two-character term at the very end
      -- still starts a trigram, which is how short terms are looked up (see search.ts).
      CREATE VIEW items_search_text AS SELECT id, text || char(3, 3) AS text FROM items;
      CREATE VIRTUAL TABLE items_fts USING fts5(
        text,
        content = 'items_search_text',
        content_rowid = 'id',
        tokenize = 'trigram',
        detail = full
      );
      -- The index's trigrams, for "every trigram starting with 净" (a range scan).
      CREATE VIRTUAL TABLE items_fts_vocab USING fts5vocab(items_fts, row);

      -- Items with id <= indexed_upto are in items_fts. The index is filled after the fact, in
      -- small time-sliced batches, not by an insert trigger: indexing a review costs about as much
      -- as importing it ten times over (measured: 34,000 reviews/s import, 3,900/s trigram), and
      -- searches scan the few not-yet-indexed items directly, so results are never missing.
      -- Upgraded projects start at 0 and get their existing items indexed the same way.
      CREATE TABLE search_index_state (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_upto INTEGER NOT NULL
      ) STRICT;
      INSERT INTO search_index_state(id, indexed_upto) VALUES (1, 0);

      -- The high-water mark is only right while ids only grow and texts never change: a deleted
      -- newest item would hand its id to the next insert, and an edited text would leave stale
      -- trigrams behind. Texts are content-addressed (hash) and referenced by label events anyway.
      CREATE TRIGGER items_text_immutable BEFORE UPDATE OF text, hash ON items
      BEGIN SELECT RAISE(ABORT, 'item texts cannot change: import the new text as a new item'); END;
      CREATE TRIGGER items_insert_only BEFORE DELETE ON items
      BEGIN SELECT RAISE(ABORT, 'items cannot be deleted: they are referenced by label events and runs'); END;
    `,
  },
  {
    version: 3,
    description: 'labelled-item counts per label, split and split source, kept by triggers',
    sql: /* sql */ `
      -- What the summary shows and split assignment balances against, after every key press.
      -- Counting current_labels instead took 140 ms at 100,000 labelled items (measured); this
      -- is a handful of rows. split and source are '' until the item has a split.
      CREATE TABLE label_counts (
        label  TEXT NOT NULL,
        split  TEXT NOT NULL,
        source TEXT NOT NULL,
        n      INTEGER NOT NULL,
        PRIMARY KEY (label, split, source)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO label_counts(label, split, source, n)
        SELECT c.label, coalesce(s.split, ''), coalesce(s.source, ''), COUNT(*) FROM current_labels c
        LEFT JOIN item_splits s ON s.item_id = c.item_id GROUP BY 1, 2, 3;

      -- BEFORE, so latest_label_event still points at the label the item had until now.
      CREATE TRIGGER label_counts_event BEFORE INSERT ON label_events
      BEGIN
        UPDATE label_counts SET n = n - 1
        WHERE label = (SELECT e.label FROM latest_label_event l JOIN label_events e ON e.id = l.event_id
                       WHERE l.item_id = NEW.item_id)
          AND split = coalesce((SELECT split FROM item_splits WHERE item_id = NEW.item_id), '')
          AND source = coalesce((SELECT source FROM item_splits WHERE item_id = NEW.item_id), '');
        INSERT INTO label_counts(label, split, source, n)
          SELECT NEW.label, coalesce(s.split, ''), coalesce(s.source, ''), 1
          FROM (SELECT 1) LEFT JOIN item_splits s ON s.item_id = NEW.item_id
          WHERE NEW.label IS NOT NULL
          ON CONFLICT(label, split, source) DO UPDATE SET n = n + 1;
      END;

      -- A labelled item getting its split moves out of '' (splits never change afterwards).
      CREATE TRIGGER label_counts_split AFTER INSERT ON item_splits
      BEGIN
        UPDATE label_counts SET n = n - 1
        WHERE split = '' AND source = '' AND label = (SELECT e.label FROM latest_label_event l
                                      JOIN label_events e ON e.id = l.event_id WHERE l.item_id = NEW.item_id);
        INSERT INTO label_counts(label, split, source, n)
          SELECT e.label, NEW.split, NEW.source, 1 FROM latest_label_event l JOIN label_events e ON e.id = l.event_id
          WHERE l.item_id = NEW.item_id AND e.label IS NOT NULL
          ON CONFLICT(label, split, source) DO UPDATE SET n = n + 1;
      END;
    `,
  },
  {
    version: 4,
    description: 'studies: learning curves and hyperparameter searches as planned series of runs',
    sql: /* sql */ `
      CREATE TABLE studies (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('learning-curve','search')),
        status      TEXT NOT NULL CHECK (status IN ('running','done','cancelled','failed','interrupted')),
        request     TEXT NOT NULL,
        note        TEXT,
        created_at  TEXT NOT NULL,
        finished_at TEXT,
        error       TEXT,
        -- As for runs: tells a study in progress from one whose app was killed.
        owner_pid   INTEGER
      ) STRICT;

      -- Planned up front, so a stopped study resumes with the same trials. run_id is set when the
      -- trial starts; deleting the run leaves the trial marked as run (started = 1) without it.
      CREATE TABLE study_trials (
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        trial    INTEGER NOT NULL,
        params   TEXT NOT NULL,
        started  INTEGER NOT NULL DEFAULT 0,
        run_id   INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        PRIMARY KEY (study_id, trial)
      ) STRICT;
      CREATE INDEX study_trials_run ON study_trials(run_id);
    `,
  },
  {
    version: 5,
    description: 'pre-labels: a model\'s suggestion for an unlabelled item, shown while annotating',
    sql: /* sql */ `
      -- Never a label: accepting one appends a label event (origin model-accepted). One per item,
      -- the newest scoring wins; source names the model (run 12, or a bundle's folder).
      CREATE TABLE prelabels (
        item_id       INTEGER PRIMARY KEY REFERENCES items(id),
        label         TEXT NOT NULL,
        confidence    REAL NOT NULL,
        -- Top probability minus the runner-up: small means the model is unsure (the useful-next queue).
        margin        REAL NOT NULL,
        probabilities BLOB NOT NULL,
        source        TEXT NOT NULL,
        created_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX prelabels_margin ON prelabels(margin);
    `,
  },
  {
    version: 6,
    description: 'who labelled: an index for the summary\'s list of annotators',
    sql: /* sql */ `
      -- The summary (sent after every label) lists who labelled by hand. Read from label_events
      -- it scanned every event: 85 ms at a million imported labels (measured), on every key
      -- press. Through this index it is a few seeks per annotator (see Project.summary). On
      -- label_actions (a row per import, not per imported label), so imports do not pay for it:
      -- the same index on label_events cost them a tenth of their speed.
      CREATE INDEX label_actions_annotator ON label_actions(annotator, kind);
    `,
  },
  {
    version: 7,
    description: 'the unlabelled queue: its items kept in id order by triggers',
    sql: /* sql */ `
      -- "The next unlabelled item" walked items in id order and looked up each one's label: in a
      -- project of a million labelled reviews followed by new ones, the first unlabelled item took
      -- 720 ms to reach (measured), at every start of the Annotate queue. Kept here by triggers,
      -- it is one seek. Rows mean "no current label": never labelled, or the label was removed.
      -- No foreign key, as for latest_label_event: the triggers are its only writers.
      CREATE TABLE unlabelled_items (
        item_id INTEGER PRIMARY KEY
      ) STRICT;
      INSERT INTO unlabelled_items(item_id)
        SELECT i.id FROM items i LEFT JOIN latest_label_event l ON l.item_id = i.id
        LEFT JOIN label_events e ON e.id = l.event_id WHERE e.label IS NULL;

      -- An insert the ON CONFLICT clause skipped (a text already there) fires nothing.
      CREATE TRIGGER items_unlabelled AFTER INSERT ON items
      BEGIN
        INSERT INTO unlabelled_items(item_id) VALUES (NEW.id);
      END;
      CREATE TRIGGER label_events_unlabelled AFTER INSERT ON label_events
      BEGIN
        DELETE FROM unlabelled_items WHERE NEW.label IS NOT NULL AND item_id = NEW.item_id;
        INSERT OR IGNORE INTO unlabelled_items(item_id) SELECT NEW.item_id WHERE NEW.label IS NULL;
      END;
    `,
  },
  {
    version: 8,
    description: "people's labels in order: what the labelling assistant counts after every label",
    sql: /* sql */ `
      -- The assistant retrains after every N labels given by people since its last refresh, so it
      -- counts them after each label. From label_events that walked every event since, imported
      -- ones too: 171 ms a label at a million imported labels before the first refresh (measured).
      -- Partial, so imports (origin 'import') neither pay for it nor fill it. The condition must
      -- stay the one assistController.ts counts with, or SQLite will not use the index.
      CREATE INDEX label_events_people ON label_events(id)
        WHERE label IS NOT NULL AND origin IN ('manual','bulk','review','model-accepted');
    `,
  },
  {
    version: 9,
    description: "label queues: each label's items kept in id order by triggers",
    sql: /* sql */ `
      -- A label's queue ("positive") walked items in id order and looked up each one's label. At
      -- its end, in a project of a million labelled reviews followed by a million new ones, "next"
      -- walked the million new ones to find nothing (1.3 s, measured) and "back" from there took
      -- 554 ms. As unlabelled_items does for the unlabelled queue, this keeps each label's item
      -- ids in order: a row is an item's current label.
      CREATE TABLE labelled_items (
        label   TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        PRIMARY KEY (label, item_id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO labelled_items(label, item_id) SELECT label, item_id FROM current_labels;

      -- BEFORE, as label_counts_event: latest_label_event still points at the label until now.
      CREATE TRIGGER label_events_labelled BEFORE INSERT ON label_events
      BEGIN
        DELETE FROM labelled_items WHERE item_id = NEW.item_id AND label =
          (SELECT e.label FROM latest_label_event l JOIN label_events e ON e.id = l.event_id WHERE l.item_id = NEW.item_id);
        INSERT OR IGNORE INTO labelled_items(label, item_id) SELECT NEW.label, NEW.item_id WHERE NEW.label IS NOT NULL;
      END;
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;
