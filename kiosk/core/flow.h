/* flow.h — the client check-in flow of the kiosk as a state machine.
 *
 * Screens (their ids are a contract, see kiosk/AUTOMATION.md):
 *   welcome -> identify -> verify -> purpose -> ticket, and help for every
 *   failure; operator is the hidden PIN screen of the operator exit;
 *   identify -> no-number ("I don't know my number": where it is printed)
 *   -> ticket (a reception ticket with reason no_number, queue_no_number).
 *   [ticket] whose slip did not print stays ticket_keep_ms (2 minutes).
 *   A `report` visit asks the office's yes/no questions (answers.h) after
 *   its check-in made the ticket: purpose -> check-in job -> question (one
 *   screen per question) -> answers job (FLOW_JOB_ANSWERS) -> ticket. A
 *   ticket that was answered already, or an office without questions,
 *   goes to [ticket] at once. Walking away on a question (the idle reset)
 *   leaves the ticket unanswered (the desk says so); a failed answers job
 *   still shows the ticket, with a plain note (answers_state).
 *   Leaving [verify] runs the identity check (FLOW_JOB_IDENTIFY:
 *   queue_identify): only a number and birth date that match an active,
 *   unlocked client reach [purpose]; a mismatch, a lock or an ended client
 *   goes to [help] at once. The check-in job checks all of it again.
 *   [verify] refuses, without a job and without counting a try, a date that
 *   does not exist, lies in the future, or makes the client younger than
 *   FLOW_AGE_MIN or older than FLOW_AGE_MAX years (flow_set_today gives the
 *   office day; without it only the calendar is checked).
 *
 * No SDL and no SQL: the UI calls the flow_* actions with a monotonic time in
 * milliseconds (a fake clock in tests) and draws from the plain fields.
 *
 * Database work never runs inside an action. An action that needs the
 * database (check-in, reception ticket, opening the store) records a job
 * (f->job, a plain value) and returns. The caller hands a copy of the job to
 * whatever owns the store connection — the kiosk's persistent worker
 * (ui/livework.h), or the test itself — which runs flow_job_run() and hands
 * back a flow_result by value; flow_job_finish() applies it. While a job is
 * pending every action is ignored and the idle timer is held.
 *
 * Threads: a flow is owned by one thread (the kiosk's UI thread): every
 * flow_* function but flow_job_run is called there only, and nothing else
 * reads or writes the struct. flow_job_run touches only its arguments (the
 * job copy, the caller's queue context and store, the result) and may run
 * on any thread; the store is opened, kept and closed by that thread, never
 * by the flow.
 *
 * An unreachable database (BK_ERR_IO: the server is down or the network
 * cut, the file is missing) ends a check-in on [help] with
 * FLOW_HELP_OFFLINE (see reception). A client is never held longer than one
 * attempt: a check-in queued behind a background open that fails goes to
 * [help] at once instead of trying again. While the database is down and
 * [welcome] shows, the flow queues FLOW_JOB_OPEN jobs with backoff (on its
 * own clock, so tests drive it); the first success (or a successful
 * check-in) ends that.
 *
 * Privacy: unknown client numbers, wrong birth dates and invalid scans all
 * end on the same [help] screen (FLOW_HELP_MISMATCH) with nothing that tells
 * them apart. Entered data is cleared on every return to [welcome].
 *
 * Memory: a flow is plain data owned by the caller; it holds no store and
 * no pointer to one.
 */
#ifndef BK_FLOW_H
#define BK_FLOW_H

#include <stdint.h>

#include "backoff.h"
#include "bkerr.h"
#include "queue.h"
#include "store.h"
#include "valid.h"

typedef enum flow_screen {
    FLOW_WELCOME,
    FLOW_IDENTIFY,
    FLOW_VERIFY,
    FLOW_PURPOSE,
    FLOW_TICKET,
    FLOW_HELP,
    FLOW_OPERATOR,
    FLOW_NO_NUMBER, /* "I don't know my number": where it is printed, a reception ticket */
    FLOW_QUESTION,  /* one wajib lapor question (report visits, after the check-in) */
    FLOW__SCREENS
} flow_screen;

/* Why [help] is shown. The UI picks its text from this only. */
typedef enum flow_help {
    FLOW_HELP_NONE,
    FLOW_HELP_MISMATCH,    /* unknown number, wrong birth date, invalid scan: identical */
    FLOW_HELP_LOCKED,      /* too many wrong dates: see reception */
    FLOW_HELP_ENDED,       /* supervision ended: see reception */
    FLOW_HELP_UNAVAILABLE, /* database busy or failing: try again, or a reception ticket */
    FLOW_HELP_NO_TICKET,   /* even the reception ticket failed: go to the desk */
    FLOW_HELP_OFFLINE,     /* the database cannot be reached (server down, network cut,
                            * file missing): see reception; no reception ticket offered,
                            * it could not be made either */
    FLOW_HELP_CANNOT_SAVE, /* the database cannot be written (BK_ERR_READONLY: file,
                            * folder or mount not writable; BK_ERR_DISK_FULL): see
                            * reception; nothing to retry until the IT person fixes it */
    FLOW_HELP_REPORTED,    /* report chosen, but a report visit of the client is done
                            * today (BK_ERR_REPORTED): no second one; back to the start */
} flow_help;

