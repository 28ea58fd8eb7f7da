-- Saved scenes (app/store). The same statements run on SQLite and PostgreSQL: times are ISO 8601 UTC text
-- written by the app (both sort them alike), the scene itself is JSON text kept byte for byte.
CREATE TABLE scenes (
    id             TEXT PRIMARY KEY,              -- 12 URL-safe characters, 72 random bits (app/store/keys.py)
    token_hash     TEXT NOT NULL,                 -- SHA-256 (hex) of the edit token; the token is never stored
    kind           TEXT NOT NULL DEFAULT 'scene', -- 'scene': saved through /api/scenes; the classroom adds its own
    class_id       TEXT,                          -- the class a classroom scene belongs to; NULL for a saved scene
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,                 -- JSON {"config", "weights", "history"}
    size           BIGINT NOT NULL,               -- bytes of title and body (UTF-8)
    has_weights    BOOLEAN NOT NULL,
    history_points INTEGER NOT NULL,              -- epochs the history keeps (0: no history)
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE INDEX scenes_by_class ON scenes (class_id, kind, created_at);
