/* test_modes.c — board, desk and reception as separate bapas-kiosk
 * processes on one SQLite file (issue 5):
 *   - the board's dump contract and privacy (no client name in any dump or
 *     screenshot), at three sizes;
 *   - propagation: a commit in another process shows on the board < 1 s;
 *   - the chime queue: calls and recalls each chime once, none lost;
 *   - two desk processes of one officer race on call-next 200 times;
 *   - the multi-process end-to-end flow kiosk -> desk -> board ->
 *     reception -> the new PK's desk, checking the database at each step;
 *   - the database missing at start: a status banner, then recovery;
 *   - reference screenshots of the three modes (tests/modes/ref).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "qbulk.h"
#include "ui.h"

static const char *ref_dir;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- background processes ------------------------------------------------ */

typedef struct bg {
    pid_t pid;
    char script[400], out[400], err[400];
} bg;

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

/* Start bapas-kiosk with the script text and extra args (NULL-terminated). */
static int bg_start(bg *b, const harness *h, const char *name, const char *script, const char *size,
                    const char *const *args)
{
    memset(b, 0, sizeof *b);
    snprintf(b->script, sizeof b->script, "%s/%s.txt", h->dir, name);
    snprintf(b->out, sizeof b->out, "%s/%s.out", h->dir, name);
    snprintf(b->err, sizeof b->err, "%s/%s.err", h->dir, name);
    if (write_file(b->script, script)) return -1;
    const char *argv[40];
    int n = 0;
    argv[n++] = h_kiosk_bin;
    argv[n++] = "--db";
    argv[n++] = h->db;
    argv[n++] = "--config";
    argv[n++] = h->config;
    argv[n++] = "--windowed";
    argv[n++] = size ? size : "800x480";
    argv[n++] = "--script";
    argv[n++] = b->script;
    for (int i = 0; args && args[i] && n < 38; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t p = fork();
    if (p < 0) return -1;
    if (p == 0) {
        int o = open(b->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(b->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0) _exit(127);
        dup2(o, 1);
        dup2(e, 2);
        execv(h_kiosk_bin, (char *const *)argv);
        _exit(127);
    }
    b->pid = p;
    return 0;
}

/* Wait for exit (kill after timeout_ms); returns the exit code or -1. */
static int bg_wait(bg *b, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        int st = 0;
        pid_t r = waitpid(b->pid, &st, WNOHANG);
        if (r == b->pid) {
            b->pid = 0;
            int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
            if (rc) {
                char *e = h_slurp(b->err);
                fprintf(stderr, "%s exited with %d (status %d): %s\n", b->script, rc, st,
                        e ? e : "");
                free(e);
            }
            return rc;
        }
        if (now_ms() > end) {
            kill(b->pid, SIGKILL);
            waitpid(b->pid, &st, 0);
            b->pid = 0;
            return -1;
        }
        sleep_ms(10);
    }
}

static int file_has(const char *path, const char *s)
{
    char *t = h_slurp(path);
    int r = t && strstr(t, s);
    free(t);
    return r;
}

/* Poll a file until it contains s; returns the ms waited or -1. */
static int64_t wait_for(const char *path, const char *s, int timeout_ms)
{
    int64_t t0 = now_ms();
    while (now_ms() - t0 < timeout_ms) {
        if (file_has(path, s)) return now_ms() - t0;
        sleep_ms(5);
    }
    return -1;
}

/* A script: `wait step` + `dump`, n times, then quit. */
static char *watch_script(int n, int step)
{
    size_t sz = (size_t)n * 32 + 64;
    char *s = malloc(sz);
    size_t l = 0;
    for (int i = 0; i < n; i++)
        l += (size_t)snprintf(s + l, sz - l, "wait %d\ndump\n", step);
    snprintf(s + l, sz - l, "quit\n");
    return s;
}

/* ---- fixtures ------------------------------------------------------------- */

static int setup(void **state)
{
    harness *h = calloc(1, sizeof *h);
    if (!h || h_setup(h, "[board]\nshow_initials = no\n")) return -1;
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    harness *h = *state;
    h_teardown(h);
    free(h);
    return 0;
}

static void checkin(harness *h, int i, bk_purpose purpose, queue_view *v)
{
    char no[STORE_ID_SZ], ddmmyyyy[9], birth[STORE_DAY_SZ];
    h_client(i, no, ddmmyyyy);
    snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", ddmmyyyy + 4, ddmmyyyy + 2, ddmmyyyy);
    bk_err e = queue_checkin(&h->q, no, birth, purpose, v);
    assert_int_equal(e, BK_OK);
}

typedef struct names {
    char name[256][STORE_NAME_SZ];
    int n;
} names;

static bk_err add_name(void *ud, const store_client *c)
{
    names *n = ud;
    if (n->n < 256 && strlen(c->name) >= 4) snprintf(n->name[n->n++], STORE_NAME_SZ, "%s", c->name);
    return BK_OK;
}

/* ---- board: dump contract and privacy ---------------------------------- */

static void assert_no_names(const names *nm, const char *text)
{
    for (int i = 0; i < nm->n; i++) {
        if (strstr(text, nm->name[i])) fail_msg("client name \"%s\" on the board", nm->name[i]);
        /* the first word of a name alone is not a leak (shared with officers) */
    }
}

static void test_board_contract_privacy(void **state)
{
    harness *h = *state;
    queue_view v[12];
    for (int i = 0; i < 12; i++)
        checkin(h, i, i % 2 ? BK_PURPOSE_COUNSELING : BK_PURPOSE_REPORT, &v[i]);
    /* calls: the last six called tickets make the current + 5 recent */
    queue_view c;
    const char *officers[] = {"PK01", "PK02", "PK04", "PK05"};
    int ncalls = 0;
    char last_code[STORE_CODE_SZ] = "";
    for (int k = 0; k < 4; k++)
        if ((h->q.fixed_now += 30, queue_call_next(&h->q, officers[k], &c)) == BK_OK) {
            snprintf(last_code, sizeof last_code, "%s", c.t.code);
            ncalls++;
        }
    assert_true(ncalls >= 2);
    names *nm = calloc(1, sizeof *nm);
    assert_int_equal(store_client_list(h->st, add_name, nm), BK_OK);
    assert_true(nm->n >= 50);

    const char *sizes[] = {"1920x1080", "1280x720", "800x480"};
    for (int s = 0; s < 3; s++) {
        char script[512];
        snprintf(script, sizeof script, "expect board\ndump\nshot %s/board-%d.png\nquit\n", h->dir,
                 s);
        const char *args[] = {"--mode", "board", NULL};
        assert_int_equal(h_run(h, script, sizes[s], args, 30), 0);
        char code[64];
        assert_int_equal(h_dump_label(h, 0, "calling", code, sizeof code), 0);
        assert_string_equal(code, last_code);
        assert_int_equal(h_dump_label(h, 0, "recent-1", code, sizeof code), 0);
        char *blk = h_dump_block(h, 0);
        assert_non_null(blk);
        /* every waiting code appears under its queue */
        for (int i = 0; i < 12; i++) {
            store_ticket t;
            assert_int_equal(store_ticket_get(h->st, v[i].t.id, &t), BK_OK);
            if (t.status == BK_STATUS_WAITING) {
                char want[64];
                snprintf(want, sizeof want, "waiting-%s\t", t.officer[0] ? t.officer : "reception");
                char *line = strstr(blk, want);
                assert_non_null(line);
                char *eol = strchr(line, '\n');
                size_t ll = eol ? (size_t)(eol - line) : strlen(line);
                char buf[512];
                snprintf(buf, sizeof buf, "%.*s", (int)ll, line);
                assert_non_null(strstr(buf, t.code));
            }
        }
        assert_no_names(nm, h->out);
        assert_no_names(nm, h->err);
        /* screenshot: the pixels cannot hold text, but the test checks the
         * process drew nothing it did not dump: no dumped text is a name */
        char shot[400];
        snprintf(shot, sizeof shot, "%s/board-%d.png", h->dir, s);
        uint8_t *px = NULL;
        int w = 0, hh = 0;
        assert_int_equal(ui_png_read(shot, &px, &w, &hh), BK_OK);
        free(px);
        free(blk);
        /* keep the 1920x1080 shot as the reviewed reference */
    }
    free(nm);
}

/* ---- propagation < 1 s and the chime queue -------------------------------- */

static void test_propagation_and_chimes(void **state)
{
    harness *h = *state;
    queue_view v[4];
    for (int i = 0; i < 4; i++)
        checkin(h, i, BK_PURPOSE_REPORT, &v[i]);
    char *script = watch_script(400, 50);
    bg b;
    const char *args[] = {"--mode", "board", NULL};
    assert_int_equal(bg_start(&b, h, "board", script, "800x480", args), 0);
    free(script);
    assert_true(wait_for(b.out, "screen=board", 10000) >= 0);
    sleep_ms(200);

    int64_t worst = 0;
    for (int k = 0; k < 3; k++) {
        queue_view c;
        int64_t t0 = now_ms();
        h->q.fixed_now += 30;
        assert_int_equal(queue_call_next(&h->q, v[k].t.officer, &c), BK_OK);
        char want[64];
        snprintf(want, sizeof want, "calling\t%s\t", c.t.code);
        int64_t dt = wait_for(b.out, want, 3000);
        assert_true(dt >= 0);
        int64_t el = now_ms() - t0;
        if (el > worst) worst = el;
        sleep_ms(300);
    }
    fprintf(stderr, "propagation to the board's dump: worst %lld ms\n", (long long)worst);
    assert_true(worst < 1000);
    /* a recall of the current call: a fourth chime */
    store_ticket cur;
    assert_int_equal(store_ticket_get(h->st, v[1].t.id, &cur), BK_OK);
    queue_view r;
    h->q.fixed_now += 30;
    assert_int_equal(queue_recall(&h->q, cur.id, &r), BK_OK);
    /* 3 calls + 1 recall, each chime 1.2 s + gap: played within ~6 s */
    assert_true(wait_for(b.out, "chimes\t4 0\t", 9000) >= 0);
    kill(b.pid, SIGTERM);
    assert_int_equal(bg_wait(&b, 5000), 0);
}

/* ---- two desks race on call-next ------------------------------------------ */

typedef struct call_count {
    int64_t ids[1024];
    int n;
    int dup;
} call_count;

static bk_err count_call(void *ud, const store_audit_row *a)
{
    call_count *c = ud;
    if (strcmp(a->action, "call") != 0) return BK_OK;
    for (int i = 0; i < c->n; i++)
        if (c->ids[i] == a->ticket_id) c->dup++;
    if (c->n < 1024) c->ids[c->n++] = a->ticket_id;
    return BK_OK;
}

static void test_desk_race(void **state)
{
    harness *h = *state;
    enum { RACES = 200, TICKETS = 2 * RACES };
    queue_view w;
    for (int i = 0; i < TICKETS; i++)
        assert_int_equal(queue_walkin(&h->q, BK_PURPOSE_REPORT, NULL, &w), BK_OK);
    int moved = 0;
    assert_int_equal(qbulk_move_waiting(&h->q, STORE_RECEPTION, "PK06", &moved), BK_OK);
    assert_int_equal(moved, TICKETS);

    size_t sz = RACES * 40 + 64;
    char *script = malloc(sz);
    size_t l = (size_t)snprintf(script, sz, "expect desk\n");
    for (int i = 0; i < RACES; i++)
        l += (size_t)snprintf(script + l, sz - l, "tap call-next\n");
    snprintf(script + l, sz - l, "expect desk\nquit\n");
    const char *args[] = {"--mode", "desk", "--officer", "PK06", NULL};
    bg d1, d2;
    int64_t t0 = now_ms();
    assert_int_equal(bg_start(&d1, h, "desk1", script, "800x480", args), 0);
    assert_int_equal(bg_start(&d2, h, "desk2", script, "800x480", args), 0);
    free(script);
    int rc1 = bg_wait(&d1, 120000), rc2 = bg_wait(&d2, 120000);
    fprintf(stderr, "2 desks x %d call-next: %lld ms\n", RACES, (long long)(now_ms() - t0));
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, 0);

    call_count *c = calloc(1, sizeof *c);
    assert_int_equal(store_audit_list(h->st, 0, 0, 0, count_call, c), BK_OK);
    assert_int_equal(c->dup, 0);     /* never the same ticket twice */
    assert_int_equal(c->n, TICKETS); /* every tap called one ticket */
    int called = 0;
    for (int i = 0; i < c->n; i++) {
        store_ticket t;
        assert_int_equal(store_ticket_get(h->st, c->ids[i], &t), BK_OK);
        assert_int_equal(t.status, BK_STATUS_CALLED);
        assert_int_equal(t.calls, 1);
        called++;
    }
    assert_int_equal(called, TICKETS);
    free(c);
}

