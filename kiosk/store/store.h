/* store.h — the shared database. The only module that speaks SQL.
 *
 * One `store` is one connection, to a SQLite file or, when the path is a
 * libpq URI ("postgresql://..." or "postgres://..."), to a PostgreSQL server
 * (see store_sql.h). It is not thread-safe: use one per thread.
 *
 * Transactions: every write happens between store_begin(s, STORE_TX_WRITE)
 * (SQLite: BEGIN IMMEDIATE) and store_commit()/store_rollback(). A read of
 * several statements that must agree uses STORE_TX_READ. Single reads may run
 * outside a transaction. A function that fails inside a transaction leaves
 * the transaction open: the caller rolls back.
 *
 * Memory: every record is a plain struct of fixed-size arrays filled by the
 * callee into caller-owned storage. Status, purpose, routing, outcome,
 * presence status and program are the enums of domain.h: the store alone
 * converts them to and from the text kept in the database, and a row whose
 * text is none of the names is an error (BK_ERR_INTERNAL, "unknown ..."). Nothing returned needs
 * freeing except the store itself (store_close). Strings are NUL-terminated UTF-8; an absent
 * optional text is "" and an absent instant is 0.
 *
 * Errors: BK_ERR_NOT_FOUND for a missing row, BK_ERR_EXISTS for a unique key
 * taken, BK_ERR_BUSY when the database stayed locked beyond the busy
 * timeout, BK_ERR_RETRY for a transient conflict (PostgreSQL serialization
 * failure or deadlock: retry the transaction), BK_ERR_IO for I/O errors and
 * a lost server connection, BK_ERR_INTERNAL otherwise; store_errmsg() has
 * the detail.
 */
#ifndef BK_STORE_H
#define BK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "domain.h"

/* Buffer sizes: validated limits (see valid.h) times 4 bytes per UTF-8 char, + NUL. */
#define STORE_ID_SZ 33
#define STORE_NAME_SZ 401
#define STORE_ROOM_SZ 161
#define STORE_TEXT_SZ 1201
#define STORE_DAY_SZ 11
#define STORE_TOKEN_SZ 33
#define STORE_CODE_SZ 12
#define STORE_WORD_SZ 16

/* The reserved queue id for tickets routed to reception (officer ""). */
#define STORE_RECEPTION "reception"

typedef struct store store;

/* STORE_TX_CALL: the write is one store_call() (PostgreSQL: the server's
 * function is its own transaction, so nothing is sent for the begin and the
 * commit, which only reports what the call did; see store_call). */
typedef enum store_tx_kind { STORE_TX_READ, STORE_TX_WRITE, STORE_TX_CALL } store_tx_kind;

typedef struct store_opts {
    int busy_timeout_ms;   /* 0 = 5000 */
    int sync_normal;       /* 0 = synchronous=FULL (durable, default); 1 = NORMAL */
    int utc_offset_min;    /* office zone, recorded in `settings` for the views */
    int read_only;         /* open without migrating or writing */
    int manual_checkpoint; /* 1: no automatic WAL checkpoint on this connection's
                              commits; the owner calls store_checkpoint() when idle */
    int any_schema;        /* with read_only: open whatever the schema version (else a
                              version other than store_schema_latest() is refused with
                              BK_ERR_STATE); the caller looks at store_schema_version() */
    int create;            /* SQLite: create the file if it is missing (bapasctl init, the
                              kiosk's --demo), mode 0660 (the office group shares it; SQLite
                              gives -wal/-shm the file's mode). Else a missing file is
                              BK_ERR_NOT_FOUND and nothing is created: a mistyped path must
                              not become a new, empty office. Ignored for a server. */
} store_opts;

typedef struct store_officer {
    char id[STORE_ID_SZ];
    char name[STORE_NAME_SZ];
    char room[STORE_ROOM_SZ];
    int active;
} store_officer;

typedef struct store_client {
    char no[STORE_ID_SZ];
    char name[STORE_NAME_SZ];
    char birth[STORE_DAY_SZ]; /* YYYY-MM-DD */
    bk_program program;
    char officer[STORE_ID_SZ];      /* assigned PK */
    int report_every_days;          /* default 30 */
    char last_report[STORE_DAY_SZ]; /* "" = never */
    int active;                     /* 0 = supervision ended */
} store_client;

