/* flow.c — the kiosk check-in state machine (see flow.h). */
#include "flow.h"
#include "answers.h"
#include "calendar.h"
#include "store_answers.h"

#include <stdio.h>
#include <string.h>

static const char *const screen_ids[FLOW__SCREENS] = {
    "welcome", "identify", "verify",    "purpose",  "ticket",
    "help",    "operator", "no-number", "question",
};

_Static_assert(FLOW_QUESTION_SZ == STORE_QUESTION_SZ, "one size for a question's text");
_Static_assert(FLOW_QUESTIONS_MAX <= ANSWERS_MAX, "the kiosk's questions fit a ticket");

const char *flow_screen_id(flow_screen s)
{
    return s >= 0 && s < FLOW__SCREENS ? screen_ids[s] : "?";
}

flow_screen flow_screen_from_id(const char *id)
{
    for (int i = 0; i < FLOW__SCREENS; i++)
        if (id && strcmp(id, screen_ids[i]) == 0) return (flow_screen)i;
    return FLOW__SCREENS;
}

static void changed(flow *f)
{
    f->gen++;
}

/* A job that holds the screen (everything but the background open). */
static int blocking(const flow *f)
{
    return f->job_pending && f->job.kind != FLOW_JOB_OPEN && f->job.kind != FLOW_JOB_CALL;
}

static void clear_entry(flow *f)
{
    memset(f->number, 0, sizeof f->number);
    memset(f->birth_digits, 0, sizeof f->birth_digits);
    f->purpose = BK_PURPOSE__COUNT; /* none chosen */
    memset(f->scan, 0, sizeof f->scan);
    memset(f->pin, 0, sizeof f->pin);
    f->date_error = 0;
    f->scan_at = 0;
    f->pin_wrong = 0;
    f->number_typed = 0;
    f->letters = 0;
}

void flow_reset(flow *f, int64_t now)
{
    clear_entry(f);
    f->help = FLOW_HELP_NONE;
    f->help_from_checkin = 0;
    f->failures = f->attempts_left = 0;
    f->has_ticket = 0;
    memset(&f->ticket, 0, sizeof f->ticket);
    memset(&f->assigned, 0, sizeof f->assigned);
    f->has_assigned = 0;
    memset(&f->schedule, 0, sizeof f->schedule);
    f->has_schedule = 0;
    f->next_report[0] = 0;
    f->walkin = 0;
    f->no_number = 0;
    f->n_questions = 0;
    memset(f->questions, 0, sizeof f->questions);
    f->question = 0;
    for (int i = 0; i < FLOW_QUESTIONS_MAX; i++)
        f->answer_yes[i] = -1;
    f->answers_state = FLOW_ANSWERS_NONE;
    f->print = FLOW_PRINT_NONE;
    f->corner_since = 0;
    f->corner_down = 0;
    f->screen = FLOW_WELCOME;
    f->last_input_ms = now;
    changed(f);
}

static void set_job(flow *f, flow_job_kind kind)
{
    flow_job *j = &f->job;
    memset(j, 0, sizeof *j);
    j->kind = kind;
    snprintf(j->client_no, sizeof j->client_no, "%s", f->number);
    if (strlen(f->birth_digits) == 8) {
        const char *b = f->birth_digits; /* DDMMYYYY -> YYYY-MM-DD */
        snprintf(j->birth, sizeof j->birth, "%.4s-%.2s-%.2s", b + 4, b + 2, b);
    }
    j->purpose = f->purpose < BK_PURPOSE__COUNT ? f->purpose : BK_PURPOSE_OTHER;
    if (kind == FLOW_JOB_ANSWERS) {
        j->ticket_id = f->ticket.t.id;
        for (int i = 0; i < f->n_questions; i++) {
            if (f->answer_yes[i] < 0) continue;
            j->answer_id[j->n_answers] = f->questions[i].id;
            j->answer_yes[j->n_answers] = f->answer_yes[i];
            j->n_answers++;
        }
    }
    f->job_pending = 1;
    changed(f);
}