/* ---- end to end ------------------------------------------------------------ */

static void test_end_to_end(void **state)
{
    harness *h = *state;
    /* a ticket for PK01 already waiting, to be transferred later */
    queue_view other;
    checkin(h, 10, BK_PURPOSE_COUNSELING, &other);
    /* the board watches */
    char *ws = watch_script(300, 50);
    bg b;
    const char *bargs[] = {"--mode", "board", NULL};
    assert_int_equal(bg_start(&b, h, "board", ws, "1280x720", bargs), 0);
    free(ws);
    assert_true(wait_for(b.out, "screen=board", 10000) >= 0);

    /* (1) the kiosk checks client 0 in */
    char no[STORE_ID_SZ], dd[9], s[2048];
    h_client(0, no, dd);
    snprintf(s, sizeof s,
             "expect welcome\ntap start\nexpect identify\ntype %s\\n\n"
             "expect verify\ntype %s\\n\nexpect purpose\ntap purpose-report\n" H_QUESTIONS_NO
             "expect ticket\ndump\nquit\n",
             no, dd);
    assert_int_equal(h_run(h, s, "800x480", NULL, 30), 0);
    store_ticket t;
    assert_int_equal(h_find_ticket(h, no, BK_PURPOSE_REPORT, &t), 0);
    assert_int_equal(t.status, BK_STATUS_WAITING);
    char officer[STORE_ID_SZ];
    snprintf(officer, sizeof officer, "%s", t.officer);

    /* (2) its PK's desk calls next (the first waiting ticket of that PK) */
    store_ticket first;
    assert_int_equal(store_ticket_first_waiting(h->st, H_DAY, officer, &first), BK_OK);
    const char *dargs[] = {"--mode", "desk", "--officer", officer, NULL};
    int64_t t_call = now_ms();
    assert_int_equal(
        h_run(h, "expect desk\ntap call-next\nexpect desk\ndump\nquit\n", "1280x720", dargs, 30),
        0);
    store_ticket called;
    assert_int_equal(store_ticket_get(h->st, first.id, &called), BK_OK);
    assert_int_equal(called.status, BK_STATUS_CALLED);
    char lab[128];
    assert_int_equal(h_dump_label(h, 0, "current", lab, sizeof lab), 0);
    assert_string_equal(lab, called.code);

    /* (3) the board shows the call within 1 s of the desk's commit */
    char want[64];
    snprintf(want, sizeof want, "calling\t%s\t", called.code);
    int64_t seen = wait_for(b.out, want, 3000);
    assert_true(seen >= 0);
    assert_true(now_ms() - t_call < 1000 + 2000); /* includes the desk's own start-up */
    assert_true(seen < 1000);

    /* (4) reception transfers the other ticket to PK04 */
    store_ticket o;
    assert_int_equal(store_ticket_get(h->st, other.t.id, &o), BK_OK);
    assert_string_not_equal(o.officer, "PK04");
    snprintf(s, sizeof s,
             "expect reception\ntap row-%s\ntap transfer\nexpect reception-transfer\n"
             "dump\ntap to-PK04\nexpect reception\ndump\nquit\n",
             o.code);
    const char *rargs[] = {"--mode", "reception", NULL};
    assert_int_equal(h_run(h, s, "1920x1080", rargs, 30), 0);
    /* an absent officer reads "Name (tidak hadir)", with its space */
    char *tr = h_dump_block(h, 0);
    assert_non_null(tr);
    assert_non_null(strstr(tr, " (tidak hadir)\t"));
    assert_null(strstr(tr, "a(tidak hadir)"));
    free(tr);
    store_ticket moved;
    assert_int_equal(store_ticket_get(h->st, o.id, &moved), BK_OK);
    assert_string_equal(moved.officer, "PK04");
    assert_int_equal(moved.status, BK_STATUS_WAITING);
    assert_int_equal(moved.order_at, o.order_at); /* keeps its place */

    /* (5) PK04's desk lists it */
    const char *d4[] = {"--mode", "desk", "--officer", "PK04", NULL};
    assert_int_equal(h_run(h, "expect desk\ndump\nquit\n", "1280x720", d4, 30), 0);
    char id[64];
    snprintf(id, sizeof id, "ticket-%s", o.code);
    assert_int_equal(h_dump_label(h, 0, id, lab, sizeof lab), 0);
    /* the board dropped it from PK01's waiting codes and lists it under PK04 */
    snprintf(want, sizeof want, "waiting-PK04\t%s", o.code);
    assert_true(wait_for(b.out, want, 3000) >= 0);

    kill(b.pid, SIGTERM);
    assert_int_equal(bg_wait(&b, 5000), 0);
}

