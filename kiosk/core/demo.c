#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "otime.h"
#include "token.h"

static const struct {
    const char *id, *name, *room;
} officers[DEMO_OFFICERS] = {
    {"PK01", "Dra. Sri Wahyuningsih", "Ruang Konseling 1"},
    {"PK02", "Budi Santoso, S.Sos.", "Ruang Konseling 2"},
    {"PK03", "Ni Luh Putu Ayu Kartika", "Ruang Konseling 3"},
    {"PK04", "H. Ahmad Fauzi, S.H., M.H.", "Ruang Litmas"},
    {"PK05", "Maria Goretti Simanjuntak", "Ruang Konseling 4"},
    {"PK06", "Yohanes Ndaru Prasetyo", "Ruang Konseling 5"},
    {"PK07", "Ma'ruf Hidayatullah", "Ruang Konseling 6"},
    {"PK08", "Siti Nur'aini, S.Psi.", "Ruang Kelompok"},
};

static const char *const first[] = {"Agus", "Dedi", "Rizky", "Slamet", "Joko",  "Wahyu", "Andi",
                                    "Bayu", "Eko",  "Fajar", "Hendra", "Indra", "Yusuf", "Rahmat",
                                    "Dewi", "Rina", "Putri", "Kadek",  "Made",  "Teguh"};
static const char *const last[] = {"Saputra", "Hidayat",   "Pratama",   "Siregar", "Nasution",
                                   "Wibowo",  "Kurniawan", "Setiawan",  "Lubis",   "Gunawan",
                                   "Sinaga",  "Permana",   "Firmansyah"};
static const bk_program programs[] = {BK_PROGRAM_PB,        BK_PROGRAM_CB, BK_PROGRAM_CMB,
                                      BK_PROGRAM_ASIMILASI, BK_PROGRAM_PB, BK_PROGRAM_PB,
                                      BK_PROGRAM_OTHER};

/* A tiny deterministic generator (LCG), state passed explicitly. */
static unsigned next(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7FFF;
}

void demo_client(int i, char no[STORE_ID_SZ], char birth[STORE_DAY_SZ])
{
    snprintf(no, STORE_ID_SZ, "24%04d", i + 1);
    unsigned s = 7919u * (unsigned)(i + 1);
    int y = 1965 + (int)(next(&s) % 40);
    int m = 1 + (int)(next(&s) % 12);
    int d = 1 + (int)(next(&s) % 28);
    snprintf(birth, STORE_DAY_SZ, "%04d-%02d-%02d", y, m, d);
}