/* Queue a job now, or after the background open that is still running. */
static void queue_job(flow *f, flow_job_kind kind)
{
    if (f->job_pending) {
        f->deferred = kind;
        changed(f);
        return;
    }
    set_job(f, kind);
}

void flow_init(flow *f, const flow_opts *o, int reopen, int64_t now)
{
    memset(f, 0, sizeof *f);
    f->o = *o;
    if (f->o.idle_ms <= 0) f->o.idle_ms = 30000;
    if (f->o.ticket_idle_ms <= 0) f->o.ticket_idle_ms = 15000;
    if (f->o.ticket_keep_ms <= 0) f->o.ticket_keep_ms = 120000;
    if (f->o.ticket_keep_ms < f->o.ticket_idle_ms) f->o.ticket_keep_ms = f->o.ticket_idle_ms;
    if (f->o.countdown_ms < 0)
        f->o.countdown_ms = 0;
    else if (f->o.countdown_ms == 0)
        f->o.countdown_ms = 10000;
    if (f->o.scan_gap_ms <= 0) f->o.scan_gap_ms = 1500;
    if (f->o.long_press_ms <= 0) f->o.long_press_ms = 3000;
    if (f->o.retry_open_ms <= 0) f->o.retry_open_ms = BACKOFF_CAP_MS;
    backoff_init(&f->open_backoff, 0, f->o.retry_open_ms, o->seed ? o->seed : backoff_seed());
    snprintf(f->exit_pin, sizeof f->exit_pin, "%s", o->exit_pin ? o->exit_pin : "");
    f->o.exit_pin = f->exit_pin;
    f->reopen = reopen;
    flow_reset(f, now);
    if (f->reopen) set_job(f, FLOW_JOB_OPEN);
}

void flow_touch(flow *f, int64_t now)
{
    if (flow_countdown(f, now) > 0) changed(f); /* the countdown disappears */
    f->last_input_ms = now;
}

void flow_start(flow *f, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_WELCOME) return;
    flow_touch(f, now);
    clear_entry(f);
    f->screen = FLOW_IDENTIFY;
    changed(f);
}

void flow_set_today(flow *f, const char *ymd)
{
    if (!ymd || valid_date(ymd, NULL, NULL, NULL, NULL) != BK_OK) ymd = "";
    snprintf(f->today, sizeof f->today, "%s", ymd);
}

/* 0 if the 8 digits DDMMYYYY are a plausible birth date on `today`
 * ("YYYY-MM-DD" or "" = unknown), else FLOW_DATE_BAD / FLOW_DATE_AGE. */
static int date_check(const char *digits, const char *today)
{
    if (strlen(digits) != 8) return FLOW_DATE_BAD;
    char iso[11];
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", digits + 4, digits + 2, digits);
    int y, m, d;
    if (valid_date(iso, &y, &m, &d, NULL) != BK_OK) return FLOW_DATE_BAD;
    int ty, tm, td;
    if (!today[0] || valid_date(today, &ty, &tm, &td, NULL) != BK_OK) return 0;
    if (strcmp(iso, today) > 0) return FLOW_DATE_AGE; /* in the future */
    int age = ty - y - ((tm < m || (tm == m && td < d)) ? 1 : 0);
    return age < FLOW_AGE_MIN || age > FLOW_AGE_MAX ? FLOW_DATE_AGE : 0;
}

static int date_ok(const flow *f)
{
    return date_check(f->birth_digits, f->today) == 0;
}

int flow_tries_shown(const flow *f, int *left)
{
    if (left) *left = f->attempts_left;
    return f->screen == FLOW_HELP && f->help == FLOW_HELP_MISMATCH &&
           f->failures >= FLOW_TRIES_SHOWN_FROM && f->attempts_left > 0;
}

static void append(char *buf, size_t sz, size_t max, char c)
{
    size_t n = strlen(buf);
    if (n < max && n + 1 < sz) {
        buf[n] = c;
        buf[n + 1] = 0;
    }
}