typedef struct store_presence {
    char day[STORE_DAY_SZ];
    char officer[STORE_ID_SZ];
    bk_presence status;
    char substitute[STORE_ID_SZ]; /* "" = none */
    char note[STORE_TEXT_SZ];
} store_presence;

typedef struct store_ticket {
    int64_t id;
    char day[STORE_DAY_SZ];     /* office day (local) */
    char code[STORE_CODE_SZ];   /* "A-007": the day's series letter + daily number */
    int seq;                    /* the daily number */
    char token[STORE_TOKEN_SZ]; /* random, >= 96 bits, for the QR */
    bk_purpose purpose;
    char client_no[STORE_ID_SZ]; /* "" for a walk-in */
    char walkin_name[STORE_NAME_SZ];
    char officer[STORE_ID_SZ];  /* routed to; "" = reception queue */
    char assigned[STORE_ID_SZ]; /* client's assigned PK at check-in */
    bk_routing routed;
    char transferred_from[STORE_ID_SZ];
    bk_status status;
    int priority; /* 1 = goes first */
    int calls;
    int64_t order_at; /* queue order: original check-in; kept on transfer */
    int64_t checkin_at, called_at, started_at, finished_at;
    int64_t last_call_at; /* latest call or recall */
    char served_by[STORE_ID_SZ];
    bk_outcome outcome; /* BK_OUTCOME_NONE until done */
    /* The visit's purposes (schema 9), bits 1u << bk_purpose, purpose among
     * them; 0 where they were not read (the ticket reads and listings do
     * not: store_ticket_purposes, queue_get and queue_list fill it). */
    unsigned purposes;
    bk_reason reason; /* schema 11: why a ticket without a client was made (domain.h);
                       * store_call answers BK_REASON_NONE but for STORE_CALL_NO_NUMBER:
                       * read the ticket for it */
} store_ticket;

/* Status masks for listings: bit `1u << status` (bk_status). */
enum {
    STORE_ST_WAITING = 1u << BK_STATUS_WAITING,
    STORE_ST_CALLED = 1u << BK_STATUS_CALLED,
    STORE_ST_SERVING = 1u << BK_STATUS_SERVING,
    STORE_ST_DONE = 1u << BK_STATUS_DONE,
    STORE_ST_NO_SHOW = 1u << BK_STATUS_NO_SHOW,
    STORE_ST_CANCELLED = 1u << BK_STATUS_CANCELLED,
    STORE_ST_OPEN = STORE_ST_WAITING | STORE_ST_CALLED | STORE_ST_SERVING,
    STORE_ST_ALL = (1u << BK_STATUS__COUNT) - 1u,
};

typedef struct store_audit_row {
    int64_t id;
    int64_t at;
    char actor[STORE_NAME_SZ];
    char action[STORE_WORD_SZ * 2];
    int64_t ticket_id; /* 0 = none */
    char client_no[STORE_ID_SZ];
    char detail[STORE_TEXT_SZ];
} store_audit_row;

typedef bk_err (*store_officer_cb)(void *ud, const store_officer *o);
typedef bk_err (*store_client_cb)(void *ud, const store_client *c);
typedef bk_err (*store_ticket_cb)(void *ud, const store_ticket *t);
typedef bk_err (*store_audit_cb)(void *ud, const store_audit_row *a);

/* ---- connection -------------------------------------------------------- */

/* Open (creating it only with opts->create) and migrate the database at
 * `path` forward to the newest schema in one transaction. `opts` may be NULL. On failure *out is
 * NULL and errbuf (if given) holds a one-line English reason. */
bk_err store_open(const char *path, const store_opts *opts, store **out, char *errbuf,
                  size_t errlen);
void store_close(store *s);

/* 1 when `target` names a database server (a postgresql:// or postgres://
 * libpq URI) rather than a SQLite file. Callers use it where a file check
 * (does the file exist?) makes no sense for a server. */
int store_target_is_server(const char *target);

/* The detail of the last failure on this connection (never NULL). */
const char *store_errmsg(const store *s);

/* Schema version of the open file, and the newest this build knows. */
int store_schema_version(store *s);
int store_schema_latest(void);

