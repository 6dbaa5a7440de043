/* store_data.c — office data: import upserts, the roster, report queries,
 * row counts and online backup (see store_data.h for the contract). */
#include "store_data.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_pgdump.h"
#include "store_priv.h"

/* ---- helpers ----------------------------------------------------------- */

static bk_err prepare(store *s, const char *sql, sqlx_stmt **out)
{
    return sqlx_prepare(store_priv_db(s), sql, out);
}

/* Record a failure message that did not come from the database. */
static void errmsg(store *s, const char *msg)
{
    sqlx_errf(store_priv_db(s), "%s", msg);
}

/* ---- duty roster ------------------------------------------------------- */

static bk_err read_weekly(store *s, sqlx_stmt *st, store_data_weekly *w)
{
    char status[STORE_WORD_SZ];
    store_priv_col_text(st, 0, w->officer, sizeof w->officer);
    w->weekday = sqlx_col_int(st, 1);
    store_priv_col_text(st, 2, status, sizeof status);
    store_priv_col_text(st, 3, w->substitute, sizeof w->substitute);
    store_priv_col_text(st, 4, w->note, sizeof w->note);
    if (bk_presence_parse(status, &w->status))
        return store_priv_unknown_word(s, "weekly status", status);
    return BK_OK;
}

bk_err store_data_weekly_get(store *s, const char *officer, int weekday, store_data_weekly *out)
{
    sqlx_stmt *st = NULL;
    bk_err e =
        prepare(s,
                "SELECT officer_id, weekday, status, substitute_id, note FROM officer_weekly "
                "WHERE officer_id = ? AND weekday = ?",
                &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, officer));
    STORE_TRY_OUT(sqlx_bind_int(st, 2, weekday));
    int rc = sqlx_step(st);
    if (rc == SQLX_ROW) {
        memset(out, 0, sizeof *out);
        e = read_weekly(s, st, out);
    } else if (rc == SQLX_DONE) {
        sqlx_errf(store_priv_db(s), "%s", "weekly pattern: not found");
        e = BK_ERR_NOT_FOUND;
    } else {
        e = sqlx_fail(store_priv_db(s), "weekly pattern");
    }
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_weekly_set(store *s, const store_data_weekly *w)
{
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s,
                       "INSERT INTO officer_weekly(officer_id, weekday, status, substitute_id, "
                       "note) VALUES (?, ?, ?, ?, ?) ON CONFLICT(officer_id, weekday) DO UPDATE "
                       "SET status = excluded.status, substitute_id = excluded.substitute_id, "
                       "note = excluded.note",
                       &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, w->officer));
    STORE_TRY_OUT(sqlx_bind_int(st, 2, w->weekday));
    STORE_TRY_OUT(store_priv_bind_copy(st, 3, bk_presence_name(w->status)));
    STORE_TRY_OUT(store_priv_bind_opt_copy(st, 4, w->substitute));
    STORE_TRY_OUT(store_priv_bind_copy(st, 5, w->note));
    e = store_priv_step_done(s, st, "weekly set");
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_weekly_clear(store *s, const char *officer, int weekday)
{
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s, "DELETE FROM officer_weekly WHERE officer_id = ? AND weekday = ?", &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, officer));
    STORE_TRY_OUT(sqlx_bind_int(st, 2, weekday));
    e = store_priv_step_done(s, st, "weekly clear");
    if (!e && (int)sqlx_changes(store_priv_db(s)) == 0) {
        sqlx_errf(store_priv_db(s), "%s", "weekly pattern: not found");
        e = BK_ERR_NOT_FOUND;
    }
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_weekly_list(store *s, const char *officer, store_data_weekly_cb cb, void *ud)
{
    sqlx_stmt *st = NULL;
    bk_err e =
        prepare(s,
                "SELECT officer_id, weekday, status, substitute_id, note FROM officer_weekly "
                "WHERE CAST(?1 AS TEXT) IS NULL OR officer_id = ?1 ORDER BY officer_id, weekday",
                &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_opt_copy(st, 1, officer));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_data_weekly w;
        memset(&w, 0, sizeof w);
        if ((e = read_weekly(s, st, &w)) || (e = cb(ud, &w))) goto out;
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "weekly list");
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_presence_clear(store *s, const char *day, const char *officer)
{
    sqlx_stmt *st = NULL;
    bk_err e =
        prepare(s, "DELETE FROM officer_presence WHERE office_day = ? AND officer_id = ?", &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, day));
    STORE_TRY_OUT(store_priv_bind_copy(st, 2, officer));
    e = store_priv_step_done(s, st, "presence clear");
    if (!e && (int)sqlx_changes(store_priv_db(s)) == 0) {
        sqlx_errf(store_priv_db(s), "%s", "presence: not found");
        e = BK_ERR_NOT_FOUND;
    }
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_presence_list(store *s, const char *from, const char *to,
                                store_data_presence_cb cb, void *ud)
{
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s,
                       "SELECT office_day, officer_id, status, substitute_id, note "
                       "FROM officer_presence WHERE office_day BETWEEN ? AND ? "
                       "ORDER BY office_day, officer_id",
                       &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, from));
    STORE_TRY_OUT(store_priv_bind_copy(st, 2, to));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_presence p;
        memset(&p, 0, sizeof p);
        store_priv_col_text(st, 0, p.day, sizeof p.day);
        store_priv_col_text(st, 1, p.officer, sizeof p.officer);
        char status[STORE_WORD_SZ];
        store_priv_col_text(st, 2, status, sizeof status);
        store_priv_col_text(st, 3, p.substitute, sizeof p.substitute);
        store_priv_col_text(st, 4, p.note, sizeof p.note);
        if (bk_presence_parse(status, &p.status)) {
            e = store_priv_unknown_word(s, "presence status", status);
            goto out;
        }
        if ((e = cb(ud, &p))) goto out;
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "presence list");
out:
    sqlx_finalize(st);
    return e;
}

/* ---- holidays ---------------------------------------------------------- */

const char *store_data_holiday_kind_name(store_data_holiday_kind k)
{
    return k == STORE_DATA_HOL_LIBUR ? "libur" : k == STORE_DATA_HOL_CUTI ? "cuti" : NULL;
}