void flow_digit(flow *f, int digit, int64_t now)
{
    if (blocking(f) || digit < 0 || digit > 9) return;
    flow_touch(f, now);
    char c = (char)('0' + digit);
    switch (f->screen) {
    case FLOW_IDENTIFY:
        if (f->number_typed) { /* keypad after a scan: start a fresh number */
            f->number[0] = 0;
            f->number_typed = 0;
        }
        append(f->number, sizeof f->number, FLOW_NUMBER_MAX, c);
        break;
    case FLOW_VERIFY:
        append(f->birth_digits, sizeof f->birth_digits, 8, c);
        f->date_error = strlen(f->birth_digits) == 8 ? date_check(f->birth_digits, f->today) : 0;
        break;
    case FLOW_OPERATOR:
        append(f->pin, sizeof f->pin, FLOW_PIN_MAX, c);
        break;
    default:
        return;
    }
    changed(f);
}

void flow_char(flow *f, char c, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_IDENTIFY || !c || (c >= '0' && c <= '9') ||
        !strchr(f->no_chars, c))
        return;
    flow_touch(f, now);
    if (f->number_typed) { /* keypad after a scan: start a fresh number */
        f->number[0] = 0;
        f->number_typed = 0;
    }
    append(f->number, sizeof f->number, VALID_CLIENT_NO_MAX, c);
    changed(f);
}

void flow_keypad_page(flow *f, int letters, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_IDENTIFY) return;
    flow_touch(f, now);
    letters = letters && f->no_chars[0];
    if (f->letters != letters) {
        f->letters = letters;
        changed(f);
    }
}

void flow_no_number(flow *f, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_IDENTIFY) return;
    flow_touch(f, now);
    clear_entry(f);
    f->screen = FLOW_NO_NUMBER;
    changed(f);
}

static void drop_last(char *s)
{
    size_t n = strlen(s);
    if (n) s[n - 1] = 0;
}

void flow_delete(flow *f, int64_t now)
{
    if (blocking(f)) return;
    flow_touch(f, now);
    switch (f->screen) {
    case FLOW_IDENTIFY:
        drop_last(f->number);
        break;
    case FLOW_VERIFY:
        drop_last(f->birth_digits);
        f->date_error = 0;
        break;
    case FLOW_OPERATOR:
        drop_last(f->pin);
        break;
    default:
        return;
    }
    changed(f);
}

int flow_can_ok(const flow *f)
{
    if (blocking(f)) return 0;
    switch (f->screen) {
    case FLOW_IDENTIFY:
        return f->number[0] && valid_client_no(f->number, NULL) == BK_OK;
    case FLOW_VERIFY:
        return date_ok(f);
    case FLOW_OPERATOR:
        return f->pin[0] != 0;
    default:
        return 0;
    }
}

/* Compare without an early exit, so timing does not leak the PIN. */
static int pin_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned diff = (unsigned)(na ^ nb);
    for (size_t i = 0; i < na; i++)
        diff |= (unsigned)(unsigned char)a[i] ^ (unsigned)(unsigned char)b[i % (nb ? nb : 1)];
    return diff == 0 && nb > 0;
}

void flow_ok(flow *f, int64_t now)
{
    if (blocking(f)) return;
    flow_touch(f, now);
    switch (f->screen) {
    case FLOW_IDENTIFY:
        if (!flow_can_ok(f)) return;
        f->letters = 0; /* [identify] opens on its digits page again */
        memset(f->birth_digits, 0, sizeof f->birth_digits);
        f->date_error = 0;
        f->screen = FLOW_VERIFY;
        break;
    case FLOW_VERIFY:
        if (strlen(f->birth_digits) != 8) return;
        if ((f->date_error = date_check(f->birth_digits, f->today)) != 0)
            break; /* refused here: no job, no try counted */
        /* identity before purpose: a mismatch ends on [help] at once */
        queue_job(f, FLOW_JOB_IDENTIFY);
        return;
    case FLOW_OPERATOR:
        if (!f->pin[0]) return;
        if (pin_equal(f->pin, f->exit_pin)) {
            f->quit = 1;
        } else {
            f->pin_wrong++;
            memset(f->pin, 0, sizeof f->pin);
            if (f->pin_wrong >= 3) {
                flow_reset(f, now);
                return;
            }
        }
        break;
    default:
        return;
    }
    changed(f);
}