bk_err store_begin(store *s, store_tx_kind kind);
/* BK_ERR_IO: the outcome is unknown (the connection was lost after COMMIT
 * was sent; the server may have committed). Re-read before redoing anything
 * (see queue.h). Test builds (BK_TEST_HOOKS) can provoke it: BK_FAULT_LOST_ACK
 * in store_sql.h. */
bk_err store_commit(store *s);
void store_rollback(store *s);
int store_in_tx(const store *s);

/* A number that changes whenever another connection commits (SQLite:
 * PRAGMA data_version). Cheap: poll it to notice other processes' writes. */
bk_err store_data_version(store *s, int64_t *out);

/* PostgreSQL: wait up to timeout_ms (0 = just look) for another process's
 * commit to be announced (LISTEN/NOTIFY; no query runs). *changed = 1 also
 * right after (re)connecting, since notifications are not replayed: re-read
 * everything then. SQLite: BK_ERR_STATE; poll store_data_version instead. */
bk_err store_wait_change(store *s, int timeout_ms, int *changed);
/* The same, but also returns early (BK_OK, *changed 0) as soon as wake_fd
 * (the caller's pipe or eventfd; -1 = none) is readable. It never reads
 * wake_fd: the caller drains it. Lets a worker block on the notifications
 * and still wake at once for its own work. */
bk_err store_wait_change_fd(store *s, int timeout_ms, int wake_fd, int *changed);

/* Settings (key/value text; the views read `utc_offset_min`). */
bk_err store_setting_get(store *s, const char *key, char *out, size_t outsz);
bk_err store_setting_set(store *s, const char *key, const char *value);

/* ---- officers ---------------------------------------------------------- */

bk_err store_officer_insert(store *s, const store_officer *o);
bk_err store_officer_update(store *s, const store_officer *o);
bk_err store_officer_get(store *s, const char *id, store_officer *out);
bk_err store_officer_list(store *s, store_officer_cb cb, void *ud); /* by id */

/* The explicit presence row for (day, officer); BK_ERR_NOT_FOUND if none. */
bk_err store_presence_get(store *s, const char *day, const char *officer, store_presence *out);
/* Insert or replace the row for (p->day, p->officer). */
bk_err store_presence_set(store *s, const store_presence *p);

/* ---- clients ----------------------------------------------------------- */

bk_err store_client_insert(store *s, const store_client *c);
bk_err store_client_update(store *s, const store_client *c); /* by c->no */
/* Set only last_report (YYYY-MM-DD) of client `no` (a finished report visit):
 * on PostgreSQL the desk role may update that column and no other.
 * BK_ERR_NOT_FOUND if there is no such client. */
bk_err store_client_set_last_report(store *s, const char *no, const char *day);
bk_err store_client_get(store *s, const char *no, store_client *out);
bk_err store_client_list(store *s, store_client_cb cb, void *ud); /* by no */
/* The characters other than digits that occur in the office's client
 * numbers, each once, in byte order ("-./ABPS" for "PAS.PB/001/2025"): the
 * kiosk's touch keypad offers these (issue 12 item 4). out holds at least
 * STORE_NO_CHARS_SZ bytes. A least-privilege PostgreSQL login, which may
 * not list the clients, asks bk_client_no_chars() (schema 11); it tells
 * which characters occur, nothing of any number. */
#define STORE_NO_CHARS_SZ 64
bk_err store_client_no_chars(store *s, char *out);

/* Wrong birth-date attempts of a client number on a day (the number need not
 * exist, so failures do not reveal which numbers do). */
bk_err store_verify_failures(store *s, const char *no, const char *day, int *count);
bk_err store_verify_fail_add(store *s, const char *no, const char *day, int64_t at, int *count);
bk_err store_verify_failures_clear(store *s, const char *no);

/* Locks on client numbers (held until reception unlocks). */
bk_err store_lock_get(store *s, const char *no, int *locked);
bk_err store_lock_set(store *s, const char *no, int64_t at);
/* Every locked number with the instant it was locked, oldest first. */
typedef bk_err (*store_lock_cb)(void *ud, const char *client_no, int64_t locked_at);
bk_err store_lock_list(store *s, store_lock_cb cb, void *ud);
bk_err store_lock_clear(store *s, const char *no);

/* ---- tickets ----------------------------------------------------------- */