bk_err store_data_holiday_kind_parse(const char *s, store_data_holiday_kind *out)
{
    if (s && strcmp(s, "libur") == 0) {
        *out = STORE_DATA_HOL_LIBUR;
        return BK_OK;
    }
    if (s && strcmp(s, "cuti") == 0) {
        *out = STORE_DATA_HOL_CUTI;
        return BK_OK;
    }
    return BK_ERR_INVALID;
}

static bk_err read_holiday(store *s, sqlx_stmt *st, store_data_holiday *h)
{
    char kind[STORE_WORD_SZ];
    memset(h, 0, sizeof *h);
    store_priv_col_text(st, 0, h->day, sizeof h->day);
    store_priv_col_text(st, 1, kind, sizeof kind);
    store_priv_col_text(st, 2, h->name, sizeof h->name);
    if (store_data_holiday_kind_parse(kind, &h->kind))
        return store_priv_unknown_word(s, "holiday kind", kind);
    return BK_OK;
}

bk_err store_data_holiday_list(store *s, const char *from, const char *to, store_data_holiday_cb cb,
                               void *ud)
{
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s,
                       "SELECT day, kind, name FROM holidays "
                       "WHERE (CAST(?1 AS TEXT) IS NULL OR day >= ?1) "
                       "AND (CAST(?2 AS TEXT) IS NULL OR day <= ?2) ORDER BY day",
                       &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_opt_copy(st, 1, from));
    STORE_TRY_OUT(store_priv_bind_opt_copy(st, 2, to));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_data_holiday h;
        if ((e = read_holiday(s, st, &h)) || (e = cb(ud, &h))) goto out;
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "holiday list");
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_holiday_put(store *s, const store_data_holiday *h, int *what)
{
    const char *kind = store_data_holiday_kind_name(h->kind);
    if (!kind) {
        errmsg(s, "holiday: bad kind");
        return BK_ERR_INVALID;
    }
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s, "SELECT day, kind, name FROM holidays WHERE day = ?", &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, h->day));
    int rc = sqlx_step(st);
    store_data_holiday old;
    int have = 0;
    if (rc == SQLX_ROW) {
        if ((e = read_holiday(s, st, &old))) goto out;
        have = 1;
    } else if (rc != SQLX_DONE) {
        e = sqlx_fail(store_priv_db(s), "holiday get");
        goto out;
    }
    sqlx_finalize(st);
    st = NULL;
    if (have && old.kind == h->kind && strcmp(old.name, h->name) == 0) {
        *what = STORE_DATA_SAME;
        return BK_OK;
    }
    e = prepare(s,
                have ? "UPDATE holidays SET kind = ?2, name = ?3 WHERE day = ?1"
                     : "INSERT INTO holidays (day, kind, name) VALUES (?1, ?2, ?3)",
                &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, h->day));
    STORE_TRY_OUT(store_priv_bind_copy(st, 2, kind));
    STORE_TRY_OUT(store_priv_bind_copy(st, 3, h->name));
    if ((e = store_priv_step_done(s, st, "holiday put"))) goto out;
    *what = have ? STORE_DATA_UPDATED : STORE_DATA_ADDED;
out:
    sqlx_finalize(st);
    return e;
}

/* ---- import ------------------------------------------------------------ */

enum {
    IM_CLIENT_GET,
    IM_CLIENT_INS,
    IM_CLIENT_UPD,
    IM_SINCE,
    IM_OFFICER_GET,
    IM_OFFICER_INS,
    IM_OFFICER_UPD,
    IM_SEEN,
    IM__COUNT
};

static const char *const im_sql[IM__COUNT] = {
    [IM_CLIENT_GET] = "SELECT no, name, birth_date, program, officer_id, report_every_days, "
                      "last_report, active FROM clients WHERE no = ?",
    [IM_CLIENT_INS] = "INSERT INTO clients(no, name, birth_date, program, officer_id, "
                      "report_every_days, last_report, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [IM_CLIENT_UPD] = "UPDATE clients SET name = ?2, birth_date = ?3, program = ?4, "
                      "officer_id = ?5, report_every_days = ?6, last_report = ?7, active = ?8 "
                      "WHERE no = ?1",
    [IM_SINCE] = "INSERT INTO client_since(client_no, since) VALUES (?, ?) ON CONFLICT DO NOTHING",
    [IM_OFFICER_GET] = "SELECT id, name, room, active FROM officers WHERE id = ?",
    [IM_OFFICER_INS] = "INSERT INTO officers(id, name, room, active) VALUES (?, ?, ?, ?)",
    [IM_OFFICER_UPD] = "UPDATE officers SET name = ?2, room = ?3, active = ?4 WHERE id = ?1",
    [IM_SEEN] = "INSERT INTO bk_import_seen(k) VALUES (?) ON CONFLICT DO NOTHING",
};

struct store_data_import {
    store *s;
    int track_seen;
    sqlx_stmt *st[IM__COUNT];
};

bk_err store_data_import_open(store *s, int track_seen, store_data_import **out)
{
    *out = NULL;
    if (!store_in_tx(s)) {
        sqlx_errf(store_priv_db(s), "%s", "import outside a write transaction");
        return BK_ERR_INTERNAL;
    }
    store_data_import *im = calloc(1, sizeof *im);
    if (!im) return BK_ERR_NOMEM;
    im->s = s;
    im->track_seen = track_seen;
    bk_err e = BK_OK;
    if (track_seen) {
        e = sqlx_exec(store_priv_db(s),
                      "CREATE TEMP TABLE IF NOT EXISTS bk_import_seen(k TEXT PRIMARY KEY);"
                      "DELETE FROM bk_import_seen;",
                      "import seen table");
        if (e) goto fail;
    }
    for (int i = 0; i < IM__COUNT; i++) {
        if (i == IM_SEEN && !track_seen) continue;
        if ((e = sqlx_prepare(store_priv_db(s), im_sql[i], &im->st[i]))) goto fail;
    }
    *out = im;
    return BK_OK;
fail:
    store_data_import_close(im);
    return e;
}

