-- Classes (app/classroom/records.py): a class is found by its join code from any process or replica, and outlives
-- a restart, so it lives in the store next to the scenes (PostgreSQL across machines, the SQLite file across the
-- processes of one machine); what happens live in a class goes through the broker, never through these tables.
CREATE TABLE classes (
    code        TEXT PRIMARY KEY,   -- 6 characters a class can type (app/classroom/records.py CODE_ALPHABET)
    token_hash  TEXT NOT NULL,      -- SHA-256 (hex) of the teacher's token; the token is never stored
    title       TEXT NOT NULL,
    state       TEXT NOT NULL,      -- JSON: the class's mode, pushed scene, anonymous names, spotlight
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE class_members (
    id          TEXT PRIMARY KEY,   -- 12 URL-safe random characters (as a scene id): the learner's key in the class
    class_code  TEXT NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    joined_at   TEXT NOT NULL
);

CREATE INDEX class_members_by_class ON class_members (class_code, joined_at);