/* The slip printing status shown on [ticket]; set by the printing side. */
typedef enum flow_print {
    FLOW_PRINT_NONE,    /* no printer configured */
    FLOW_PRINT_PENDING, /* printing */
    FLOW_PRINT_DONE,    /* printed: take the slip */
    FLOW_PRINT_FAILED,  /* failed: remember the code */
} flow_print;

typedef enum flow_job_kind {
    FLOW_JOB_NONE,
    FLOW_JOB_OPEN,      /* (re)open the store only */
    FLOW_JOB_CHECKIN,   /* queue_checkin */
    FLOW_JOB_WALKIN,    /* queue_walkin: a reception ticket */
    FLOW_JOB_CALL,      /* a caller's function (flow_call), not holding the screen */
    FLOW_JOB_IDENTIFY,  /* queue_identify: number and birth date, before [purpose] */
    FLOW_JOB_NO_NUMBER, /* queue_no_number: a reception ticket from [no-number] */
    FLOW_JOB_ANSWERS,   /* answers_put: the report questions' answers of the ticket */
} flow_job_kind;

/* The questions a report visit is asked (the first FLOW_QUESTIONS_MAX
 * active ones, in order). */
#define FLOW_QUESTIONS_MAX 8
#define FLOW_QUESTION_SZ 161 /* = STORE_QUESTION_SZ */

typedef struct flow_question {
    int id;
    char text_id[FLOW_QUESTION_SZ]; /* Indonesian */
    char text_en[FLOW_QUESTION_SZ];
} flow_question;

/* flow.answers_state: what became of the questions of this ticket */
typedef enum flow_answers {
    FLOW_ANSWERS_NONE,   /* no questions for this ticket (not a report visit, none set) */
    FLOW_ANSWERS_ASKING, /* on [question] */
    FLOW_ANSWERS_SAVED,  /* stored (or found stored already) */
    FLOW_ANSWERS_FAILED, /* the answers job failed: [ticket] says so */
} flow_answers;

/* flow.date_error */
#define FLOW_DATE_BAD 1 /* the 8 digits are not a real date */
#define FLOW_DATE_AGE 2 /* in the future, or an age under FLOW_AGE_MIN or over FLOW_AGE_MAX */
#define FLOW_AGE_MIN 12
#define FLOW_AGE_MAX 100
/* From this many wrong tries today, [help] says how many are left. */
#define FLOW_TRIES_SHOWN_FROM 3

#define FLOW_NUMBER_MAX 20 /* digits from the keypad; a scan may hold up to VALID_CLIENT_NO_MAX */
#define FLOW_PIN_MAX 15

/* One database action, filled by the flow, run by flow_job_run. A plain
 * value: it is copied to the thread that runs it. */
typedef struct flow_job {
    flow_job_kind kind;
    char client_no[VALID_CLIENT_NO_MAX + 1];
    char birth[STORE_DAY_SZ]; /* YYYY-MM-DD */
    bk_purpose purpose;
    /* FLOW_JOB_CALL: called on the thread that runs the job, with its
     * queue context (store open); arg is the caller's */
    bk_err (*call)(void *arg, queue_ctx *q);
    void *call_arg;
    /* FLOW_JOB_ANSWERS: the ticket and its answers (question ids, 1 = Ya) */
    int64_t ticket_id;
    int n_answers;
    int answer_id[FLOW_QUESTIONS_MAX];
    int answer_yes[FLOW_QUESTIONS_MAX];
} flow_job;

/* What a job found, returned by value to flow_job_finish. */
typedef struct flow_result {
    bk_err err; /* also when the store could not be opened */
    queue_view view;
    store_officer assigned; /* the client's assigned PK when routed to a substitute */
    int has_assigned;
    store_client schedule; /* report visits: only no, report_every_days and
                            * last_report are filled (for the slip's next
                            * report day); nothing identifying */
    int has_schedule;
    /* report visits: the next report date by the office calendar
     * (cal_next_report, calendar.h), "YYYY-MM-DD"; "" = none known */
    char next_report[11];
    /* FLOW_JOB_OPEN and FLOW_JOB_CHECKIN: the characters other than digits
     * of the office's client numbers (store_client_no_chars), for the
     * touch keypad; has_no_chars = they were read */
    char no_chars[STORE_NO_CHARS_SZ];
    int has_no_chars;
    /* BK_ERR_READONLY, BK_ERR_DISK_FULL: the store's account of it (which
     * file, owner and mode, free space, the fix) for the IT person's log;
     * it names files, never a client. "" otherwise. */
    char why[640];
    /* report check-ins: the questions to ask (n_questions = 0: none, or the
     * ticket was answered already: answered = 1); questions_err: reading
     * them failed (then none are asked; the kiosk logs the error word) */
    int n_questions;
    flow_question questions[FLOW_QUESTIONS_MAX];
    int answered;
    bk_err questions_err;
} flow_result;

