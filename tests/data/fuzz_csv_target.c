/* fuzz_csv_target.c — the CSV import fuzz target: parse and validate any
 * bytes as an officers file and as a clients file, and check invariants
 * (abort() on a violation so both libFuzzer and the replay notice).
 *
 * Built two ways: with -DBK_LIBFUZZER as a libFuzzer target (clang,
 * tests/data/CMakeLists.txt target fuzz_csv), and linked into
 * fuzz_csv_replay, which runs it deterministically under CTest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvimport.h"
#include "valid.h"

int fuzz_csv_one(const uint8_t *data, size_t len);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_csv: invariant failed at %s:%d: %s\n", __FILE__, __LINE__,       \
                    #cond);                                                                        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Officer references: ids starting with X do not exist, with Y are an
 * ambiguous name, with Z are inactive; other valid ids exist. */
static bk_err find(void *ud, const char *ref, char id[STORE_ID_SZ], int *active)
{
    (void)ud;
    if (valid_officer_id(ref, NULL) || ref[0] == 'X') return BK_ERR_NOT_FOUND;
    if (ref[0] == 'Y') return BK_ERR_EXISTS;
    snprintf(id, STORE_ID_SZ, "%s", ref);
    *active = ref[0] != 'Z';
    return BK_OK;
}

static int physical_lines(const uint8_t *d, size_t n)
{
    int lines = 1;
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= n || d[i + 1] != '\n'))) lines++;
    return lines;
}

static void check_problems(const csvimport_problems *pr, int max_line)
{
    CHECK(pr->n <= pr->total);
    CHECK(pr->n <= CSVIMPORT_MAX_KEPT);
    for (size_t i = 0; i < pr->n; i++) {
        CHECK(pr->v[i].line >= 0 && pr->v[i].line <= max_line);
        CHECK(pr->v[i].msg[0] != 0);
        CHECK(pr->v[i].column[0] != 0);
        if (i) CHECK(pr->v[i - 1].line <= pr->v[i].line);
        char line[400];
        csvimport_problem_format(&pr->v[i], line, sizeof line);
        CHECK(strncmp(line, "line ", 5) == 0);
    }
}

static void check_rows(const csvimport_rows *r, csvimport_kind kind, int max_line)
{
    for (size_t i = 0; i < r->n; i++) {
        if (kind == CSVIMPORT_OFFICERS) {
            const csvimport_officer_row *o = &r->officers[i];
            CHECK(o->line >= 1 && o->line <= max_line);
            CHECK(valid_officer_id(o->o.id, NULL) == BK_OK);
            CHECK(valid_text(o->o.name, VALID_NAME_MAX, 1, NULL) == BK_OK);
            CHECK(valid_text(o->o.room, VALID_ROOM_MAX, 0, NULL) == BK_OK);
            CHECK(o->o.active == 0 || o->o.active == 1);
            for (size_t j = 0; j < i; j++)
                CHECK(strcmp(r->officers[j].o.id, o->o.id) != 0 || i > 200);
        } else {
            const csvimport_client_row *c = &r->clients[i];
            CHECK(c->line >= 1 && c->line <= max_line);
            CHECK(valid_client_no(c->c.no, NULL) == BK_OK);
            CHECK(valid_text(c->c.name, VALID_NAME_MAX, 1, NULL) == BK_OK);
            CHECK(valid_date(c->c.birth, NULL, NULL, NULL, NULL) == BK_OK);
            CHECK(strcmp(c->c.birth, "2026-12-31") <= 0);
            CHECK(valid_officer_id(c->c.officer, NULL) == BK_OK);
            CHECK(c->c.officer[0] != 'X' && c->c.officer[0] != 'Y');
            CHECK(!(c->c.officer[0] == 'Z' && c->c.active));
            CHECK((unsigned)c->c.program < BK_PROGRAM__COUNT);
            CHECK(c->c.report_every_days >= 1 && c->c.report_every_days <= 366);
            CHECK(c->c.last_report[0] == 0 ||
                  valid_date(c->c.last_report, NULL, NULL, NULL, NULL) == BK_OK);
            for (size_t j = 0; j < i && i <= 200; j++)
                CHECK(strcmp(r->clients[j].c.no, c->c.no) != 0);
        }
        if (i)
            CHECK((kind == CSVIMPORT_OFFICERS ? r->officers[i - 1].line : r->clients[i - 1].line) <
                  (kind == CSVIMPORT_OFFICERS ? r->officers[i].line : r->clients[i].line));
    }
}

int fuzz_csv_one(const uint8_t *data, size_t len)
{
    int max_line = physical_lines(data, len);
    csvimport_file f;
    csvimport_problems pr = {0};
    bk_err e = csvimport_parse(data, len, &f, &pr);
    CHECK(e == BK_OK || e == BK_ERR_INVALID || e == BK_ERR_NOMEM);
    CHECK(e != BK_ERR_INVALID || pr.total > 0);
    CHECK(f.delim == ',' || f.delim == ';' || f.delim == '\t' || f.delim == '|');
    for (size_t i = 0; i < f.nrecords; i++) {
        int line = csvimport_line(&f, i);
        CHECK(line >= 1 && line <= max_line);
        if (i) CHECK(csvimport_line(&f, i - 1) < line);
        size_t n = csvimport_nfields(&f, i);
        CHECK(n >= 1);
        int blank = 1;
        for (size_t j = 0; j < n; j++) {
            size_t flen = 0;
            const char *s = csvimport_field(&f, i, j, &flen);
            CHECK(s[flen] == 0);
            CHECK(strlen(s) <= flen);
            CHECK(flen <= len);
            if (flen) blank = 0;
        }
        CHECK(!blank); /* blank records are dropped */
    }
    check_problems(&pr, max_line);
    if (e == BK_OK) {
        for (int k = 0; k < 2; k++) {
            csvimport_kind kind = k ? CSVIMPORT_CLIENTS : CSVIMPORT_OFFICERS;
            csvimport_env env = {.today = "2026-12-31", .officer_find = find};
            csvimport_problems vp = {0};
            csvimport_rows rows;
            bk_err ve = csvimport_validate(&f, kind, &env, &rows, &vp);
            CHECK(ve == BK_OK || ve == BK_ERR_INVALID || ve == BK_ERR_NOMEM);
            if (ve == BK_OK) {
                CHECK(vp.total == 0);
                CHECK(rows.n + 1 == f.nrecords);
                check_rows(&rows, kind, max_line);
            } else if (ve == BK_ERR_INVALID) {
                CHECK(vp.total > 0);
                CHECK(rows.n == 0);
            }
            check_problems(&vp, max_line);
            csvimport_rows_free(&rows);
            csvimport_problems_free(&vp);
        }
    }
    csvimport_file_free(&f);
    csvimport_problems_free(&pr);
    return 0;
}

#ifdef BK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_csv_one(data, size);
}
#endif
