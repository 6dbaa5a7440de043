/* domain.h — the typed values of the queue domain: ticket status, visit
 * purpose, routing, outcome, an officer's presence status, a client's
 * program and a staff account's role.
 *
 * Each is an enum with a __COUNT member and one table of names
 * (domain.c), the text kept in the database and shown in every output
 * (JSON, CSV, text). Only the store converts between the enum and that text
 * (store.c, store_data.c); input from outside (CLI, CSV, --script, config)
 * is parsed with the *_parse functions. The values are dense from 0, so
 * they index arrays of size X__COUNT.
 *
 * Contract: *_name() never returns NULL ("unknown" for a value out of
 * range, and "" for BK_OUTCOME_NONE). *_parse() matches the name exactly
 * (case-sensitive) and returns BK_OK, or BK_ERR_INVALID (out untouched)
 * for NULL or any other text. No state, no allocation.
 */
#ifndef BK_DOMAIN_H
#define BK_DOMAIN_H

#include "bkerr.h"

/* A ticket's status. The order is the bit order of the store's status
 * masks (STORE_ST_*: 1u << status). */
typedef enum bk_status {
    BK_STATUS_WAITING = 0,
    BK_STATUS_CALLED,
    BK_STATUS_SERVING,
    BK_STATUS_DONE,
    BK_STATUS_NO_SHOW,
    BK_STATUS_CANCELLED,
    BK_STATUS__COUNT
} bk_status;

const char *bk_status_name(bk_status s); /* "waiting" ... "cancelled" */
bk_err bk_status_parse(const char *text, bk_status *out);
/* waiting, called or serving. */
int bk_status_open(bk_status s);

/* The purpose of a visit. Ticket codes carry none (schema 9: one daily
 * series, queue.h QUEUE_CODE_LETTER). The order is also the bit order of a
 * visit's purposes (store_ticket.purposes; pg/009_visits.sql bk_purpose_bits). */
typedef enum bk_purpose {
    BK_PURPOSE_REPORT = 0, /* wajib lapor */
    BK_PURPOSE_COUNSELING,
    BK_PURPOSE_GROUP,
    BK_PURPOSE_DRUG_TEST,
    BK_PURPOSE_LITMAS,
    BK_PURPOSE_OTHER,
    BK_PURPOSE__COUNT
} bk_purpose;

/* "report" "counseling" "group" "drug-test" "litmas" "other". */
const char *bk_purpose_name(bk_purpose p);
bk_err bk_purpose_parse(const char *text, bk_purpose *out);

/* Where check-in routed a ticket. */
typedef enum bk_routing {
    BK_ROUTED_ASSIGNED = 0, /* the client's own officer */
    BK_ROUTED_SUBSTITUTE,   /* the officer's named substitute */
    BK_ROUTED_RECEPTION,    /* the reception queue */
    BK_ROUTED__COUNT
} bk_routing;

const char *bk_routing_name(bk_routing r); /* "assigned" "substitute" "reception" */
bk_err bk_routing_parse(const char *text, bk_routing *out);

/* Why a ticket without a client was made (tickets.reason, schema 11):
 * BK_REASON_NONE is "" (a walk-in reception made, or any client's ticket);
 * BK_REASON_NO_NUMBER: a client at the kiosk who does not know their
 * number asked for a reception ticket ([identify], issue 12 item 3). */
typedef enum bk_reason { BK_REASON_NONE = 0, BK_REASON_NO_NUMBER, BK_REASON__COUNT } bk_reason;

const char *bk_reason_name(bk_reason r); /* "" "no_number" */
bk_err bk_reason_parse(const char *text, bk_reason *out);

/* How a visit ended. NONE ("" here, NULL in the database) until done. */
typedef enum bk_outcome {
    BK_OUTCOME_NONE = 0,
    BK_OUTCOME_COUNSELED,
    BK_OUTCOME_ADMIN,
    BK_OUTCOME_REFERRED,
    BK_OUTCOME__COUNT
} bk_outcome;

const char *bk_outcome_name(bk_outcome o); /* "" "counseled" "admin" "referred" */
/* "" parses as BK_OUTCOME_NONE: callers that need a real outcome check. */
bk_err bk_outcome_parse(const char *text, bk_outcome *out);

/* An officer's status on a day (officer_presence, officer_weekly). */
typedef enum bk_presence {
    BK_PRESENCE_PRESENT = 0,
    BK_PRESENCE_ABSENT,
    BK_PRESENCE_DUTY, /* piket: present, and on duty */
    BK_PRESENCE__COUNT
} bk_presence;

const char *bk_presence_name(bk_presence p); /* "present" "absent" "duty" */
bk_err bk_presence_parse(const char *text, bk_presence *out);

/* A client's supervision program. */
typedef enum bk_program {
    BK_PROGRAM_PB = 0, /* pembebasan bersyarat */
    BK_PROGRAM_CB,     /* cuti bersyarat */
    BK_PROGRAM_CMB,    /* cuti menjelang bebas */
    BK_PROGRAM_ASIMILASI,
    BK_PROGRAM_OTHER,
    BK_PROGRAM__COUNT
} bk_program;

const char *bk_program_name(bk_program p); /* "PB" "CB" "CMB" "ASIMILASI" "OTHER" */
bk_err bk_program_parse(const char *text, bk_program *out);

/* A staff account's role (users.role, bapasctl user, the office server). */
typedef enum bk_role {
    BK_ROLE_RECEPTION = 0, /* everything reception does */
    BK_ROLE_PK,            /* a PK: their own officer's tickets (users.officer_id) */
    BK_ROLE_HEAD,          /* kepala: reads everything and the reports */
    BK_ROLE_ADMIN,         /* manages users and the office data */
    BK_ROLE__COUNT
} bk_role;

const char *bk_role_name(bk_role r); /* "reception" "pk" "head" "admin" */
bk_err bk_role_parse(const char *text, bk_role *out);

#endif