/* Insert t (t->id is ignored and set on success) with its first purpose
 * t->purpose in ticket_purposes. BK_ERR_EXISTS if the (day, code) or token
 * is taken. */
bk_err store_ticket_insert(store *s, store_ticket *t);
/* Write every mutable column of t (status, officer, times, ...) by t->id. */
bk_err store_ticket_update(store *s, const store_ticket *t);
/* Close ticket `id` as no_show at `finished_at` if it is still open
 * (waiting/called/serving), writing only status and finished_at: the kiosk
 * role closes earlier days' tickets at check-in with this and may update no
 * other column. BK_ERR_NOT_FOUND if no open ticket has that id. */
bk_err store_ticket_close_stale(store *s, int64_t id, int64_t finished_at);
/* Ticket reads. On PostgreSQL (schema 8) a login that may not read the
 * tickets table (every role but the owner: deploy/pg-roles.sql) reads the
 * view bk_tickets_seen instead: the same rows, out->token always "", and
 * client_no / walkin_name "" unless its role may see them (reception; a
 * desk for today's tickets of its officer). By token, such a login asks
 * the owner's function bk_ticket_by_token (desk and reception only). */
bk_err store_ticket_get(store *s, int64_t id, store_ticket *out);
bk_err store_ticket_by_code(store *s, const char *day, const char *code, store_ticket *out);
bk_err store_ticket_by_token(store *s, const char *token, store_ticket *out);
/* The slip token of ticket `id` into out (a reprint's QR). From the table
 * where the login reads it; on PostgreSQL otherwise from the owner's
 * function bk_slip_token (reception only; a ticket of today or still open):
 * BK_ERR_NOT_FOUND if it gives none, BK_ERR_DENIED for other roles. */
bk_err store_ticket_token(store *s, int64_t id, char out[STORE_TOKEN_SZ]);
/* The open (waiting/called/serving) ticket of a client for a purpose on a day. */
bk_err store_ticket_find_open(store *s, const char *day, const char *client_no, bk_purpose purpose,
                              store_ticket *out);
/* The open (waiting/called/serving) ticket of a client on a day, whatever its
 * purpose (the oldest, if ever there were two): the client's visit. */
bk_err store_ticket_find_visit(store *s, const char *day, const char *client_no, store_ticket *out);
/* *yes = 1 when a ticket of the client on the day is done and has the
 * purpose report among its purposes (ticket_purposes), else 0. */
bk_err store_ticket_reported(store *s, const char *day, const char *client_no, int *yes);
/* The purposes of ticket id (bits 1u << bk_purpose; 0 if it has no row). */
bk_err store_ticket_purposes(store *s, int64_t id, unsigned *out);
/* Add purpose p to ticket id's visit at instant `at`; BK_ERR_EXISTS if the
 * visit has it already. Inside a write transaction. */
bk_err store_ticket_purpose_add(store *s, int64_t id, bk_purpose p, int64_t at);
/* The purposes that joined a visit (not the ticket's first purpose, which
 * is store_ticket.purpose), by ticket id, of the tickets store_ticket_list
 * lists with the same day, officer (NULL = every queue, "" = reception's)
 * and status_mask. Nothing for a login that may not read them (the board on
 * PostgreSQL). */
typedef bk_err (*store_purpose_cb)(void *ud, int64_t ticket_id, bk_purpose p);
bk_err store_ticket_purposes_day(store *s, const char *day, const char *officer,
                                 unsigned status_mask, store_purpose_cb cb, void *ud);
/* The highest daily number used so far for a code letter on a day (0 if none). */
bk_err store_ticket_max_seq(store *s, const char *day, char letter, int *out);
/* How many waiting tickets of the same day and queue come before t in queue
 * order (priority first, then order_at, then id). */
bk_err store_ticket_ahead(store *s, const store_ticket *t, int *out);
/* The first waiting ticket of a queue ("" = reception); NOT_FOUND if none. */
bk_err store_ticket_first_waiting(store *s, const char *day, const char *officer,
                                  store_ticket *out);
/* Tickets of a day in queue order. officer NULL = every queue; "" = reception. */
bk_err store_ticket_list(store *s, const char *day, const char *officer, unsigned status_mask,
                         store_ticket_cb cb, void *ud);