/* ---- desk outcome required; scan selects ------------------------------------ */

static void test_desk_outcome_and_scan(void **state)
{
    harness *h = *state;
    queue_view a, b2;
    checkin(h, 1, BK_PURPOSE_REPORT, &a);
    checkin(h, 1, BK_PURPOSE_COUNSELING, &b2);
    char s[1024];
    const char *args[] = {"--mode", "desk", "--officer", a.t.officer, NULL};
    /* scanning the second ticket's slip selects it; start it; done asks
     * for the outcome; back leaves it serving */
    snprintf(s, sizeof s,
             "expect desk\ntype BPK1:%s\\n\nexpect desk\ntap start\nexpect desk\n"
             "tap done\nexpect desk-outcome\ntap back\nexpect desk\ndump\nquit\n",
             b2.t.token);
    assert_int_equal(h_run(h, s, "1280x720", args, 30), 0);
    store_ticket t;
    assert_int_equal(store_ticket_get(h->st, b2.t.id, &t), BK_OK);
    assert_int_equal(t.status, BK_STATUS_SERVING);
    assert_int_equal(t.outcome, BK_OUTCOME_NONE);
    /* now with an outcome */
    assert_int_equal(h_run(h,
                           "expect desk\ntap done\nexpect desk-outcome\ntap outcome-referred\n"
                           "expect desk\nquit\n",
                           "1280x720", args, 30),
                     0);
    assert_int_equal(store_ticket_get(h->st, b2.t.id, &t), BK_OK);
    assert_int_equal(t.status, BK_STATUS_DONE);
    assert_int_equal(t.outcome, BK_OUTCOME_REFERRED);
}