void flow_back(flow *f, int64_t now)
{
    if (blocking(f)) return;
    flow_touch(f, now);
    switch (f->screen) {
    case FLOW_VERIFY:
        f->screen = FLOW_IDENTIFY;
        break;
    case FLOW_PURPOSE:
        f->screen = FLOW_VERIFY;
        break;
    case FLOW_NO_NUMBER:
        f->screen = FLOW_IDENTIFY;
        break;
    case FLOW_QUESTION:
        if (!flow_can_back(f)) return; /* the ticket exists: nothing before */
        f->question--;
        break;
    case FLOW_IDENTIFY:
    case FLOW_TICKET:
    case FLOW_HELP:
    case FLOW_OPERATOR:
        flow_reset(f, now);
        return;
    default:
        return;
    }
    changed(f);
}

static int client_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
           c == '/' || c == '-';
}

void flow_text(flow *f, const char *utf8, int64_t now)
{
    if (blocking(f) || !utf8) return;
    int64_t prev = f->scan_at;
    flow_touch(f, now);
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
        switch (f->screen) {
        case FLOW_WELCOME: {
            if (f->scan[0] && now - prev > f->o.scan_gap_ms) f->scan[0] = 0; /* a stale half scan */
            /* anything that is not a client-number character spoils the scan */
            char c = client_char(*p) ? (char)*p : '?';
            size_t n = strlen(f->scan);
            if (n + 1 < sizeof f->scan) {
                f->scan[n] = c;
                f->scan[n + 1] = 0;
            } else {
                f->scan[sizeof f->scan - 2] = '?'; /* too long: cannot be valid */
            }
            f->scan_at = now;
            prev = now;
            break; /* invisible until Enter */
        }
        case FLOW_IDENTIFY:
            if (!client_char(*p)) break;
            if (!f->number_typed) { /* a scan or keyboard replaces keypad digits */
                f->number[0] = 0;
                f->number_typed = 1;
            }
            append(f->number, sizeof f->number, VALID_CLIENT_NO_MAX, (char)*p);
            changed(f);
            break;
        case FLOW_VERIFY:
        case FLOW_OPERATOR:
            if (*p >= '0' && *p <= '9') flow_digit(f, *p - '0', now);
            break;
        default:
            break;
        }
    }
}

void flow_enter(flow *f, int64_t now)
{
    if (blocking(f)) return;
    flow_touch(f, now);
    switch (f->screen) {
    case FLOW_WELCOME:
        if (!f->scan[0]) return;
        char scan[sizeof f->scan];
        memcpy(scan, f->scan, sizeof scan);
        clear_entry(f); /* also empties f->scan */
        if (strlen(scan) >= sizeof f->number || valid_client_no(scan, NULL) != BK_OK) {
            f->help = FLOW_HELP_MISMATCH;
            f->screen = FLOW_HELP;
        } else {
            memcpy(f->number, scan, strlen(scan) + 1);
            f->number_typed = 1;
            f->screen = FLOW_VERIFY;
        }
        memset(scan, 0, sizeof scan);
        changed(f);
        break;
    case FLOW_IDENTIFY:
    case FLOW_VERIFY:
    case FLOW_OPERATOR:
        flow_ok(f, now);
        break;
    default:
        break;
    }
}

void flow_choose(flow *f, bk_purpose purpose, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_PURPOSE || (unsigned)purpose >= BK_PURPOSE__COUNT) return;
    flow_touch(f, now);
    f->purpose = purpose;
    queue_job(f, FLOW_JOB_CHECKIN);
}

int flow_can_back(const flow *f)
{
    return f->screen == FLOW_QUESTION && !blocking(f) && f->question > 0;
}

void flow_answer(flow *f, int yes, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_QUESTION || f->question < 0 ||
        f->question >= f->n_questions)
        return;
    flow_touch(f, now);
    f->answer_yes[f->question] = yes ? 1 : 0;
    if (f->question + 1 < f->n_questions) {
        f->question++;
        changed(f);
        return;
    }
    queue_job(f, FLOW_JOB_ANSWERS);
}