/* Open tickets of days before `day` (for the day's-end close). */
bk_err store_ticket_list_stale(store *s, const char *day, store_ticket_cb cb, void *ud);
/* The most recently called tickets of a day (any status), newest call
 * first, at most max. */
bk_err store_ticket_recent_calls(store *s, const char *day, int max, store_ticket_cb cb, void *ud);
/* Service seconds (finished - started) of the most recent `max` done visits of
 * an officer for a purpose, newest first. */
bk_err store_service_seconds(store *s, const char *officer, bk_purpose purpose, int *out, int max,
                             int *n);

/* ---- audit (append-only) ----------------------------------------------- */

bk_err store_audit_add(store *s, int64_t at, const char *actor, const char *action,
                       int64_t ticket_id, const char *client_no, const char *detail);
/* A device's own audit row (print_failed, print_paper_low: the kiosk's
 * printer): store_audit_add on SQLite; on PostgreSQL the server's function
 * for it (the login is the actor; `actor` is not sent). Inside a write
 * transaction or store_begin(s, STORE_TX_CALL). */
bk_err store_audit_device(store *s, int64_t at, const char *actor, const char *action,
                          int64_t ticket_id, const char *detail);
/* Rows in id order; ticket_id 0 = any; from/to 0 = unbounded (to exclusive). */
bk_err store_audit_list(store *s, int64_t ticket_id, int64_t from, int64_t to, store_audit_cb cb,
                        void *ud);

/* ---- the queue's writes as the server's functions (PostgreSQL) ----------- */

/* 1 when the queue's writes run as the server's functions (store_call):
 * PostgreSQL (schema 3, db/pg/003_server_rules.sql). 0 on SQLite, where
 * core/queue.c applies the rules itself. */
int store_server_rules(const store *s);

typedef enum store_call_kind {
    STORE_CALL_CHECKIN,     /* client_no, birth, purpose, lockout_limit */
    STORE_CALL_WALKIN,      /* purpose, name (the key is the ticket's token) */
    STORE_CALL_CALL_NEXT,   /* officer ("" = reception) */
    STORE_CALL_TICKET,      /* ticket_id, action, arg, reason */
    STORE_CALL_PRESENCE,    /* day, officer, presence, substitute */
    STORE_CALL_UNLOCK,      /* client_no */
    STORE_CALL_CLOSE_STALE, /* (the day's end) */
    STORE_CALL_BULK_MOVE,   /* officer (from), arg (to); "" = reception */
    STORE_CALL_VERIFY,      /* client_no, birth, lockout_limit (schema 5: bk_act_verify);
                               n = the wrong tries today after a miss */
    STORE_CALL_NO_NUMBER,   /* (schema 11: bk_act_no_number) a reception ticket, reason
                               no_number; the key is the ticket's token */
    STORE_CALL_ANSWERS,     /* ticket_id, arg = "QID=A,..." (schema 10: bk_act_answers);
                               n = the answers written */
} store_call_kind;

/* What one call sends. Texts are borrowed (NULL = ""). */
typedef struct store_call_in {
    const char *key; /* request key (a token), the same when the call is retried */
    int64_t now;     /* the caller's clock: the server's is used unless the owner set the
                        setting clock = 'client' (test databases) */
    int lockout_limit, service_min;
    const char *client_no, *birth, *name, *officer, *action, *arg, *reason, *day, *substitute;
    bk_purpose purpose;
    bk_presence presence;
    int64_t ticket_id;
} store_call_in;

/* What it answers: the ticket as it is after the call (has_ticket), its
 * officer (has_officer), its position and ETA (-1 unless waiting). */
typedef struct store_call_out {
    int has_ticket, has_officer;
    store_ticket t;
    store_officer officer;
    int position, eta_minutes;
    int existing;      /* check-in: an open ticket; walk-in: the key's ticket */
    int joined;        /* check-in: the purpose joined that open ticket's visit */
    int attempts_left; /* after BK_ERR_WRONG_BIRTH / BK_ERR_NOT_FOUND of a check-in */
    int n;             /* tickets closed (the day's end) or moved (bulk move); verify:
                          wrong tries today; check-in: the visit's purposes (as
                          t.purposes, which it fills) */
} store_call_out;