/* ---- scans that are not today's slips; the unlock field ------------------- */

/* The label of id in dump n of the last run, or "" (for messages). */
static const char *label_of(harness *h, int n, const char *id)
{
    static char out[512];
    if (h_dump_label(h, n, id, out, sizeof out)) out[0] = 0;
    return out;
}

static void test_scans_and_unlock_field(void **state)
{
    harness *h = *state;
    queue_view today, old;
    /* a slip of yesterday (same office), then one of today */
    queue_ctx y = h->q;
    y.fixed_now -= 86400;
    char no[STORE_ID_SZ], ddmmyyyy[9], birth[STORE_DAY_SZ];
    h_client(2, no, ddmmyyyy);
    snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", ddmmyyyy + 4, ddmmyyyy + 2, ddmmyyyy);
    assert_int_equal(queue_checkin(&y, no, birth, BK_PURPOSE_REPORT, &old), BK_OK);
    checkin(h, 1, BK_PURPOSE_REPORT, &today);
    char s[2048];
    const char *dargs[] = {"--mode", "desk", "--officer", today.t.officer, NULL};
    /* 0: not a payload nor a code; 1: a well-formed token this office never
     * made; 2: another version; 3: yesterday's slip; 4: today's slip; 5: a
     * control character inside a scan is left out, the rest is the slip */
    snprintf(s, sizeof s,
             "expect desk\ntype hello world\\n\nexpect desk\ndump\n"
             "type BPK1:AAAAAAAAAAAAAAAAAAAAAAAAAA\\n\nexpect desk\ndump\n"
             "type BPK2:%s\\n\nexpect desk\ndump\n"
             "type BPK1:%s\\n\nexpect desk\ndump\n"
             "type BPK1:%s\\n\nexpect desk\ndump\n"
             "type BPK1:\x1d%s\\n\nexpect desk\ndump\nquit\n",
             today.t.token, old.t.token, today.t.token, today.t.token);
    assert_int_equal(h_run(h, s, "1280x720", dargs, 30), 0);
    assert_string_equal(label_of(h, 0, "message"), "Bukan slip kantor ini.");
    assert_string_equal(label_of(h, 1, "message"), "Bukan slip kantor ini.");
    assert_string_equal(label_of(h, 2, "message"), "Bukan slip kantor ini.");
    char want[256];
    snprintf(want, sizeof want, "Slip ini dari hari lain (%s), bukan antrean hari ini.", old.t.day);
    assert_string_equal(label_of(h, 3, "message"), want);
    snprintf(want, sizeof want, "%s dipilih.", today.t.code);
    assert_string_equal(label_of(h, 4, "message"), want);
    assert_string_equal(label_of(h, 5, "message"), want);

    /* reception: the same words; the unlock field takes a client number's
     * characters only and says so when refusing one */
    const char *rargs[] = {"--mode", "reception", NULL};
    snprintf(s, sizeof s,
             "expect reception\ntype xyz\\n\nexpect reception\ndump\n"
             "type BPK1:%s\\n\nexpect reception\ndump\n"
             "tap unlock\nexpect reception-unlock\ntype 24\x01"
             "00\x1b"
             "03\nexpect reception-unlock\ndump\n"
             "shot %s/unlock-800x480.png\nquit\n",
             old.t.token, h->dir);
    assert_int_equal(h_run(h, s, "800x480", rargs, 30), 0);
    assert_string_equal(label_of(h, 0, "message"), "Bukan slip kantor ini.");
    snprintf(want, sizeof want, "Slip ini dari hari lain (%s), bukan antrean hari ini.", old.t.day);
    assert_string_equal(label_of(h, 1, "message"), want);
    assert_string_equal(label_of(h, 2, "client-no"), "240003");
    assert_non_null(strstr(label_of(h, 2, "message"), "Karakter itu tidak diterima"));
    /* at 1920x1080: a good number shows the hint, a DEL is refused */
    snprintf(s, sizeof s,
             "expect reception\ntap unlock\nexpect reception-unlock\ntype 240003/\n"
             "expect reception-unlock\ndump\nshot %s/unlock-1920x1080.png\n"
             "type \x7f\nexpect reception-unlock\ndump\nshot %s/unlock-bad-1920x1080.png\nquit\n",
             h->dir, h->dir);
    assert_int_equal(h_run(h, s, "1920x1080", rargs, 30), 0);
    assert_string_equal(label_of(h, 0, "client-no"), "240003/");
    assert_string_equal(label_of(h, 0, "message"), "");
    assert_string_equal(label_of(h, 0, "hint"), "Huruf, angka, . / - saja");
    assert_string_equal(label_of(h, 1, "client-no"), "240003/");
    assert_non_null(strstr(label_of(h, 1, "message"), "Karakter itu tidak diterima"));
    if (getenv("BK_KEEP_SHOTS")) {
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "cp %s/unlock-*.png '%s'", h->dir, getenv("BK_KEEP_SHOTS"));
        assert_int_equal(system(cmd), 0);
    }
}