void flow_retry(flow *f, int64_t now)
{
    if (blocking(f) || f->screen != FLOW_HELP) return;
    flow_touch(f, now);
    if ((f->help == FLOW_HELP_UNAVAILABLE || f->help == FLOW_HELP_OFFLINE) &&
        f->help_from_checkin && f->number[0] && strlen(f->birth_digits) == 8) {
        /* the check-in again, or the identity check when no purpose was chosen */
        queue_job(f, f->purpose < BK_PURPOSE__COUNT ? FLOW_JOB_CHECKIN : FLOW_JOB_IDENTIFY);
        return;
    }
    if (f->help == FLOW_HELP_MISMATCH) {
        /* keep the number so it can be checked; the birth date is typed again */
        memset(f->birth_digits, 0, sizeof f->birth_digits);
        f->purpose = BK_PURPOSE__COUNT;
        f->date_error = 0;
        f->help = FLOW_HELP_NONE;
        f->failures = f->attempts_left = 0;
        f->screen = FLOW_IDENTIFY;
        changed(f);
        return;
    }
    flow_reset(f, now);
    flow_start(f, now);
}

void flow_reception(flow *f, int64_t now)
{
    if (blocking(f) || (f->screen != FLOW_HELP && f->screen != FLOW_NO_NUMBER)) return;
    flow_touch(f, now);
    if (f->screen == FLOW_NO_NUMBER) {
        clear_entry(f);
        queue_job(f, FLOW_JOB_NO_NUMBER);
        return;
    }
    /* the client's identity is not needed for a reception ticket */
    memset(f->number, 0, sizeof f->number);
    memset(f->birth_digits, 0, sizeof f->birth_digits);
    queue_job(f, FLOW_JOB_WALKIN);
}

void flow_done(flow *f, int64_t now)
{
    if (blocking(f)) return;
    flow_reset(f, now);
}

void flow_corner_press(flow *f, int64_t now)
{
    if (!f->exit_pin[0] || f->screen == FLOW_OPERATOR || blocking(f)) return;
    f->corner_down = 1;
    f->corner_since = now;
}

void flow_corner_release(flow *f, int64_t now)
{
    (void)now;
    f->corner_down = 0;
    f->corner_since = 0;
}

void flow_set_print(flow *f, flow_print p)
{
    if (f->print != p) {
        f->print = p;
        changed(f);
    }
}

int64_t flow_idle_left(const flow *f, int64_t now)
{
    if (f->screen == FLOW_WELCOME || blocking(f)) return -1;
    /* a slip that did not print: the ticket stays until the client leaves */
    int64_t limit = f->screen != FLOW_TICKET        ? f->o.idle_ms
                    : f->print == FLOW_PRINT_FAILED ? f->o.ticket_keep_ms
                                                    : f->o.ticket_idle_ms;
    int64_t left = f->last_input_ms + limit - now;
    return left < 0 ? 0 : left;
}

int flow_countdown(const flow *f, int64_t now)
{
    int64_t left = flow_idle_left(f, now);
    if (left <= 0 || left > f->o.countdown_ms) return 0;
    return (int)((left + 999) / 1000);
}

static void wake_min(int64_t *best, int64_t v)
{
    if (v < 0) v = 0;
    if (*best < 0 || v < *best) *best = v;
}

int64_t flow_next_wakeup(const flow *f, int64_t now)
{
    int64_t best = -1;
    int64_t left = flow_idle_left(f, now);
    if (left >= 0) {
        if (left > f->o.countdown_ms) {
            wake_min(&best, left - f->o.countdown_ms);
        } else {
            int64_t w = left % 1000;
            wake_min(&best, w == 0 && left > 0 ? 1000 : w);
        }
    }
    if (f->corner_down) wake_min(&best, f->corner_since + f->o.long_press_ms - now);
    if (f->screen == FLOW_WELCOME && f->reopen && f->db_down && !f->job_pending)
        wake_min(&best, f->next_open_at - now);
    return best;
}

