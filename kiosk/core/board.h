/* board.h — what the public lobby display shows, built from the store.
 * No SDL: the ui layer draws a board_model.
 *
 * Privacy (asas kerahasiaan): the model holds ticket codes, officer names and
 * rooms only. Client names, numbers and programs never enter it. The one
 * exception is masked initials ("A. S."), filled only when the office turns
 * board.show_initials on (off by default).
 *
 * A board_model is plain data (no pointers); the caller owns it (it is
 * large: keep it static or on the heap).
 */
#ifndef BK_BOARD_H
#define BK_BOARD_H

#include <stdint.h>

#include "queue.h"

#define BOARD_RECENT 5      /* the strip of earlier calls */
#define BOARD_MAX_QUEUES 72 /* officers (60+) and reception */
#define BOARD_MAX_CODES 40  /* waiting codes kept per queue */
#define BOARD_INITIALS_SZ 16

typedef struct board_call {
    int64_t id;
    char code[STORE_CODE_SZ];
    char officer[STORE_ID_SZ]; /* "" = reception */
    char officer_name[STORE_NAME_SZ];
    char room[STORE_ROOM_SZ];
    int calls; /* 1 = first call, 2+ = recalls */
    int64_t last_call_at;
    char initials[BOARD_INITIALS_SZ]; /* "" unless show_initials */
} board_call;

typedef struct board_queue {
    char officer[STORE_ID_SZ]; /* "" = reception */
    char name[STORE_NAME_SZ];
    char room[STORE_ROOM_SZ];
    int present;
    char substitute[STORE_ID_SZ]; /* who covers when absent */
    int n_waiting;                /* all waiting tickets of this queue */
    int n_codes;                  /* codes kept below (<= BOARD_MAX_CODES) */
    char codes[BOARD_MAX_CODES][STORE_CODE_SZ];
    char initials[BOARD_MAX_CODES][BOARD_INITIALS_SZ];
} board_queue;

typedef struct board_model {
    char day[STORE_DAY_SZ];
    int has_current;
    board_call current; /* the latest call: stays until the next one */
    int n_recent;
    board_call recent[BOARD_RECENT]; /* the calls before it, newest first */
    int n_queues;
    board_queue queues[BOARD_MAX_QUEUES]; /* active officers by id, then reception if used */
    int total_waiting;
} board_model;

/* Load today's board in one read transaction. */
bk_err board_load(queue_ctx *q, int show_initials, board_model *out);

/* The call events (new calls and recalls) in `next` that `prev` did not
 * have, oldest first, at most max: one chime each. prev may be NULL (first
 * load: no chimes). Returns the number written. */
int board_new_calls(const board_model *prev, const board_model *next, board_call *out, int max);

/* "Ahmad Fauzi Saputra" -> "A. F."; at most two initials; "" for "". */
void board_initials(const char *name, char out[BOARD_INITIALS_SZ]);

#endif
