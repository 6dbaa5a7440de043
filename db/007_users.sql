-- 007_users.sql — staff accounts (issue 14): who may log in to the office
-- server, with which role, and the state of their login failures.
-- The part both databases run; then pg/007_users.sql (its trigger and
-- privileges) in the same transaction.
--
-- role: reception | pk | head | admin (bk_role, base/domain.c). A pk names
-- the officer they act as; no other role does.
-- pw_hash: the Argon2id encoded string ($argon2id$v=19$m=...,t=...,p=...$salt$hash),
-- which carries its own parameters; never shown by any command or view.
-- failed: login failures since the last success or unlock; locked_until: the
-- UTC instant the lockout ends (NULL = not locked).

CREATE TABLE users (
    name         TEXT PRIMARY KEY,
    role         TEXT NOT NULL CHECK (role IN ('reception', 'pk', 'head', 'admin')),
    officer_id   TEXT REFERENCES officers(id),
    pw_hash      TEXT NOT NULL CHECK (pw_hash LIKE '$argon2id$%'),
    disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed       INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
    locked_until TEXT,
    created_at   TEXT NOT NULL,
    changed_at   TEXT NOT NULL,
    CHECK ((role = 'pk' AND officer_id IS NOT NULL) OR (role <> 'pk' AND officer_id IS NULL))
);
