#include "bkerr.h"

const char *bk_err_name(bk_err e)
{
    static const char *const names[BK_ERR__COUNT] = {
        [BK_OK] = "ok",
        [BK_ERR_INTERNAL] = "internal",
        [BK_ERR_NOMEM] = "no_memory",
        [BK_ERR_BUSY] = "busy",
        [BK_ERR_IO] = "io",
        [BK_ERR_USAGE] = "usage",
        [BK_ERR_NOT_FOUND] = "not_found",
        [BK_ERR_INVALID] = "invalid",
        [BK_ERR_EXISTS] = "exists",
        [BK_ERR_WRONG_BIRTH] = "wrong_birth_date",
        [BK_ERR_LOCKED] = "locked",
        [BK_ERR_STATE] = "wrong_state",
        [BK_ERR_ENDED] = "ended",
        [BK_ERR_RETRY] = "retry",
        [BK_ERR_DENIED] = "denied",
        [BK_ERR_READONLY] = "read_only",
        [BK_ERR_DISK_FULL] = "disk_full",
        [BK_ERR_REPORTED] = "reported_today",
    };
    if ((unsigned)e >= BK_ERR__COUNT || !names[e]) return "unknown";
    return names[e];
}

int bk_exit_code(bk_err e)
{
    switch (e) {
    case BK_OK:
        return 0;
    case BK_ERR_USAGE:
        return 2;
    case BK_ERR_NOT_FOUND:
        return 3;
    case BK_ERR_INVALID:
    case BK_ERR_EXISTS:
    case BK_ERR_WRONG_BIRTH:
    case BK_ERR_LOCKED:
        return 4;
    case BK_ERR_STATE:
    case BK_ERR_ENDED:
    case BK_ERR_REPORTED:
        return 5;
    default:
        return 1;
    }
}