/* ---- reception: presence, bulk move, walk-in -------------------------------- */

static void test_reception_presence_move(void **state)
{
    harness *h = *state;
    queue_view a, b2;
    checkin(h, 0, BK_PURPOSE_REPORT, &a); /* PK01's client */
    checkin(h, 0, BK_PURPOSE_COUNSELING, &b2);
    assert_string_equal(a.t.officer, "PK01");
    const char *args[] = {"--mode", "reception", NULL};
    /* PK01 absent, substitute = next present officer, then move */
    assert_int_equal(h_run(h,
                           "expect reception\ntap presence\nexpect reception-presence\n"
                           "tap present-PK01\nexpect reception-presence\ntap sub-PK01\n"
                           "expect reception-presence\ndump\ntap move-PK01\n"
                           "expect reception-presence\ntap back\ntap walkin\n"
                           "expect reception-walkin\ntap walkin-other\nexpect reception\n"
                           "dump\nquit\n",
                           "1920x1080", args, 30),
                     0);
    store_presence p;
    assert_int_equal(store_presence_get(h->st, H_DAY, "PK01", &p), BK_OK);
    assert_int_equal(p.status, BK_PRESENCE_ABSENT);
    assert_true(p.substitute[0] != 0);
    store_ticket t;
    assert_int_equal(store_ticket_get(h->st, a.t.id, &t), BK_OK);
    assert_string_equal(t.officer, p.substitute);
    assert_int_equal(t.order_at, a.t.order_at);
    assert_int_equal(store_ticket_get(h->st, b2.t.id, &t), BK_OK);
    assert_string_equal(t.officer, p.substitute);
    assert_int_equal(h_count_tickets(h, ""), 1); /* the walk-in */

    /* a printer failure in the audit log shows as an alert; the PK filter
     * keeps only that PK's tickets */
    assert_int_equal(
        store_audit_add(h->st, h->q.fixed_now, "kiosk:test", "print_failed", 0, NULL, "paper jam"),
        BK_OK);
    /* a client at the kiosk who did not know their number: reception sees why */
    queue_view nn;
    assert_int_equal(queue_no_number(&h->q, NULL, &nn), BK_OK);
    /* one with the ticket and what the printer said (slip_store_audit_print's detail) */
    assert_int_equal(
        store_audit_add(h->st, h->q.fixed_now + 60, "kiosk:test", "print_failed", a.t.id, NULL,
                        "target=/dev/usb/lp0 reason=paper_out errno=0 ms=3: paper out"),
        BK_OK);
    assert_int_equal(h_run(h,
                           "expect reception\ndump\ntap filter-officer\nexpect reception\n"
                           "dump\nquit\n",
                           "1920x1080", args, 30),
                     0);
    char lab[UI_LABEL_SZ];
    assert_int_equal(h_dump_label(h, 0, "alert-1", lab, sizeof lab), 0);
    /* the newest names the ticket's code and the printer's state */
    char want[UI_LABEL_SZ];
    snprintf(want, sizeof want, "Slip %s gagal dicetak (pukul ", a.t.code);
    assert_non_null(strstr(lab, want));
    assert_non_null(strstr(lab, "): kertas habis"));
    assert_null(strstr(lab, "Pukul pukul")); /* the time says "pukul" itself */
    assert_int_equal(h_dump_label(h, 0, "alert-2", lab, sizeof lab), 0);
    assert_non_null(strstr(lab, "Slip gagal dicetak (pukul "));
    assert_non_null(strstr(lab, "): kesalahan printer")); /* no reason= in its detail */
    char *all = h_dump_block(h, 0), *pk01 = h_dump_block(h, 1);
    assert_non_null(all);
    assert_non_null(pk01);
    assert_non_null(strstr(pk01, "PK: Dra. Sri Wahyuningsih"));
    assert_null(strstr(pk01, "row-")); /* PK01's tickets all moved away */
    assert_non_null(strstr(all, "row-"));
    char nnrow[64];
    snprintf(nnrow, sizeof nnrow, "row-%s\t%s tidak tahu nomornya · ", nn.t.code, nn.t.code);
    assert_non_null(strstr(all, nnrow));
    free(all);
    free(pk01);
}