/* Run one write as the server's function (bk_act_*: it takes the writer
 * lock, applies the rules, writes the audit row with the login as the
 * actor), inside store_begin(s, STORE_TX_CALL) .. store_commit(). Returns
 * the rule's refusal (BK_ERR_LOCKED, _WRONG_BIRTH, _NOT_FOUND, _ENDED,
 * _REPORTED, _STATE, _EXISTS, _INVALID) or a store error (BK_ERR_DENIED: the role may
 * not). A call whose key the server has seen answers as the first did and
 * changes nothing. SQLite: BK_ERR_STATE. */
bk_err store_call(store *s, store_call_kind kind, const store_call_in *in, store_call_out *out);

/* The person behind the next server actions of this connection (the office
 * server: "web:NAME"; "" = none). On PostgreSQL every later store_call first
 * sets the session setting bapas.actor to it, which the server's audit rows
 * take as the actor when this login is the owner's (schema 12,
 * db/pg/012_web_actor.sql); other logins' rows keep the login. SQLite: the
 * queue's own audit rows use queue_ctx.actor; this is kept and unused.
 * The text is copied (at most STORE_NAME_SZ - 1 bytes). */
void store_set_actor(store *s, const char *actor);

/* ---- maintenance ------------------------------------------------------- */

/* A passive WAL checkpoint (never waits for readers or writers). Long-running
 * UIs call it when idle so check-ins never pay for one. *wal_pages (may be
 * NULL) receives the WAL size in pages before the checkpoint. PostgreSQL: a
 * no-op (the server checkpoints), *wal_pages = 0. */
bk_err store_checkpoint(store *s, int *wal_pages);

/* PRAGMA integrity_check (full=1) or quick_check; *ok = 1 when "ok".
 * PostgreSQL (full or not): the server answers, no index of the store's
 * schema is invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX leaves
 * one), no foreign key is left unvalidated, and the triggers that keep
 * `audit` append-only are in place and enabled; msg is "ok" or what is
 * wrong. Page-level checks (data checksums, pg_amcheck) are the server
 * administrator's; store_server_info_get() tells whether checksums are on. */
bk_err store_check(store *s, int full, int *ok, char *msg, size_t msgsz);

/* The views other systems read (v_queue_today, v_visits,
 * v_officer_presence): each is selected from (no rows read). missing
 * receives the names of those that are absent or broken, denied those this
 * connection's role may not read (PostgreSQL: only the owner and bapas_read
 * members may, deploy/pg-roles.sql), comma-separated ("" = none). Both
 * backends; not inside a transaction. */
bk_err store_views_check(store *s, char *missing, size_t missingsz, char *denied, size_t deniedsz);

/* ---- the server (PostgreSQL) --------------------------------------------- */

typedef struct store_server_info {
    char host[256]; /* host name or address connected to, or the Unix socket directory */
    char port[16];
    char database[128];
    char user[128];
    int unix_socket;       /* 1: over a Unix-domain socket (this machine, no network) */
    int version_num;       /* server_version_num, e.g. 150018 */
    char version[128];     /* server_version, e.g. "15.18 (Debian 15.18-0+deb12u1)" */
    int tls;               /* 1: the connection is encrypted (SSL/TLS) */
    char tls_protocol[32]; /* e.g. "TLSv1.3"; "" without TLS */
    char sslmode[16];      /* the sslmode in force (libpq's default is "prefer") */
    char sslrootcert[256]; /* the root certificate file libpq checks the server's against,
                              if one exists ("" = none): sslrootcert, else
                              ~/.postgresql/root.crt. With one, libpq treats sslmode=require
                              like verify-ca */
    int data_checksums;    /* 1: the cluster verifies page checksums */
    int64_t db_bytes;      /* size of the database on the server */
    char unreadable[256];  /* tables and sequences of the store's schema this role may not
                              read, comma-separated ("" = none): pg_dump as this role, and
                              so store_data_backup, would fail */
} store_server_info;

/* What a PostgreSQL store is connected to. SQLite: BK_ERR_STATE. */
bk_err store_server_info_get(store *s, store_server_info *out);

/* Where a server target points, for messages, without connecting:
 * "host db.office.lan, port 5432", "socket directory /run/postgresql, port
 * 5432", "the default local socket, port 5432". Never contains the
 * password. A file path gives "file PATH". */
void store_server_where(const char *target, char *out, size_t outsz);

#endif
