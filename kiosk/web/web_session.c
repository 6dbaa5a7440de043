/* web_session.c — the session table and the per-address login limit of the
 * office server. Everything here runs under w->mu (web_priv.h). */
#include <stdio.h>
#include <string.h>

#include "token.h"
#include "web_priv.h"

bk_err web_random_hex(char out[WEB_ID_HEX + 1])
{
    uint8_t b[WEB_ID_HEX / 2];
    bk_err e = token_random_bytes(b, sizeof b);
    if (e) return e;
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return BK_OK;
}

int web_ct_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = (unsigned char)(na != nb);
    for (size_t i = 0; i < na && i < nb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

web_session *web_session_of(web_server *w, struct MHD_Connection *conn)
{
    const char *id = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, WEB_COOKIE);
    if (!id || strlen(id) != WEB_ID_HEX) return NULL;
    int64_t now = web_now(w);
    for (int i = 0; i < WEB_SESSIONS; i++) {
        web_session *s = &w->sess[i];
        if (!s->used || !web_ct_equal(s->id, id)) continue;
        if (now - s->last >= w->idle_s) {
            web_session_end(s);
            return NULL;
        }
        return s;
    }
    return NULL;
}

int web_session_live(web_server *w, const char *id)
{
    int64_t now = web_now(w);
    for (int i = 0; i < WEB_SESSIONS; i++) {
        const web_session *s = &w->sess[i];
        if (s->used && strcmp(s->id, id) == 0) return now - s->last < w->idle_s;
    }
    return 0;
}

web_session *web_session_new(web_server *w, const char *user)
{
    web_session *slot = NULL;
    for (int i = 0; i < WEB_SESSIONS; i++) {
        if (!w->sess[i].used) {
            slot = &w->sess[i];
            break;
        }
        if (!slot || w->sess[i].last < slot->last) slot = &w->sess[i];
    }
    memset(slot, 0, sizeof *slot);
    if (web_random_hex(slot->id) || web_random_hex(slot->csrf)) {
        memset(slot, 0, sizeof *slot);
        return NULL;
    }
    slot->used = 1;
    slot->last = web_now(w);
    snprintf(slot->user, sizeof slot->user, "%s", user);
    return slot;
}

void web_session_end(web_session *s)
{
    memset(s, 0, sizeof *s);
}

/* The address's entry (a fresh window if its old one ended), or NULL. */
static web_addr *addr_slot(web_server *w, struct in_addr ip, int make)
{
    int64_t now = web_now(w);
    web_addr *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < WEB_ADDRS; i++) {
        web_addr *a = &w->addrs[i];
        if (a->used && now - a->since >= WEB_ADDR_WINDOW_S) memset(a, 0, sizeof *a);
        if (a->used && a->ip.s_addr == ip.s_addr) return a;
        if (!a->used && !free_slot) free_slot = a;
        if (a->used && (!oldest || a->since < oldest->since)) oldest = a;
    }
    if (!make) return NULL;
    web_addr *a = free_slot ? free_slot : oldest;
    memset(a, 0, sizeof *a);
    a->used = 1;
    a->ip = ip;
    a->since = now;
    return a;
}

int web_addr_allowed(web_server *w, struct in_addr ip)
{
    const web_addr *a = addr_slot(w, ip, 0);
    return !a || a->failures < w->cf.web_login_per_address;
}

void web_addr_failed(web_server *w, struct in_addr ip)
{
    web_addr *a = addr_slot(w, ip, 1);
    a->failures++;
}