typedef struct flow_opts {
    int idle_ms;          /* screens after [welcome]; 30000 */
    int ticket_idle_ms;   /* [ticket]; 15000 */
    int ticket_keep_ms;   /* [ticket] when the slip did not print (FLOW_PRINT_FAILED): the
                           * code and QR stay until the client leaves; 120000 */
    int countdown_ms;     /* the visible countdown before a reset; 10000 */
    int scan_gap_ms;      /* on [welcome], keys further apart start a new scan; 1500 */
    int long_press_ms;    /* operator corner press; 3000 */
    int retry_open_ms;    /* while on [welcome], reopen an unavailable database with
                           * backoff (base/backoff.h) from 500 ms up to this; 12000 */
    uint64_t seed;        /* the backoff's jitter; 0 = differs per process */
    const char *exit_pin; /* borrowed; "" or NULL disables the operator exit */
} flow_opts;

typedef struct flow {
    flow_opts o;
    char exit_pin[FLOW_PIN_MAX + 1];
    int reopen; /* the job runner opens the store: reopen it on [welcome] */

    flow_screen screen;
    unsigned gen; /* incremented on every visible change */

    /* entered data (cleared on reset) */
    char number[VALID_CLIENT_NO_MAX + 1];
    int number_typed;     /* the number came from a keyboard/scanner, not the keypad */
    int letters;          /* [identify]: the keypad shows its letters page */
    char birth_digits[9]; /* DDMMYYYY as typed so far */
    int date_error;       /* 0, FLOW_DATE_BAD or FLOW_DATE_AGE */
    char today[11];       /* the office day YYYY-MM-DD (flow_set_today); "" = unknown */
    bk_purpose purpose;   /* BK_PURPOSE__COUNT until chosen */
    char scan[VALID_CLIENT_NO_MAX + 2]; /* keyboard-wedge characters on [welcome] */
    int64_t scan_at;
    char pin[FLOW_PIN_MAX + 1];
    int pin_wrong; /* wrong PIN entries in a row */

    /* results */
    flow_help help;
    int help_from_checkin; /* "retry" re-submits instead of starting over (the check-in,
                            * or the identity check when no purpose was chosen) */
    int failures;          /* FLOW_HELP_MISMATCH: the number's wrong tries today */
    int attempts_left;     /* FLOW_HELP_MISMATCH: tries left today before the lock */
    int has_ticket;
    queue_view ticket;
    store_officer assigned; /* valid when has_assigned */
    int has_assigned;
    store_client schedule; /* valid when has_schedule (see flow_result) */
    int has_schedule;
    /* see flow_result; shown on [ticket] and the slip */
    char next_report[11];
    int walkin;    /* the ticket is a reception ticket */
    int no_number; /* ... asked for on [no-number] (reason no_number) */
    /* the office's client-number characters other than digits (flow_result);
     * kept across resets; "" = digits only (or not known yet) */
    char no_chars[STORE_NO_CHARS_SZ];
    /* the report questions of this ticket (FLOW_QUESTION) */
    int n_questions;
    flow_question questions[FLOW_QUESTIONS_MAX];
    int question;                       /* the one shown, 0..n_questions-1 */
    int answer_yes[FLOW_QUESTIONS_MAX]; /* -1 = not answered yet, else 1 = Ya, 0 = Tidak */
    flow_answers answers_state;
    flow_print print;
    int db_down;        /* the last open or job found the database unavailable */
    int db_unreachable; /* ... because it could not be reached at all (BK_ERR_IO):
                         * [welcome] sends clients to reception at once */

    /* job */
    int job_pending;
    flow_job job;           /* the pending job (valid while job_pending) */
    flow_job_kind deferred; /* asked for while the background open was running */

    /* timers */
    int64_t last_input_ms;
    int corner_down; /* the operator corner is being pressed */
    int64_t corner_since;
    int64_t next_open_at; /* the next reopen on [welcome] while db_down */
    backoff open_backoff;
    int quit; /* the operator PIN was accepted */
} flow;