int flow_tick(flow *f, int64_t now)
{
    if (blocking(f)) return 0;
    if (f->corner_down && now - f->corner_since >= f->o.long_press_ms) {
        flow_reset(f, now);
        f->screen = FLOW_OPERATOR;
        changed(f);
        return 1;
    }
    if (flow_idle_left(f, now) == 0) {
        flow_reset(f, now);
        return 1;
    }
    if (f->screen == FLOW_WELCOME && f->reopen && f->db_down && !f->job_pending &&
        now >= f->next_open_at) {
        set_job(f, FLOW_JOB_OPEN);
    }
    return 0;
}

int flow_job_pending(const flow *f)
{
    return f->job_pending;
}

int flow_call(flow *f, bk_err (*fn)(void *arg, queue_ctx *q), void *arg)
{
    if (f->job_pending || !fn) return -1;
    set_job(f, FLOW_JOB_CALL);
    f->job.call = fn;
    f->job.call_arg = arg;
    return 0;
}

static bk_err add_question(void *ud, const store_question *sq)
{
    flow_result *out = ud;
    if (out->n_questions >= FLOW_QUESTIONS_MAX) return BK_OK;
    flow_question *fq = &out->questions[out->n_questions++];
    fq->id = sq->id;
    memcpy(fq->text_id, sq->text_id, sizeof fq->text_id);
    memcpy(fq->text_en, sq->text_en, sizeof fq->text_en);
    return BK_OK;
}

/* A report ticket: the active questions, unless it has answers already (a
 * returning client's open ticket). On failure none are asked. */
static bk_err load_questions(queue_ctx *q, flow_result *out)
{
    store_answer have[1];
    int n = 0;
    bk_err e = store_answers_get(q->st, out->view.t.id, have, 1, &n);
    if (!e && n > 0) {
        out->answered = 1;
        return BK_OK;
    }
    if (!e) e = store_questions_list(q->st, 1, add_question, out);
    if (e) {
        out->n_questions = 0;
        memset(out->questions, 0, sizeof out->questions);
    }
    return e;
}

bk_err flow_job_run(const flow_job *j, queue_ctx *q, flow_result *out)
{
    bk_err e = BK_OK;
    memset(out, 0, sizeof *out);
    if (!q->st) {
        e = BK_ERR_INTERNAL;
        goto out;
    }
    switch (j->kind) {
    case FLOW_JOB_CHECKIN:
        e = queue_checkin(q, j->client_no, j->birth, j->purpose, &out->view);
        if (e == BK_OK && out->view.t.routed == BK_ROUTED_SUBSTITUTE && out->view.t.assigned[0] &&
            store_officer_get(q->st, out->view.t.assigned, &out->assigned) == BK_OK)
            out->has_assigned = 1;
        if (e == BK_OK && queue_visit_has(&out->view.t, BK_PURPOSE_REPORT)) {
            store_client c;
            if (store_client_get(q->st, j->client_no, &c) == BK_OK) {
                memcpy(out->schedule.no, c.no, sizeof c.no);
                memcpy(out->schedule.last_report, c.last_report, sizeof c.last_report);
                out->schedule.report_every_days = c.report_every_days;
                out->schedule.active = c.active;
                out->has_schedule = 1;
            }
            memset(&c, 0, sizeof c);
            /* No date rather than a wrong one if the calendar cannot be read. */
            if (cal_next_report_ticket(q->st, q->working_days, &out->view.t, out->next_report))
                out->next_report[0] = 0;
            out->questions_err = load_questions(q, out);
        }
        break;
    case FLOW_JOB_ANSWERS: {
        answers_set a = {.n = j->n_answers};
        for (int i = 0; i < j->n_answers && i < FLOW_QUESTIONS_MAX; i++) {
            a.id[i] = j->answer_id[i];
            a.yes[i] = j->answer_yes[i];
        }
        e = answers_put(q, j->ticket_id, &a);
        if (e == BK_ERR_EXISTS) e = BK_OK; /* answered already (a replay): nothing lost */
        memset(&a, 0, sizeof a);
        break;
    }
    case FLOW_JOB_WALKIN:
        e = queue_walkin(q, j->purpose, NULL, &out->view);
        break;
    case FLOW_JOB_NO_NUMBER:
        e = queue_no_number(q, NULL, &out->view);
        break;
    case FLOW_JOB_IDENTIFY:
        e = queue_identify(q, j->client_no, j->birth, &out->view);
        break;
    case FLOW_JOB_CALL:
        e = j->call ? j->call(j->call_arg, q) : BK_OK;
        break;
    default:
        break;
    }
    /* the keypad's characters: when the store opens and after each
     * check-in (clients imported meanwhile); not having them is no error */
    if (e == BK_OK && (j->kind == FLOW_JOB_OPEN || j->kind == FLOW_JOB_CHECKIN))
        out->has_no_chars = store_client_no_chars(q->st, out->no_chars) == BK_OK;
out:
    out->err = e;
    if ((e == BK_ERR_READONLY || e == BK_ERR_DISK_FULL) && q->st)
        snprintf(out->why, sizeof out->why, "%s", store_errmsg(q->st));
    return e;
}

