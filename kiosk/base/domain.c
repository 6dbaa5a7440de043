/* domain.c — the one table of names of each domain value (domain.h). */
#include "domain.h"

#include <string.h>

static const char *const status_names[BK_STATUS__COUNT] = {
    [BK_STATUS_WAITING] = "waiting", [BK_STATUS_CALLED] = "called",
    [BK_STATUS_SERVING] = "serving", [BK_STATUS_DONE] = "done",
    [BK_STATUS_NO_SHOW] = "no_show", [BK_STATUS_CANCELLED] = "cancelled",
};

static const char *const purpose_names[BK_PURPOSE__COUNT] = {
    [BK_PURPOSE_REPORT] = "report", [BK_PURPOSE_COUNSELING] = "counseling",
    [BK_PURPOSE_GROUP] = "group",   [BK_PURPOSE_DRUG_TEST] = "drug-test",
    [BK_PURPOSE_LITMAS] = "litmas", [BK_PURPOSE_OTHER] = "other",
};

static const char *const routing_names[BK_ROUTED__COUNT] = {
    [BK_ROUTED_ASSIGNED] = "assigned",
    [BK_ROUTED_SUBSTITUTE] = "substitute",
    [BK_ROUTED_RECEPTION] = "reception",
};

static const char *const reason_names[BK_REASON__COUNT] = {
    [BK_REASON_NONE] = "",
    [BK_REASON_NO_NUMBER] = "no_number",
};

static const char *const outcome_names[BK_OUTCOME__COUNT] = {
    [BK_OUTCOME_NONE] = "",
    [BK_OUTCOME_COUNSELED] = "counseled",
    [BK_OUTCOME_ADMIN] = "admin",
    [BK_OUTCOME_REFERRED] = "referred",
};

static const char *const presence_names[BK_PRESENCE__COUNT] = {
    [BK_PRESENCE_PRESENT] = "present",
    [BK_PRESENCE_ABSENT] = "absent",
    [BK_PRESENCE_DUTY] = "duty",
};

static const char *const program_names[BK_PROGRAM__COUNT] = {
    [BK_PROGRAM_PB] = "PB",       [BK_PROGRAM_CB] = "CB",
    [BK_PROGRAM_CMB] = "CMB",     [BK_PROGRAM_ASIMILASI] = "ASIMILASI",
    [BK_PROGRAM_OTHER] = "OTHER",
};

static const char *const role_names[BK_ROLE__COUNT] = {
    [BK_ROLE_RECEPTION] = "reception",
    [BK_ROLE_PK] = "pk",
    [BK_ROLE_HEAD] = "head",
    [BK_ROLE_ADMIN] = "admin",
};

static const char *name_of(const char *const *names, unsigned count, unsigned v)
{
    return v < count && names[v] ? names[v] : "unknown";
}

/* The index of text in names, or -1. */
static int index_of(const char *const *names, int count, const char *text)
{
    if (!text) return -1;
    for (int i = 0; i < count; i++)
        if (names[i] && strcmp(names[i], text) == 0) return i;
    return -1;
}

#define DOMAIN_FUNCS(type, prefix, names, count)                                                   \
    const char *prefix##_name(type v)                                                              \
    {                                                                                              \
        return name_of(names, (unsigned)(count), (unsigned)v);                                     \
    }                                                                                              \
    bk_err prefix##_parse(const char *text, type *out)                                             \
    {                                                                                              \
        int i = index_of(names, (int)(count), text);                                               \
        if (i < 0) return BK_ERR_INVALID;                                                          \
        *out = (type)i;                                                                            \
        return BK_OK;                                                                              \
    }

DOMAIN_FUNCS(bk_status, bk_status, status_names, BK_STATUS__COUNT)
DOMAIN_FUNCS(bk_purpose, bk_purpose, purpose_names, BK_PURPOSE__COUNT)
DOMAIN_FUNCS(bk_routing, bk_routing, routing_names, BK_ROUTED__COUNT)
DOMAIN_FUNCS(bk_outcome, bk_outcome, outcome_names, BK_OUTCOME__COUNT)
DOMAIN_FUNCS(bk_reason, bk_reason, reason_names, BK_REASON__COUNT)
DOMAIN_FUNCS(bk_presence, bk_presence, presence_names, BK_PRESENCE__COUNT)
DOMAIN_FUNCS(bk_program, bk_program, program_names, BK_PROGRAM__COUNT)
DOMAIN_FUNCS(bk_role, bk_role, role_names, BK_ROLE__COUNT)

int bk_status_open(bk_status s)
{
    return s == BK_STATUS_WAITING || s == BK_STATUS_CALLED || s == BK_STATUS_SERVING;
}