/* Set up on [welcome]. reopen: the store is opened by the job runner (the
 * kiosk's worker), not given open: a FLOW_JOB_OPEN job is queued at once,
 * and again with backoff while the database is down and [welcome] shows. */
void flow_init(flow *f, const flow_opts *o, int reopen, int64_t now);

const char *flow_screen_id(flow_screen s);
/* The screen for an id, or FLOW__SCREENS. */
flow_screen flow_screen_from_id(const char *id);

/* The office day, "YYYY-MM-DD" (the UI calls it as the date changes); used
 * by [verify]'s plausibility check. NULL or not a date = unknown. */
void flow_set_today(flow *f, const char *ymd);
/* Whether the mismatch [help] says how many tries are left (from the
 * FLOW_TRIES_SHOWN_FROM-th wrong try of the day); *left receives them. */
int flow_tries_shown(const flow *f, int *left);

/* Any touch: extends the idle timer. */
void flow_touch(flow *f, int64_t now);

/* [welcome] start; language changes are the UI's (they keep all data). */
void flow_start(flow *f, int64_t now);
/* Keypad on [identify], [verify] and [operator]. ok on [verify] queues the
 * identity check (FLOW_JOB_IDENTIFY). */
void flow_digit(flow *f, int digit, int64_t now);
/* [identify]'s touch keypad: one character of f->no_chars (a letter, '.',
 * '/' or '-'); anything else is ignored. */
void flow_char(flow *f, char c, int64_t now);
/* [identify]: show the keypad's letters page (1) or its digits page (0). */
void flow_keypad_page(flow *f, int letters, int64_t now);
/* [identify]: "I don't know my number" opens [no-number] (the number typed
 * so far is dropped); there reception (flow_reception) queues
 * FLOW_JOB_NO_NUMBER, back returns to [identify]. */
void flow_no_number(flow *f, int64_t now);
void flow_delete(flow *f, int64_t now);
/* Whether ok would be accepted now (the UI greys the button otherwise). */
int flow_can_ok(const flow *f);
void flow_ok(flow *f, int64_t now);
void flow_back(flow *f, int64_t now);
/* Keyboard or keyboard-wedge scanner: printable UTF-8 text, and Enter. */
void flow_text(flow *f, const char *utf8, int64_t now);
void flow_enter(flow *f, int64_t now);
/* [purpose]: queues the check-in job. A purpose out of range is ignored. */
void flow_choose(flow *f, bk_purpose purpose, int64_t now);
/* [question]: Ya (yes = 1) or Tidak (0): the next question, or after the
 * last the answers job. flow_back shows the previous question (not on the
 * first: the ticket exists already, there is nothing to go back to). */
void flow_answer(flow *f, int yes, int64_t now);
/* Whether [question] offers back (from the second question on). */
int flow_can_back(const flow *f);

/* [help]: try again, or take a reception ticket (queues a walk-in job;
 * on [no-number] the no-number job). */
void flow_retry(flow *f, int64_t now);
void flow_reception(flow *f, int64_t now);
/* [ticket] / [help]: finished; back to [welcome] with everything cleared. */
void flow_done(flow *f, int64_t now);
/* Operator corner: press and release (a long press opens [operator]). */
void flow_corner_press(flow *f, int64_t now);
void flow_corner_release(flow *f, int64_t now);
void flow_set_print(flow *f, flow_print p);

/* Timers: idle reset, long press, reopening the store. Returns 1 if the
 * screen changed. */
int flow_tick(flow *f, int64_t now);
/* Milliseconds until the idle reset (-1 if none runs on this screen). */
int64_t flow_idle_left(const flow *f, int64_t now);
/* Whole seconds to show in the countdown, 0 when it is not visible. */
int flow_countdown(const flow *f, int64_t now);
/* Milliseconds until flow_tick or the countdown needs attention (-1 = none):
 * the UI may block for events that long. */
int64_t flow_next_wakeup(const flow *f, int64_t now);

/* Jobs (see the header comment). */
int flow_job_pending(const flow *f);
/* Run fn(arg, q) as a job on the database thread without holding the screen
 * (e.g. the print side's audit records). 0 if queued; -1 if a job is
 * already pending (try again later). */
int flow_call(flow *f, bk_err (*fn)(void *arg, queue_ctx *q), void *arg);
/* Run job j on q (q->st open; any thread, see the header comment) and fill
 * *out. FLOW_JOB_OPEN does nothing more. Returns out->err. */
bk_err flow_job_run(const flow_job *j, queue_ctx *q, flow_result *out);
/* The pending job ended with *r (which the flow copies); when the store
 * could not be opened, r->err says why and the rest is zero. */
void flow_job_finish(flow *f, const flow_result *r, int64_t now);

/* Clears all entered data and results and shows [welcome]. */
void flow_reset(flow *f, int64_t now);

#endif