void store_data_import_close(store_data_import *im)
{
    if (!im) return;
    for (int i = 0; i < IM__COUNT; i++)
        sqlx_finalize(im->st[i]);
    free(im);
}

static bk_err mark_seen(store_data_import *im, const char *key)
{
    if (!im->track_seen) return BK_OK;
    store *s = im->s;
    sqlx_stmt *st = im->st[IM_SEEN];
    bk_err e = BK_OK;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, key));
    e = store_priv_step_done(s, st, "import seen");
out:
    return e;
}

bk_err store_data_import_officer(store_data_import *im, const store_officer *o, unsigned given,
                                 int *what, unsigned *changed)
{
    store *s = im->s;
    bk_err e = BK_OK;
    unsigned ch = 0;
    *what = STORE_DATA_SAME;
    sqlx_stmt *get = im->st[IM_OFFICER_GET];
    STORE_TRY_OUT(store_priv_bind_copy(get, 1, o->id));
    int rc = sqlx_step(get);
    if (rc == SQLX_DONE) {
        sqlx_reset(get);
        sqlx_stmt *ins = im->st[IM_OFFICER_INS];
        STORE_TRY_OUT(store_priv_bind_copy(ins, 1, o->id));
        STORE_TRY_OUT(store_priv_bind_copy(ins, 2, o->name));
        STORE_TRY_OUT(store_priv_bind_copy(ins, 3, (given & STORE_DATA_G_ROOM) ? o->room : ""));
        STORE_TRY_OUT(sqlx_bind_int(ins, 4, o->active ? 1 : 0));
        if ((e = store_priv_step_done(s, ins, "officer insert"))) goto out;
        *what = STORE_DATA_ADDED;
    } else if (rc == SQLX_ROW) {
        store_officer old;
        store_priv_col_text(get, 1, old.name, sizeof old.name);
        store_priv_col_text(get, 2, old.room, sizeof old.room);
        old.active = sqlx_col_int(get, 3);
        sqlx_reset(get);
        const char *room = (given & STORE_DATA_G_ROOM) ? o->room : old.room;
        int active = o->active ? 1 : 0;
        if (strcmp(old.name, o->name) != 0) ch |= STORE_DATA_C_NAME;
        if (strcmp(old.room, room) != 0) ch |= STORE_DATA_C_ROOM;
        if (old.active != active) ch |= STORE_DATA_C_ACTIVE;
        if (ch) {
            sqlx_stmt *upd = im->st[IM_OFFICER_UPD];
            STORE_TRY_OUT(store_priv_bind_copy(upd, 1, o->id));
            STORE_TRY_OUT(store_priv_bind_copy(upd, 2, o->name));
            STORE_TRY_OUT(store_priv_bind_copy(upd, 3, room));
            STORE_TRY_OUT(sqlx_bind_int(upd, 4, active));
            if ((e = store_priv_step_done(s, upd, "officer update"))) goto out;
            *what = STORE_DATA_UPDATED;
        }
    } else {
        e = sqlx_fail(store_priv_db(s), "officer get");
        sqlx_reset(get);
        goto out;
    }
    e = mark_seen(im, o->id);
out:
    if (changed) *changed = ch;
    return e;
}

bk_err store_data_import_client(store_data_import *im, const store_client *c, unsigned given,
                                const char *today, int *what, unsigned *changed, char *old_officer)
{
    store *s = im->s;
    bk_err e = BK_OK;
    unsigned ch = 0;
    *what = STORE_DATA_SAME;
    if (old_officer) old_officer[0] = 0;
    sqlx_stmt *get = im->st[IM_CLIENT_GET];
    STORE_TRY_OUT(store_priv_bind_copy(get, 1, c->no));
    int rc = sqlx_step(get);
    if (rc == SQLX_DONE) {
        sqlx_reset(get);
        sqlx_stmt *ins = im->st[IM_CLIENT_INS];
        STORE_TRY_OUT(store_priv_bind_copy(ins, 1, c->no));
        STORE_TRY_OUT(store_priv_bind_copy(ins, 2, c->name));
        STORE_TRY_OUT(store_priv_bind_copy(ins, 3, c->birth));
        STORE_TRY_OUT(store_priv_bind_copy(
            ins, 4,
            bk_program_name((given & STORE_DATA_G_PROGRAM) ? c->program : BK_PROGRAM_OTHER)));
        STORE_TRY_OUT(store_priv_bind_copy(ins, 5, c->officer));
        STORE_TRY_OUT(
            sqlx_bind_int(ins, 6, (given & STORE_DATA_G_EVERY) ? c->report_every_days : 30));
        STORE_TRY_OUT(
            store_priv_bind_opt_copy(ins, 7, (given & STORE_DATA_G_LAST) ? c->last_report : ""));
        STORE_TRY_OUT(sqlx_bind_int(ins, 8, c->active ? 1 : 0));
        if ((e = store_priv_step_done(s, ins, "client insert"))) goto out;
        sqlx_stmt *since = im->st[IM_SINCE];
        STORE_TRY_OUT(store_priv_bind_copy(since, 1, c->no));
        STORE_TRY_OUT(store_priv_bind_copy(since, 2, today));
        if ((e = store_priv_step_done(s, since, "client since"))) goto out;
        *what = STORE_DATA_ADDED;
    } else if (rc == SQLX_ROW) {
        store_client old;
        store_priv_col_text(get, 1, old.name, sizeof old.name);
        store_priv_col_text(get, 2, old.birth, sizeof old.birth);
        char old_program[STORE_WORD_SZ];
        store_priv_col_text(get, 3, old_program, sizeof old_program);
        store_priv_col_text(get, 4, old.officer, sizeof old.officer);
        old.report_every_days = sqlx_col_int(get, 5);
        store_priv_col_text(get, 6, old.last_report, sizeof old.last_report);
        old.active = sqlx_col_int(get, 7);
        sqlx_reset(get);
        if (bk_program_parse(old_program, &old.program)) {
            e = store_priv_unknown_word(s, "client program", old_program);
            goto out;
        }
        bk_program program = (given & STORE_DATA_G_PROGRAM) ? c->program : old.program;
        int every = (given & STORE_DATA_G_EVERY) ? c->report_every_days : old.report_every_days;
        const char *last = old.last_report;
        if ((given & STORE_DATA_G_LAST) && c->last_report[0] &&
            strcmp(c->last_report, old.last_report) > 0)
            last = c->last_report;
        int active = c->active ? 1 : 0;
        if (strcmp(old.name, c->name) != 0) ch |= STORE_DATA_C_NAME;
        if (strcmp(old.birth, c->birth) != 0) ch |= STORE_DATA_C_BIRTH;
        if (old.program != program) ch |= STORE_DATA_C_PROGRAM;
        if (strcmp(old.officer, c->officer) != 0) ch |= STORE_DATA_C_OFFICER;
        if (old.report_every_days != every) ch |= STORE_DATA_C_EVERY;
        if (strcmp(old.last_report, last) != 0) ch |= STORE_DATA_C_LAST;
        if (old.active != active) ch |= STORE_DATA_C_ACTIVE;
        if (ch) {
            sqlx_stmt *upd = im->st[IM_CLIENT_UPD];
            STORE_TRY_OUT(store_priv_bind_copy(upd, 1, c->no));
            STORE_TRY_OUT(store_priv_bind_copy(upd, 2, c->name));
            STORE_TRY_OUT(store_priv_bind_copy(upd, 3, c->birth));
            STORE_TRY_OUT(store_priv_bind_copy(upd, 4, bk_program_name(program)));
            STORE_TRY_OUT(store_priv_bind_copy(upd, 5, c->officer));
            STORE_TRY_OUT(sqlx_bind_int(upd, 6, every));
            STORE_TRY_OUT(store_priv_bind_opt_copy(upd, 7, last));
            STORE_TRY_OUT(sqlx_bind_int(upd, 8, active));
            if ((e = store_priv_step_done(s, upd, "client update"))) goto out;
            *what = STORE_DATA_UPDATED;
            if (old_officer && (ch & STORE_DATA_C_OFFICER))
                snprintf(old_officer, STORE_ID_SZ, "%s", old.officer);
        }
    } else {
        e = sqlx_fail(store_priv_db(s), "client get");
        sqlx_reset(get);
        goto out;
    }
    e = mark_seen(im, c->no);
out:
    if (changed) *changed = ch;
    return e;
}