/* The database answered, or not: db_down and the reopen schedule. */
static void note_db(flow *f, int down, int64_t now)
{
    if (!down) f->db_unreachable = 0;
    if (down) {
        f->db_down = 1;
        f->next_open_at = now + backoff_next(&f->open_backoff);
    } else {
        f->db_down = 0;
        backoff_reset(&f->open_backoff);
    }
}

/* A check-in or reception ticket that failed (or was not even tried because
 * the database could not be opened): the [help] screen for e. */
static void job_failed(flow *f, flow_job_kind kind, bk_err e, const flow_result *r, int64_t now)
{
    f->help_from_checkin = 0;
    f->failures = f->attempts_left = 0;
    if (kind == FLOW_JOB_WALKIN || kind == FLOW_JOB_NO_NUMBER) {
        f->help = FLOW_HELP_NO_TICKET;
    } else if (e == BK_ERR_NOT_FOUND || e == BK_ERR_WRONG_BIRTH || e == BK_ERR_INVALID) {
        f->help = FLOW_HELP_MISMATCH;
        if (r) { /* what the identity check counted (0 where unknown) */
            f->failures = r->view.failures;
            f->attempts_left = r->view.attempts_left;
        }
    } else if (e == BK_ERR_LOCKED) {
        f->help = FLOW_HELP_LOCKED;
    } else if (e == BK_ERR_ENDED) {
        f->help = FLOW_HELP_ENDED;
    } else if (e == BK_ERR_REPORTED) {
        f->help = FLOW_HELP_REPORTED;
    } else if (e == BK_ERR_READONLY || e == BK_ERR_DISK_FULL) {
        f->help = FLOW_HELP_CANNOT_SAVE;
    } else {
        f->help = e == BK_ERR_IO ? FLOW_HELP_OFFLINE : FLOW_HELP_UNAVAILABLE;
        f->help_from_checkin = 1;
    }
    if (e == BK_ERR_BUSY || e == BK_ERR_IO || e == BK_ERR_INTERNAL || e == BK_ERR_READONLY ||
        e == BK_ERR_DISK_FULL) {
        note_db(f, 1, now);
        f->db_unreachable = e == BK_ERR_IO;
    }
    if (!f->help_from_checkin) /* a retry starts over */
        memset(f->birth_digits, 0, sizeof f->birth_digits);
    f->screen = FLOW_HELP;
    changed(f);
}

