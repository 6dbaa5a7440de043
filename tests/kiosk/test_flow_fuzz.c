/* Fuzz the kiosk's input handling: random keyboard-wedge bytes (invalid
 * UTF-8, control characters, very long scans), keypad presses, purposes and
 * timer ticks, fed to the real check-in flow over a real demo database.
 * After every step: the typed number is empty or a valid client number, the
 * birth digits are digits, the screen is a real screen; every check-in the
 * flow submits was for a valid number. Run under ASan in CI, this is also a
 * memory-safety fuzz. Deterministic (fixed seeds) so a failure reproduces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "flow.h"
#include "otime.h"
#include "valid.h"

static unsigned rnd(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static int failures;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL step %d: ", step);                                               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

int main(void)
{
    char dir[] = "/tmp/bk-flowfuzz-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char db[128];
    snprintf(db, sizeof db, "%s/t.db", dir);
    store_opts so = {.busy_timeout_ms = 2000, .utc_offset_min = 420, .sync_normal = 1, .create = 1};
    store *st = NULL;
    char err[256];
    if (store_open(db, &so, &st, err, sizeof err)) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    queue_ctx q = {.st = st, .utc_offset_min = 420, .actor = "kiosk:fuzz"};
    if (otime_parse("2026-12-07T03:00:00Z", &q.fixed_now) || demo_load(&q)) {
        fprintf(stderr, "demo load failed\n");
        return 1;
    }
    const flow_opts opts = {.idle_ms = 30000,
                            .ticket_idle_ms = 15000,
                            .countdown_ms = 10000,
                            .scan_gap_ms = 1500,
                            .long_press_ms = 3000,
                            .retry_open_ms = 15000,
                            .exit_pin = "2468"};
    /* Bytes a scanner or a stuck keyboard may send, weighted toward
     * client-number characters so some scans are valid. */
    static const char pool[] = "0123456789240001ABCxyz./-  \t\x01\x1b\x7f\xc3\xa9\xff\xfe\xe2\x80";
    int step = 0, submitted = 0;
    for (unsigned seed = 1; seed <= 40; seed++) {
        unsigned s = seed * 2654435761u;
        flow f;
        int64_t now = 1000000;
        flow_init(&f, &opts, 0, now);
        for (int i = 0; i < 400; i++, step++) {
            now += (int64_t)(rnd(&s) % 2000);
            switch (rnd(&s) % 16) {
            case 14:
            case 15: { /* a real client scanned, then a right or wrong date typed */
                char no[STORE_ID_SZ], birth[STORE_DAY_SZ], text[64];
                demo_client((int)(rnd(&s) % DEMO_CLIENTS), no, birth);
                snprintf(text, sizeof text, "%s", no);
                flow_text(&f, text, now);
                flow_enter(&f, now);
                now += 800;
                if (rnd(&s) % 3)
                    snprintf(text, sizeof text, "%.2s%.2s%.4s", birth + 8, birth + 5, birth);
                else
                    snprintf(text, sizeof text, "%02u011990", 1u + rnd(&s) % 28u);
                flow_text(&f, text, now);
                flow_enter(&f, now);
                break;
            }
            case 0:
                flow_start(&f, now);
                break;
            case 1:
            case 2:
                flow_digit(&f, (int)(rnd(&s) % 10), now);
                break;
            case 3:
                flow_delete(&f, now);
                break;
            case 4:
                flow_ok(&f, now);
                break;
            case 5:
                flow_back(&f, now);
                break;
            case 6:
            case 7: {
                char text[80];
                unsigned longscan = rnd(&s) % 8 == 0;              /* one call per statement: */
                int n = 1 + (int)(rnd(&s) % (longscan ? 79 : 12)); /* same in every build */
                for (int k = 0; k < n; k++)
                    text[k] = pool[rnd(&s) % (sizeof pool - 1)];
                text[n] = 0;
                flow_text(&f, text, now);
                break;
            }
            case 8:
                flow_enter(&f, now);
                break;
            case 9:
                flow_choose(&f, (bk_purpose)(rnd(&s) % BK_PURPOSE__COUNT), now);
                break;
            case 10:
                flow_retry(&f, now);
                break;
            case 11:
                flow_done(&f, now);
                break;
            case 12:
                flow_touch(&f, now);
                break;
            default:
                flow_tick(&f, now);
                break;
            }
            if (flow_job_pending(&f)) {
                if (f.job.kind == FLOW_JOB_CHECKIN) {
                    CHECK(valid_client_no(f.job.client_no, NULL) == BK_OK,
                          "check-in submitted for an invalid number \"%s\"", f.job.client_no);
                    CHECK(valid_date(f.job.birth, NULL, NULL, NULL, NULL) == BK_OK,
                          "check-in submitted with an invalid birth date \"%s\"", f.job.birth);
                    submitted++;
                }
                flow_job job = f.job; /* a copy, as the kiosk's worker gets */
                flow_result res;
                flow_job_run(&job, &q, &res);
                now += 5;
                flow_job_finish(&f, &res, now);
            }
            CHECK(!f.number[0] || valid_client_no(f.number, NULL) == BK_OK,
                  "typed number \"%s\" is not a valid client number", f.number);
            CHECK(strspn(f.birth_digits, "0123456789") == strlen(f.birth_digits),
                  "birth digits \"%s\"", f.birth_digits);
            CHECK(f.screen < FLOW__SCREENS, "screen %d", (int)f.screen);
            if (failures > 20) goto done;
        }
    }
done:
    store_close(st);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    printf("flow fuzz: %d steps, %d check-ins submitted, %d failures\n", step, submitted, failures);
    return failures ? 1 : 0;
}