bk_err store_data_import_end_missing(store_data_import *im, int clients, int *ended,
                                     store_data_key_cb cb, void *ud)
{
    store *s = im->s;
    *ended = 0;
    if (!im->track_seen) {
        sqlx_errf(store_priv_db(s), "%s", "end_missing needs track_seen");
        return BK_ERR_INTERNAL;
    }
    const char *sel = clients ? "SELECT no FROM clients WHERE active = 1 AND no NOT IN "
                                "(SELECT k FROM bk_import_seen) ORDER BY no"
                              : "SELECT id FROM officers WHERE active = 1 AND id NOT IN "
                                "(SELECT k FROM bk_import_seen) ORDER BY id";
    const char *upd = clients ? "UPDATE clients SET active = 0 WHERE active = 1 AND no NOT IN "
                                "(SELECT k FROM bk_import_seen)"
                              : "UPDATE officers SET active = 0 WHERE active = 1 AND id NOT IN "
                                "(SELECT k FROM bk_import_seen)";
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s, sel, &st);
    if (e) return e;
    int rc, n = 0;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        n++;
        if (cb && (e = cb(ud, sqlx_col_text(st, 0)))) goto out;
    }
    if (rc != SQLX_DONE) {
        e = sqlx_fail(store_priv_db(s), "missing keys");
        goto out;
    }
    sqlx_finalize(st);
    st = NULL;
    if ((e = prepare(s, upd, &st))) goto out;
    if ((e = store_priv_step_done(s, st, "end missing"))) goto out;
    *ended = (int)sqlx_changes(store_priv_db(s));
    if (*ended != n) {
        sqlx_errf(store_priv_db(s), "%s", "end missing: count changed while ending");
        e = BK_ERR_INTERNAL;
    }
out:
    sqlx_finalize(st);
    return e;
}

/* ---- reports ----------------------------------------------------------- */

bk_err store_data_tickets_range(store *s, const char *from, const char *to, store_ticket_cb cb,
                                void *ud)
{
    /* A login that may not read the table: the view (names masked by role). */
#define RANGE_SQL(from)                                                                            \
    "SELECT " STORE_PRIV_TICKET_COLS " FROM " from " WHERE office_day BETWEEN ? AND ? "            \
    "ORDER BY office_day, checkin_at, id"
    static const char *const sql[2] = {RANGE_SQL("tickets"), RANGE_SQL("bk_tickets_seen")};
#undef RANGE_SQL
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s, sql[store_priv_tickets_seen(s)], &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, from));
    STORE_TRY_OUT(store_priv_bind_copy(st, 2, to));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_ticket t;
        if ((e = store_priv_read_ticket(s, st, &t)) || (e = cb(ud, &t))) goto out;
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "tickets range");
out:
    sqlx_finalize(st);
    return e;
}