void flow_job_finish(flow *f, const flow_result *r, int64_t now)
{
    if (!f->job_pending) return;
    f->job_pending = 0;
    flow_job_kind kind = f->job.kind;
    memset(&f->job, 0, sizeof f->job); /* the identity is not needed any more */
    bk_err e = r->err;
    if (kind != FLOW_JOB_OPEN && kind != FLOW_JOB_CALL)
        f->last_input_ms = now; /* the wait was not the client's idleness */
    flow_job_kind next = f->deferred;
    f->deferred = FLOW_JOB_NONE;
    if (e == BK_OK && r->has_no_chars) {
        if (strcmp(f->no_chars, r->no_chars) != 0) changed(f);
        memcpy(f->no_chars, r->no_chars, sizeof f->no_chars);
    }
    if (kind == FLOW_JOB_OPEN) {
        note_db(f, e != BK_OK, now);
        if (e != BK_OK) f->db_unreachable = e == BK_ERR_IO;
        changed(f);
        if (e != BK_OK && next == FLOW_JOB_ANSWERS) {
            /* the answers could not be saved: say so, and show the ticket */
            f->last_input_ms = now;
            f->answers_state = FLOW_ANSWERS_FAILED;
            f->screen = FLOW_TICKET;
            changed(f);
            return;
        }
        if (e != BK_OK && (next == FLOW_JOB_CHECKIN || next == FLOW_JOB_WALKIN ||
                           next == FLOW_JOB_IDENTIFY || next == FLOW_JOB_NO_NUMBER)) {
            /* the client waited for this attempt already: no second one */
            f->last_input_ms = now;
            job_failed(f, next, e, NULL, now);
            return;
        }
    } else if (kind == FLOW_JOB_CALL) {
        /* the caller's business; nothing on screen changes */
    } else if (kind == FLOW_JOB_ANSWERS) {
        /* the ticket stands either way; a failure is said on [ticket] */
        if (e == BK_OK) {
            note_db(f, 0, now);
            f->answers_state = FLOW_ANSWERS_SAVED;
        } else {
            f->answers_state = FLOW_ANSWERS_FAILED;
            if (e == BK_ERR_BUSY || e == BK_ERR_IO || e == BK_ERR_INTERNAL ||
                e == BK_ERR_READONLY || e == BK_ERR_DISK_FULL) {
                note_db(f, 1, now);
                f->db_unreachable = e == BK_ERR_IO;
            }
        }
        f->screen = FLOW_TICKET;
        changed(f);
    } else if (kind == FLOW_JOB_IDENTIFY && e == BK_OK) {
        /* who they are is settled for now (the check-in checks it again) */
        note_db(f, 0, now);
        f->purpose = BK_PURPOSE__COUNT;
        f->help = FLOW_HELP_NONE;
        f->screen = FLOW_PURPOSE;
        changed(f);
    } else if (e == BK_OK) {
        note_db(f, 0, now);
        f->has_ticket = 1;
        f->ticket = r->view;
        f->assigned = r->assigned;
        f->has_assigned = r->has_assigned;
        f->schedule = r->schedule;
        f->has_schedule = r->has_schedule;
        memcpy(f->next_report, r->next_report, sizeof f->next_report);
        f->walkin = kind == FLOW_JOB_WALKIN || kind == FLOW_JOB_NO_NUMBER;
        f->no_number = kind == FLOW_JOB_NO_NUMBER;
        f->help = FLOW_HELP_NONE;
        f->print = FLOW_PRINT_NONE;
        /* the identity is not needed any more */
        clear_entry(f);
        f->screen = FLOW_TICKET;
        if (kind == FLOW_JOB_CHECKIN && r->n_questions > 0 && !r->answered) {
            /* a report visit: the office's questions before the ticket */
            f->n_questions =
                r->n_questions > FLOW_QUESTIONS_MAX ? FLOW_QUESTIONS_MAX : r->n_questions;
            memcpy(f->questions, r->questions, sizeof f->questions);
            f->question = 0;
            for (int i = 0; i < FLOW_QUESTIONS_MAX; i++)
                f->answer_yes[i] = -1;
            f->answers_state = FLOW_ANSWERS_ASKING;
            f->screen = FLOW_QUESTION;
        } else if (kind == FLOW_JOB_CHECKIN && r->answered) {
            f->answers_state = FLOW_ANSWERS_SAVED;
        }
        changed(f);
    } else {
        job_failed(f, kind, e, r, now);
    }
    if (next != FLOW_JOB_NONE && f->screen != FLOW_HELP && f->screen != FLOW_TICKET)
        set_job(f, next);
}