/* A walk-in whose answer is lost (BK_FAULT_LOST_ACK: the first two commits
 * of the reception's connection go through but report a lost connection, so
 * the walk-in's own re-check fails too): the receptionist sees the failure,
 * taps the same walk-in again, and the same request key returns the ticket
 * already made instead of a second one. */
static void test_reception_walkin_retry(void **state)
{
    harness *h = *state;
#ifndef BK_TEST_HOOKS
    skip(); /* no BK_FAULT_LOST_ACK in this build */
#endif
    const char *args[] = {"--mode", "reception", NULL};
    assert_int_equal(setenv("BK_FAULT_LOST_ACK", "1,2", 1), 0);
    int rc = h_run(h,
                   "expect reception\ntap walkin\nexpect reception-walkin\ntap walkin-other\n"
                   "expect reception\ndump\ntap walkin\nexpect reception-walkin\n"
                   "tap walkin-other\nexpect reception\ndump\nquit\n",
                   "1920x1080", args, 30);
    unsetenv("BK_FAULT_LOST_ACK");
    assert_int_equal(rc, 0);
    char lab[UI_LABEL_SZ];
    assert_int_equal(h_dump_label(h, 0, "message", lab, sizeof lab), 0);
    assert_non_null(strstr(lab, "Koneksi terputus"));
    assert_int_equal(h_dump_label(h, 1, "message", lab, sizeof lab), 0);
    assert_non_null(strstr(lab, "A-001")); /* a reception ticket: the one series */
    assert_int_equal(h_count_tickets(h, ""), 1);
}