bk_err store_data_reporting_list(store *s, const char *as_of, const char *officer,
                                 store_data_reporting_cb cb, void *ud)
{
    sqlx_stmt *st = NULL;
    bk_err e = prepare(
        s,
        "SELECT c.no, c.name, c.birth_date, c.program, c.officer_id, c.report_every_days, "
        "c.last_report, c.active, COALESCE(o.name, ''), lr.day, cs.since "
        "FROM clients c LEFT JOIN officers o ON o.id = c.officer_id "
        "LEFT JOIN client_since cs ON cs.client_no = c.no "
        /* One pass over the tickets, whatever indexes the planner prefers. */
        "LEFT JOIN (SELECT client_no, MAX(office_day) AS day FROM tickets "
        "           WHERE client_no IS NOT NULL AND office_day <= ?1 AND purpose = 'report' "
        "             AND status = 'done' GROUP BY client_no) lr ON lr.client_no = c.no "
        "WHERE c.active = 1 AND (?2 = '' OR c.officer_id = ?2) ORDER BY c.no",
        &st);
    if (e) return e;
    STORE_TRY_OUT(store_priv_bind_copy(st, 1, as_of));
    STORE_TRY_OUT(store_priv_bind_copy(st, 2, officer ? officer : ""));
    int rc;
    store_data_reporting *r = malloc(sizeof *r);
    if (!r) {
        e = BK_ERR_NOMEM;
        goto out;
    }
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        memset(r, 0, sizeof *r);
        store_priv_col_text(st, 0, r->c.no, sizeof r->c.no);
        store_priv_col_text(st, 1, r->c.name, sizeof r->c.name);
        store_priv_col_text(st, 2, r->c.birth, sizeof r->c.birth);
        char program[STORE_WORD_SZ];
        store_priv_col_text(st, 3, program, sizeof program);
        if (bk_program_parse(program, &r->c.program)) {
            e = store_priv_unknown_word(s, "client program", program);
            break;
        }
        store_priv_col_text(st, 4, r->c.officer, sizeof r->c.officer);
        r->c.report_every_days = sqlx_col_int(st, 5);
        store_priv_col_text(st, 6, r->c.last_report, sizeof r->c.last_report);
        r->c.active = sqlx_col_int(st, 7);
        store_priv_col_text(st, 8, r->officer_name, sizeof r->officer_name);
        char visit[STORE_DAY_SZ];
        store_priv_col_text(st, 9, visit, sizeof visit);
        store_priv_col_text(st, 10, r->since, sizeof r->since);
        /* The later of the recorded last report (if not after as_of) and the last visit. */
        if (r->c.last_report[0] && strcmp(r->c.last_report, as_of) <= 0)
            snprintf(r->last_seen, sizeof r->last_seen, "%s", r->c.last_report);
        if (visit[0] && strcmp(visit, r->last_seen) > 0)
            snprintf(r->last_seen, sizeof r->last_seen, "%s", visit);
        if ((e = cb(ud, r))) break;
    }
    free(r);
    if (!e && rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "reporting list");
out:
    sqlx_finalize(st);
    return e;
}

/* ---- maintenance ------------------------------------------------------- */

bk_err store_data_table_counts(store *s, store_data_count_cb cb, void *ud)
{
    sqlx *c = store_priv_db(s);
    sqlx_stmt *names = NULL, *cnt = NULL;
    char *sql = NULL;
    bk_err e = prepare(s,
                       sqlx_kind(c) == SQLX_PG
                           /* pg_class, not information_schema.tables, which lists
                            * only the tables this role has some privilege on. */
                           ? "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                             "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind "
                             "IN ('r', 'p') ORDER BY c.relname"
                           : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                       &names);
    if (e) return e;
    int rc;
    while ((rc = sqlx_step(names)) == SQLX_ROW) {
        const char *name = sqlx_col_text(names, 0);
        if (!name) continue;
        /* A quoted identifier: "name" with inner quotes doubled. */
        size_t len = strlen(name), k = 0;
        free(sql);
        sql = malloc(len * 2 + 32);
        if (!sql) {
            e = BK_ERR_NOMEM;
            goto out;
        }
        k += (size_t)sprintf(sql, "SELECT COUNT(*) FROM \"");
        for (size_t i = 0; i < len; i++) {
            if (name[i] == '"') sql[k++] = '"';
            sql[k++] = name[i];
        }
        sql[k++] = '"';
        sql[k] = 0;
        if ((e = prepare(s, sql, &cnt))) goto out;
        rc = sqlx_step(cnt);
        if (rc != SQLX_ROW) {
            if (rc == SQLX_ERROR) {
                e = sqlx_fail(c, "count");
            } else {
                sqlx_errf(c, "count: no answer");
                e = BK_ERR_INTERNAL;
            }
            goto out;
        }
        int64_t n = sqlx_col_int64(cnt, 0);
        sqlx_finalize(cnt);
        cnt = NULL;
        if ((e = cb(ud, name, n))) goto out;
    }
    if (rc == SQLX_ERROR) e = sqlx_fail(c, "table names");
out:
    free(sql);
    sqlx_finalize(cnt);
    sqlx_finalize(names);
    return e;
}

bk_err store_data_view_counts(store *s, store_data_count_cb cb, void *ud)
{
    static const char *const views[] = {"v_queue_today", "v_visits", "v_officer_presence"};
    static const char *const sql[] = {"SELECT COUNT(*) FROM v_queue_today",
                                      "SELECT COUNT(*) FROM v_visits",
                                      "SELECT COUNT(*) FROM v_officer_presence"};
    sqlx *c = store_priv_db(s);
    for (int i = 0; i < 3; i++) {
        sqlx_stmt *st = NULL;
        bk_err e = prepare(s, sql[i], &st);
        if (e) return e;
        int rc = sqlx_step(st);
        if (rc != SQLX_ROW) {
            if (rc == SQLX_ERROR) {
                e = sqlx_fail(c, views[i]);
            } else {
                sqlx_errf(c, "%s: no answer", views[i]);
                e = BK_ERR_INTERNAL;
            }
            sqlx_finalize(st);
            return e;
        }
        int64_t n = sqlx_col_int64(st, 0);
        sqlx_finalize(st);
        if ((e = cb(ud, views[i], n))) return e;
    }
    return BK_OK;
}

/* The office tables, parents before children (foreign keys). */
static const char *const copy_tables[] = {
    "settings",         "officers",        "users",
    "clients",          "client_since",    "officer_presence",
    "officer_weekly",   "verify_failures", "client_locks",
    "tickets",          "audit",           "holidays", /* users: schema 7; holidays: 6 */
    "ticket_purposes",                                 /* schema 9; after tickets */
    "report_questions", "ticket_answers",              /* schema 10 */
};

