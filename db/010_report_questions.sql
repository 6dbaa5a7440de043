-- 010_report_questions.sql — the wajib lapor questions (issue 12 item 9).
-- The part both databases run; then pg/010_report_questions.sql (triggers,
-- privileges, the kiosk's write function, the staff's read view).
--
-- report_questions: the office's short yes/no questions the kiosk asks
-- before the ticket of a `report` visit, one per screen, in `pos` order, in
-- Indonesian (text_id) and English (text_en). `bapasctl questions` lists
-- and sets them (as the owner on PostgreSQL). A question is never deleted
-- (answers refer to it): `active = 0` stops asking it.
-- ticket_answers: one row per question answered for a ticket; answer 1 =
-- "Ya" (a flag for the PK), 0 = "Tidak". No rows for a report ticket = the
-- questions were not answered (the client walked away, the save failed).
-- Personal data: never on the board, the slip, the voice or in a log; on
-- PostgreSQL owner-only, read through bk_answers_seen.

CREATE TABLE report_questions (
    id         INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 999),
    pos        INTEGER NOT NULL CHECK (pos BETWEEN 1 AND 99),
    text_id    TEXT NOT NULL CHECK (length(text_id) BETWEEN 1 AND 160),
    text_en    TEXT NOT NULL CHECK (length(text_en) BETWEEN 1 AND 160),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    changed_at TEXT NOT NULL
);

INSERT INTO report_questions(id, pos, text_id, text_en, active, changed_at) VALUES
    (1, 1, 'Apakah alamat Anda berubah?', 'Has your address changed?', 1, '2026-12-04T00:00:00Z'),
    (2, 2, 'Apakah pekerjaan Anda berubah?', 'Has your job changed?', 1, '2026-12-04T00:00:00Z'),
    (3, 3, 'Apakah Anda berurusan dengan polisi sejak lapor terakhir?',
        'Have you had any dealings with the police since your last report?', 1,
        '2026-12-04T00:00:00Z'),
    (4, 4, 'Apakah Anda butuh bantuan (kesehatan, pekerjaan, keluarga)?',
        'Do you need help (health, work, family)?', 1, '2026-12-04T00:00:00Z');

CREATE TABLE ticket_answers (
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    question_id INTEGER NOT NULL REFERENCES report_questions(id),
    answer      INTEGER NOT NULL CHECK (answer IN (0, 1)),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (ticket_id, question_id)
);
CREATE INDEX ticket_answers_question ON ticket_answers(question_id, answer);