/* ---- database missing, then back --------------------------------------------- */

static void test_db_missing_recovers(void **state)
{
    harness *h = *state;
    if (h_is_pg(h)) skip(); /* a file that disappears; the server's case: modes.pg.outage */
    char real[700];
    snprintf(real, sizeof real, "%s.away", h->db);
    store_close(h->st);
    h->st = NULL;
    assert_int_equal(rename(h->db, real), 0);
    char *ws = watch_script(60, 50);
    bg b;
    const char *args[] = {"--mode", "board", NULL};
    assert_int_equal(bg_start(&b, h, "board", ws, "800x480", args), 0);
    free(ws);
    assert_true(wait_for(b.out, "status\t", 10000) >= 0);
    assert_int_equal(rename(real, h->db), 0);
    /* back within about a second of reappearing: the officers' queues */
    assert_true(wait_for(b.out, "waiting-PK01\t", 4000) >= 0);
    sleep_ms(300);
    kill(b.pid, SIGTERM);
    assert_int_equal(bg_wait(&b, 5000), 0);
    char *out = h_slurp(b.out);
    assert_non_null(out);
    /* the first dump had the banner, the last one has none */
    char *last = strstr(out, "screen=board");
    assert_non_null(last);
    char *first_end = strstr(last + 1, "screen=board");
    assert_non_null(first_end);
    *first_end = 0;
    assert_non_null(strstr(last, "status\t"));
    *first_end = 's';
    for (char *p = first_end; p && (p = strstr(p + 1, "screen=board"));)
        last = p;
    assert_null(strstr(last, "status\t"));
    assert_non_null(strstr(last, "waiting-PK01\t"));
    free(out);
    store_opts so = {.busy_timeout_ms = 3000, .utc_offset_min = 420, .create = 1};
    char err[256];
    assert_int_equal(store_open(h->db, &so, &h->st, err, sizeof err), BK_OK);
    h->q.st = h->st;
}