/* One integer from a one-row query on s (0 when NULL). */
static bk_err one_int64(store *s, const char *sql, int64_t *out)
{
    sqlx *c = store_priv_db(s);
    sqlx_stmt *st = NULL;
    bk_err e = prepare(s, sql, &st);
    if (e) return e;
    int rc = sqlx_step(st);
    if (rc == SQLX_ROW) {
        *out = sqlx_col_int64(st, 0);
    } else if (rc == SQLX_ERROR) {
        e = sqlx_fail(c, sql);
    } else {
        sqlx_errf(c, "%s: no answer", sql);
        e = BK_ERR_INTERNAL;
    }
    sqlx_finalize(st);
    return e;
}

/* Copy one table's rows; *n = rows copied. */
static bk_err copy_table(store *from, store *to, const char *table, int64_t *n)
{
    sqlx *src = store_priv_db(from), *dst = store_priv_db(to);
    sqlx_stmt *sel = NULL, *ins = NULL;
    char *sql = NULL;
    char q[96];
    snprintf(q, sizeof q, "SELECT * FROM %s", table);
    *n = 0;
    bk_err e = prepare(from, q, &sel);
    if (e) goto src_fail;
    int rc;
    while ((rc = sqlx_step(sel)) == SQLX_ROW) {
        int cols = sqlx_col_count(sel);
        if (!ins) {
            /* INSERT INTO table(c1, ...) VALUES (?, ...), from the row's columns. */
            size_t cap = 64 + strlen(table), len = 0;
            for (int i = 0; i < cols; i++)
                cap += strlen(sqlx_col_name(sel, i)) + 8;
            sql = malloc(cap);
            if (!sql) {
                e = BK_ERR_NOMEM;
                goto out;
            }
            len += (size_t)snprintf(sql + len, cap - len, "INSERT INTO %s(", table);
            for (int i = 0; i < cols; i++)
                len += (size_t)snprintf(sql + len, cap - len, "%s%s", i ? ", " : "",
                                        sqlx_col_name(sel, i));
            len += (size_t)snprintf(sql + len, cap - len, ") VALUES (");
            for (int i = 0; i < cols; i++)
                len += (size_t)snprintf(sql + len, cap - len, "%s?", i ? ", " : "");
            snprintf(sql + len, cap - len, ")");
            if ((e = sqlx_prepare(dst, sql, &ins))) goto out;
        } else {
            sqlx_reset(ins);
        }
        for (int i = 0; i < cols && !e; i++)
            e = sqlx_bind_text_copy(ins, i + 1,
                                    sqlx_col_is_null(sel, i) ? NULL : sqlx_col_text(sel, i));
        if (e) goto out;
        rc = sqlx_step(ins);
        if (rc == SQLX_ERROR) {
            e = sqlx_fail(dst, table);
            goto out;
        }
        (*n)++;
    }
    if (rc == SQLX_ERROR) {
        e = sqlx_fail(src, table);
        goto src_fail;
    }
    goto out;
src_fail:
    sqlx_errf(dst, "reading the source: %s", sqlx_errmsg(src));
out:
    free(sql);
    sqlx_finalize(ins);
    sqlx_finalize(sel);
    return e;
}

bk_err store_data_copy(store *from, store *to, store_data_count_cb cb, void *ud)
{
    sqlx *dst = store_priv_db(to);
    if (store_in_tx(from) || store_in_tx(to)) {
        errmsg(to, "copy inside a transaction");
        return BK_ERR_INTERNAL;
    }
    if (store_schema_version(from) != store_schema_version(to)) {
        sqlx_errf(dst, "schema versions differ (%d and %d)", store_schema_version(from),
                  store_schema_version(to));
        return BK_ERR_STATE;
    }
    bk_err e = store_begin(from, STORE_TX_READ);
    if (e) {
        sqlx_errf(dst, "reading the source: %s", store_errmsg(from));
        return e;
    }
    if ((e = store_begin(to, STORE_TX_WRITE))) goto out;
    int64_t have = 0;
    if ((e = one_int64(to,
                       "SELECT (SELECT COUNT(*) FROM officers) + (SELECT COUNT(*) FROM "
                       "clients) + (SELECT COUNT(*) FROM tickets) + (SELECT COUNT(*) FROM "
                       "audit)",
                       &have)))
        goto out;
    if (have) {
        errmsg(to, "the destination already holds an office (officers, clients, tickets or "
                   "audit rows); copy only into an empty database");
        e = BK_ERR_STATE;
        goto out;
    }
    if ((e = sqlx_exec(dst, "DELETE FROM settings", "clear settings"))) goto out;
    /* the migration's default questions: the source's own replace them */
    if ((e = sqlx_exec(dst, "DELETE FROM report_questions", "clear the questions"))) goto out;
    for (size_t i = 0; i < sizeof copy_tables / sizeof copy_tables[0]; i++) {
        int64_t n = 0;
        if ((e = copy_table(from, to, copy_tables[i], &n))) goto out;
        if (cb && (e = cb(ud, copy_tables[i], n))) goto out;
    }
    if (sqlx_kind(dst) == SQLX_PG &&
        (e = sqlx_exec(dst,
                       "SELECT setval(pg_get_serial_sequence('tickets', 'id'), "
                       "(SELECT COALESCE(MAX(id), 0) + 1 FROM tickets), false); "
                       "SELECT setval(pg_get_serial_sequence('audit', 'id'), "
                       "(SELECT COALESCE(MAX(id), 0) + 1 FROM audit), false)",
                       "identity sequences")))
        goto out;
    e = store_commit(to);
out:
    store_rollback(to);
    store_rollback(from);
    return e;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bk_err fsync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return BK_ERR_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? BK_OK : BK_ERR_IO;
}