static bk_err load(queue_ctx *q, const char *today)
{
    bk_err e;
    for (int i = 0; i < DEMO_OFFICERS; i++) {
        store_officer o = {.active = 1};
        snprintf(o.id, sizeof o.id, "%s", officers[i].id);
        snprintf(o.name, sizeof o.name, "%s", officers[i].name);
        snprintf(o.room, sizeof o.room, "%s", officers[i].room);
        if ((e = store_officer_insert(q->st, &o))) return e;
    }
    unsigned s = 20240601u;
    for (int i = 0; i < DEMO_CLIENTS; i++) {
        store_client c = {.active = 1, .report_every_days = 30};
        demo_client(i, c.no, c.birth);
        const char *extra = i == 6 ? "Ma'ruf Amin" : i == 11 ? "Siti Nur'aini" : NULL;
        if (extra)
            snprintf(c.name, sizeof c.name, "%s", extra);
        else
            snprintf(c.name, sizeof c.name, "%s %s", first[next(&s) % 20], last[next(&s) % 13]);
        c.program = programs[i % (int)(sizeof programs / sizeof programs[0])];
        snprintf(c.officer, sizeof c.officer, "%s", officers[i % DEMO_OFFICERS].id);
        if (i % 10 == 9) c.report_every_days = 14;
        if (i == DEMO_CLIENTS - 1) c.active = 0; /* one client whose supervision has ended */
        if ((e = store_client_insert(q->st, &c))) return e;
    }
    /* PK03 is away today; PK05 covers. */
    store_presence p = {0};
    snprintf(p.day, sizeof p.day, "%s", today);
    snprintf(p.officer, sizeof p.officer, "%s", "PK03");
    p.status = BK_PRESENCE_ABSENT;
    snprintf(p.substitute, sizeof p.substitute, "%s", "PK05");
    snprintf(p.note, sizeof p.note, "%s", "Kunjungan lapangan (field visit)");
    if ((e = store_presence_set(q->st, &p))) return e;

    /* History: 20 past office days (weekdays), a few finished visits per day. */
    int64_t day0;
    if ((e = otime_day_start(today, q->utc_offset_min, &day0))) return e;
    for (int back = 28; back >= 1; back--) {
        char day[11];
        if ((e = otime_day_add(today, -back, day))) return e;
        otime_parts dp;
        int64_t start = day0 - (int64_t)back * 86400;
        otime_local(start, q->utc_offset_min, &dp);
        if (dp.wday == 0 || dp.wday == 6) continue;
        int nvis = 4 + (int)(next(&s) % 5);
        int seq = 0; /* one daily series, as queue.c numbers them */
        for (int k = 0; k < nvis; k++) {
            int ci = (int)(next(&s) % (DEMO_CLIENTS - 1));
            char no[STORE_ID_SZ], birth[STORE_DAY_SZ];
            demo_client(ci, no, birth);
            int pi = (int)(next(&s) % 10);
            /* mostly wajib lapor */
            bk_purpose pidx = pi < 6    ? BK_PURPOSE_REPORT
                              : pi < 8  ? BK_PURPOSE_COUNSELING
                              : pi == 8 ? BK_PURPOSE_DRUG_TEST
                                        : BK_PURPOSE_LITMAS;
            store_ticket t = {0};
            snprintf(t.day, sizeof t.day, "%s", day);
            t.purpose = pidx;
            snprintf(t.client_no, sizeof t.client_no, "%s", no);
            const char *assigned = officers[ci % DEMO_OFFICERS].id;
            snprintf(t.assigned, sizeof t.assigned, "%s", assigned);
            snprintf(t.officer, sizeof t.officer, "%s", assigned);
            t.routed = BK_ROUTED_ASSIGNED;
            t.seq = ++seq;
            snprintf(t.code, sizeof t.code, "%c-%03u", QUEUE_CODE_LETTER,
                     (unsigned)t.seq % 100000u);
            uint8_t raw[TOKEN_BYTES];
            for (int b = 0; b < TOKEN_BYTES; b++)
                raw[b] = (uint8_t)next(&s);
            token_encode(raw, t.token); /* deterministic, same form as real tokens */
            int64_t in = start + 8 * 3600 + (int64_t)k * 1500 + (next(&s) % 600);
            t.order_at = t.checkin_at = in;
            t.called_at = t.last_call_at = in + 300 + (next(&s) % 1500);
            t.calls = 1;
            if (k % 9 == 5) {
                t.status = BK_STATUS_NO_SHOW;
                t.finished_at = t.called_at + 600;
            } else {
                t.started_at = t.called_at + 60;
                t.finished_at = t.started_at + 420 + (next(&s) % 900);
                t.status = BK_STATUS_DONE;
                snprintf(t.served_by, sizeof t.served_by, "%s", assigned);
                t.outcome = pidx == BK_PURPOSE_COUNSELING || k % 4 == 0 ? BK_OUTCOME_COUNSELED
                                                                        : BK_OUTCOME_ADMIN;
            }
            if ((e = store_ticket_insert(q->st, &t))) return e;
            if (t.status == BK_STATUS_DONE && pidx == BK_PURPOSE_REPORT) {
                store_client c;
                if ((e = store_client_get(q->st, no, &c))) return e;
                if (strcmp(c.last_report, day) < 0) {
                    snprintf(c.last_report, sizeof c.last_report, "%s", day);
                    if ((e = store_client_update(q->st, &c))) return e;
                }
            }
        }
    }
    return store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "demo_load", 0, NULL,
                           "demo office loaded");
}

/* One attempt (queue_run body, queue.h; no verify: a lost commit leaves
 * the office loaded or not, and a second demo_load says which). */
static bk_err load_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const char *today = arg;
    store_officer any;
    bk_err e = store_officer_get(q->st, officers[0].id, &any);
    if (e == BK_OK) return BK_ERR_EXISTS;
    if (e != BK_ERR_NOT_FOUND) return e;
    return load(q, today);
}

bk_err demo_load(queue_ctx *q)
{
    char today[11];
    queue_today(q, today);
    static const queue_action act = {.body = load_body};
    return queue_run(q, &act, today);
}