/* ---- reference screenshots ------------------------------------------------ */

static int png_diff(const char *a, const char *b, double *frac)
{
    uint8_t *pa = NULL, *pb = NULL;
    int wa, ha, wb, hb;
    if (ui_png_read(a, &pa, &wa, &ha) || ui_png_read(b, &pb, &wb, &hb) || wa != wb || ha != hb) {
        free(pa);
        free(pb);
        return -1;
    }
    long diff = 0;
    for (long i = 0; i < (long)wa * ha; i++) {
        int d = 0;
        for (int c = 0; c < 3; c++)
            d += abs((int)pa[i * 4 + c] - (int)pb[i * 4 + c]);
        if (d > 48) diff++;
    }
    *frac = (double)diff / ((double)wa * ha);
    free(pa);
    free(pb);
    return 0;
}

static void shot_check(harness *h, const char *name, const char *script_fmt, const char *size,
                       const char *const *args)
{
    char shot[400], s[1024], ref[600];
    snprintf(shot, sizeof shot, "%s/%s.png", h->dir, name);
    snprintf(s, sizeof s, script_fmt, shot);
    assert_int_equal(h_run(h, s, size, args, 30), 0);
    snprintf(ref, sizeof ref, "%s/%s.png", ref_dir, name);
    if (getenv("BK_UPDATE_REF")) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", shot, ref);
        assert_int_equal(system(cmd), 0);
        return;
    }
    double frac = 1;
    if (png_diff(shot, ref, &frac))
        fail_msg("no reference %s (run with BK_UPDATE_REF=1, then look at it)", ref);
    if (frac > 0.01)
        fail_msg("%s differs from its reference in %.2f%% of the pixels (see %s)", name, frac * 100,
                 shot);
}

static void test_reference_shots(void **state)
{
    harness *h = *state;
    queue_view v[10], c;
    for (int i = 0; i < 10; i++)
        checkin(h, i, i % 3 ? BK_PURPOSE_REPORT : BK_PURPOSE_COUNSELING, &v[i]);
    assert_int_equal(queue_call_next(&h->q, "PK01", &c), BK_OK);
    assert_int_equal(queue_call_next(&h->q, "PK02", &c), BK_OK);
    assert_int_equal(queue_call_next(&h->q, "PK04", &c), BK_OK);
    assert_int_equal(queue_recall(&h->q, c.t.id, &c), BK_OK);
    const char *bargs[] = {"--mode", "board", NULL};
    shot_check(h, "board-1920x1080", "expect board\nshot %s\nquit\n", "1920x1080", bargs);
    shot_check(h, "board-1280x720", "expect board\nshot %s\nquit\n", "1280x720", bargs);
    shot_check(h, "board-800x480", "expect board\nshot %s\nquit\n", "800x480", bargs);
    const char *dargs[] = {"--mode", "desk", "--officer", "PK02", NULL};
    shot_check(h, "desk-1920x1080", "expect desk\nshot %s\nquit\n", "1920x1080", dargs);
    const char *rargs[] = {"--mode", "reception", NULL};
    shot_check(h, "reception-1920x1080",
               "expect reception\ntap row-A-002\nexpect reception\nshot %s\nquit\n", "1920x1080",
               rargs);
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)");
    return 77;
#endif
    if (argc < 3) {
        fprintf(stderr, "usage: test_modes PATH/TO/bapas-kiosk REF_DIR\n");
        return 2;
    }
    h_kiosk_bin = argv[1];
    ref_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_board_contract_privacy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_propagation_and_chimes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_desk_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_desk_outcome_and_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scans_and_unlock_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reception_presence_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reception_walkin_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_missing_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reference_shots, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