/* Run a one-value PRAGMA on db into out. */
static int pragma_text(sqlite3 *db, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *v = sqlite3_column_text(st, 0);
            snprintf(out, outsz, "%s", v ? (const char *)v : "");
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* SQLite: the online backup of s into the new file tmp, checked. */
static bk_err backup_sqlite(store *s, sqlite3 *src, const char *tmp, store_data_backup_info *info)
{
    char msg[600];
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    bk_err e = BK_OK;
    snprintf(info->format, sizeof info->format, "sqlite");
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(msg, sizeof msg, "cannot create %s: %s", tmp,
                 dst ? sqlite3_errmsg(dst) : "out of memory");
        errmsg(s, msg);
        e = BK_ERR_IO;
        goto out;
    }
    b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(msg, sizeof msg, "backup: %s", sqlite3_errmsg(dst));
        errmsg(s, msg);
        e = BK_ERR_INTERNAL;
        goto out;
    }
    /* One step copies every page under one read snapshot: in WAL mode the
     * writers keep going and the copy is the database as of that instant. */
    for (int waited = 0;;) {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_DONE) break;
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited < 30000) {
            sleep_ms(50);
            waited += 50;
            continue;
        }
        break;
    }
    info->pages = sqlite3_backup_pagecount(b);
    int frc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        if (rc == SQLITE_DONE) rc = frc;
        snprintf(msg, sizeof msg, "backup step: %s (%d)", sqlite3_errstr(rc), rc);
        /* The copy's errors name their cause (a full disk: the folder and
         * what is free); busy stays busy; the rest of SQLite's I/O errors
         * are io. */
        e = sqlx_sqlite_file_error(rc, sqlite3_system_errno(dst), tmp, msg, sizeof msg);
        if (e == BK_ERR_INTERNAL && (rc & 0xFF) == SQLITE_IOERR) e = BK_ERR_IO;
        errmsg(s, msg);
        goto out;
    }
    char mode[32], ver[32], psz[32];
    /* A single self-contained file: leave WAL mode in the copy. */
    if (pragma_text(dst, "PRAGMA journal_mode = DELETE", mode, sizeof mode) != SQLITE_OK ||
        pragma_text(dst, "PRAGMA integrity_check", info->integrity, sizeof info->integrity) !=
            SQLITE_OK ||
        pragma_text(dst, "PRAGMA user_version", ver, sizeof ver) != SQLITE_OK ||
        pragma_text(dst, "PRAGMA page_size", psz, sizeof psz) != SQLITE_OK) {
        snprintf(msg, sizeof msg, "checking the copy: %s", sqlite3_errmsg(dst));
        e = sqlx_sqlite_file_error(sqlite3_extended_errcode(dst), sqlite3_system_errno(dst), tmp,
                                   msg, sizeof msg);
        if (e == BK_ERR_INTERNAL) e = BK_ERR_IO;
        errmsg(s, msg);
        goto out;
    }
    info->integrity_ok = strcmp(info->integrity, "ok") == 0;
    info->schema_version = atoi(ver);
    info->bytes = info->pages * atoll(psz);
    rc = sqlite3_close(dst);
    dst = NULL;
    if (rc != SQLITE_OK) {
        errmsg(s, "closing the copy failed");
        e = BK_ERR_IO;
        goto out;
    }
    if (!info->integrity_ok) {
        snprintf(msg, sizeof msg, "the copy failed integrity_check: %s", info->integrity);
        errmsg(s, msg);
        e = BK_ERR_INTERNAL;
        goto out;
    }
out:
    if (b) sqlite3_backup_finish(b);
    if (dst) sqlite3_close(dst);
    return e;
}

static bk_err add_backup_count(void *ud, const char *table, int64_t rows)
{
    store_data_backup_info *info = ud;
    if (info->n_tables >= STORE_DATA_BACKUP_TABLES) return BK_ERR_INTERNAL;
    snprintf(info->tables[info->n_tables].name, sizeof info->tables[0].name, "%s", table);
    info->tables[info->n_tables++].rows = rows;
    return BK_OK;
}

/* A program's output as one line (in place): line breaks become "; "
 * (as far as the text's room allows), trailing space goes. */
static void one_line(char *text, size_t sz)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\r'))
        text[--n] = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] != '\n' && text[i] != '\r') continue;
        text[i] = ';';
        if (n + 2 <= sz && text[i + 1] != ' ') {
            memmove(text + i + 2, text + i + 1, n - i); /* with the NUL */
            text[i + 1] = ' ';
            n++;
        }
    }
}

/* The PostgreSQL client programs: pg_dump, and pg_restore beside it. */
static bk_err find_pg_tools(store *s, char *dump, size_t dumpsz, char *restore, size_t restoresz)
{
    const char *name = "pg_dump";
    bk_err e = store_pgdump_find(name, NULL, dump, dumpsz);
    if (!e) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s", dump);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        name = "pg_restore";
        e = store_pgdump_find(name, slash ? dir : NULL, restore, restoresz);
    }
    if (e == BK_ERR_NOT_FOUND) {
        const char *only = getenv("BAPAS_PG_BINDIR");
        sqlx_errf(store_priv_db(s),
                  "%s is not installed (looked in %s%s): install the Debian package "
                  "postgresql-client (sudo apt install postgresql-client)",
                  name, only && *only ? "BAPAS_PG_BINDIR=" : "$PATH and /usr/lib/postgresql/*/bin",
                  only && *only ? only : "");
    }
    return e;
}

/* PostgreSQL: pg_dump of the server database into the new file tmp, on a
 * snapshot of this connection in which the rows are counted; then the
 * archive is read back whole by pg_restore. */
static bk_err backup_pg(store *s, const char *tmp, store_data_backup_info *info)
{
    sqlx *c = store_priv_db(s);
    char dump[512], restore[512], conninfo[2048], password[512], snap[128] = "";
    char out[2048];
    snprintf(info->format, sizeof info->format, "pg_dump custom");
    bk_err e = find_pg_tools(s, dump, sizeof dump, restore, sizeof restore);
    if (e) return e;
    if ((e = store_pgdump_conninfo(store_priv_target(s), conninfo, sizeof conninfo, password,
                                   sizeof password))) {
        errmsg(s, "backup: libpq cannot read the database URI");
        return e;
    }
    /* Export this connection's snapshot: pg_dump dumps exactly what is
     * counted here, whatever the writers commit meanwhile. */
    if ((e = store_begin(s, STORE_TX_READ))) goto out;
    sqlx_stmt *st = NULL;
    if ((e = prepare(s, "SELECT pg_export_snapshot()", &st))) goto out;
    int rc = sqlx_step(st);
    if (rc == SQLX_ROW)
        store_priv_col_text(st, 0, snap, sizeof snap);
    else
        e = rc == SQLX_ERROR ? sqlx_fail(c, "export snapshot") : BK_ERR_INTERNAL;
    sqlx_finalize(st);
    if (e) goto out;
    info->schema_version = store_schema_version(s);
    if ((e = store_data_table_counts(s, add_backup_count, info))) goto out;

    char a_snap[160], a_file[600], a_db[2100];
    snprintf(a_snap, sizeof a_snap, "--snapshot=%s", snap);
    snprintf(a_file, sizeof a_file, "--file=%s", tmp);
    snprintf(a_db, sizeof a_db, "--dbname=%s", conninfo);
    char *const dargv[] = {dump, "--format=custom", "--no-password", a_snap, a_file, a_db, NULL};
    int status = -1;
    if ((e = store_pgdump_run(dargv, password, out, sizeof out, &status))) {
        one_line(out, sizeof out);
        sqlx_errf(c, "backup: cannot run %s: %s", dump, out[0] ? out : strerror(errno));
        goto out;
    }
    store_rollback(s); /* pg_dump has its copy of the snapshot: release it */
    if (status != 0) {
        one_line(out, sizeof out);
        sqlx_errf(c, "%s failed (exit %d): %s", dump, status, out[0] ? out : "no message");
        e = BK_ERR_IO;
        goto out;
    }
    char *const rargv[] = {restore, "--file=/dev/null", (char *)tmp, NULL};
    if ((e = store_pgdump_run(rargv, NULL, out, sizeof out, &status))) {
        one_line(out, sizeof out);
        sqlx_errf(c, "backup: cannot run %s: %s", restore, out[0] ? out : strerror(errno));
        goto out;
    }
    one_line(out, sizeof out);
    if (status != 0) {
        snprintf(info->integrity, sizeof info->integrity, "%.200s",
                 out[0] ? out : "pg_restore cannot read it");
        sqlx_errf(c, "the copy does not read back with %s (exit %d): %s", restore, status,
                  info->integrity);
        e = BK_ERR_INTERNAL;
        goto out;
    }
    snprintf(info->integrity, sizeof info->integrity, "ok");
    info->integrity_ok = 1;
    struct stat sb;
    if (stat(tmp, &sb) != 0) {
        sqlx_errf(c, "the copy %s: %s", tmp, strerror(errno));
        e = BK_ERR_IO;
        goto out;
    }
    info->bytes = (int64_t)sb.st_size;
out:
    explicit_bzero(password, sizeof password);
    store_rollback(s);
    return e;
}

bk_err store_data_backup_tool(store *s, char *path, size_t pathsz, char *version, size_t versionsz,
                              int *major)
{
    sqlx *c = store_priv_db(s);
    if (versionsz) version[0] = 0;
    *major = 0;
    if (sqlx_kind(c) != SQLX_PG) {
        errmsg(s, "the SQLite backup is built in");
        return BK_ERR_STATE;
    }
    char restore[512];
    bk_err e = find_pg_tools(s, path, pathsz, restore, sizeof restore);
    if (e) return e;
    char out[512];
    int status = -1;
    char *const argv[] = {path, "--version", NULL};
    e = store_pgdump_run(argv, NULL, out, sizeof out, &status);
    one_line(out, sizeof out);
    if (!e && status != 0) e = BK_ERR_IO;
    if (e) {
        sqlx_errf(c, "%s --version: %s", path, out[0] ? out : "no answer");
        return e;
    }
    snprintf(version, versionsz, "%s", out);
    const char *p = strstr(out, ") ");
    *major = p ? atoi(p + 2) : 0;
    return BK_OK;
}

/* fsync tmp, rename it to path, fsync the directory. */
static bk_err put_in_place(store *s, const char *tmp, const char *path)
{
    char msg[600];
    if (fsync_path(tmp, 0) != BK_OK || rename(tmp, path) != 0) {
        snprintf(msg, sizeof msg, "cannot move the copy to %s: %s", path, strerror(errno));
        errmsg(s, msg);
        return BK_ERR_IO;
    }
    /* Make the rename durable. */
    char *dir = strdup(path);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            dir[1] = 0;
        else if (slash)
            *slash = 0;
        else
            snprintf(dir, strlen(path) + 1, ".");
        fsync_path(dir, 1);
        free(dir);
    }
    return BK_OK;
}

bk_err store_data_backup(store *s, const char *path, int overwrite, store_data_backup_info *info)
{
    memset(info, 0, sizeof *info);
    if (store_in_tx(s)) {
        errmsg(s, "backup inside a transaction");
        return BK_ERR_INTERNAL;
    }
    char msg[600];
    struct stat sb;
    if (!overwrite && stat(path, &sb) == 0) {
        snprintf(msg, sizeof msg, "%s already exists", path);
        errmsg(s, msg);
        return BK_ERR_EXISTS;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (!tmp) return BK_ERR_NOMEM;
    snprintf(tmp, plen + 5, "%s.tmp", path);
    unlink(tmp);
    sqlite3 *src = sqlx_sqlite(store_priv_db(s));
    bk_err e = src ? backup_sqlite(s, src, tmp, info) : backup_pg(s, tmp, info);
    if (!e) e = put_in_place(s, tmp, path);
    if (!e && src) {
        /* Row counts of the copy, read from the copy itself. */
        store *copy = NULL;
        store_opts ro = {.read_only = 1};
        char err[512];
        if ((e = store_open(path, &ro, &copy, err, sizeof err))) {
            snprintf(msg, sizeof msg, "the copy %s cannot be opened: %s", path, err);
            errmsg(s, msg);
        } else {
            e = store_data_table_counts(copy, add_backup_count, info);
            if (e) {
                snprintf(msg, sizeof msg, "counting the rows of the copy: %s", store_errmsg(copy));
                errmsg(s, msg);
            }
            store_close(copy);
        }
    }
    if (e) {
        unlink(tmp);
        char j[600];
        snprintf(j, sizeof j, "%s-journal", tmp);
        unlink(j);
    }
    free(tmp);
    return e;
}
