/* kiosk_print.c — the kiosk_printer adapter over kiosk/print (see .h). */
#include "kiosk_print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blog.h"
#include "i18n.h"
#include "otime.h"
#include "printer.h"
#include "slip.h"
#include "slip_store.h"

struct kiosk_print {
    cfg cfg;
    printer_target target;
    printer *worker;
    slip_fonts *fonts;
    i18n *cat[2];
    slip_layout *scratch;
    slip_image image; /* the last slip (for the on-screen preview) */
    int have_image;
    SDL_Surface *surface; /* made from image on demand */
    SDL_Surface *qr;      /* the QR alone, made on demand (failure screen) */
    uint32_t job;
    int64_t ticket_id; /* of the job */
    flow_print last;
    kiosk_printer iface;
    /* the failure to put in the audit log, written by the database thread */
    SDL_mutex *lock;
    int failed;
    int64_t failed_ticket;
    print_result failure;
};

static void note_failure(kiosk_print *p, const print_result *r)
{
    if (SDL_LockMutex(p->lock) != 0) return;
    p->failed = 1;
    p->failed_ticket = p->ticket_id;
    p->failure = *r;
    SDL_UnlockMutex(p->lock);
}

static flow_print kp_start(void *ud, const queue_view *v, const char *next_report, int walkin,
                           const char *lang)
{
    kiosk_print *p = ud;
    (void)walkin;
    if (p->surface) {
        SDL_FreeSurface(p->surface);
        p->surface = NULL;
    }
    if (p->qr) {
        SDL_FreeSurface(p->qr);
        p->qr = NULL;
    }
    if (p->have_image) {
        slip_image_free(&p->image);
        p->have_image = 0;
    }
    p->ticket_id = v->t.id;
    slip_info info;
    slip_info_from_view(v, &p->cfg, NULL, NULL, otime_now(), &info);
    /* computed by the check-in job with the office calendar */
    if (next_report && queue_visit_has(&v->t, BK_PURPOSE_REPORT))
        snprintf(info.next_report, sizeof info.next_report, "%s", next_report);
    const i18n *t = p->cat[lang && strcmp(lang, "en") == 0];
    bk_err e = slip_make(p->fonts, t, &info, p->cfg.paper_mm, p->scratch, &p->image);
    memset(&info, 0, sizeof info);
    if (e) {
        blog(BLOG_WARNING, "bapas-kiosk", "cannot render the slip: %s", bk_err_name(e));
        print_result r = {.state = PRINT_FAILED, .reason = PRINT_R_IO};
        snprintf(r.detail, sizeof r.detail, "slip rendering failed: %s", bk_err_name(e));
        note_failure(p, &r);
        return p->last = FLOW_PRINT_FAILED;
    }
    p->have_image = 1;
    e = printer_submit(p->worker, &p->image, &p->job);
    if (e && e != BK_ERR_BUSY) {
        blog(BLOG_WARNING, "bapas-kiosk", "cannot queue the slip: %s", bk_err_name(e));
        print_result r = {.state = PRINT_FAILED, .reason = PRINT_R_NOMEM};
        snprintf(r.detail, sizeof r.detail, "cannot queue the slip: %s", bk_err_name(e));
        note_failure(p, &r);
        return p->last = FLOW_PRINT_FAILED;
    }
    return p->last = FLOW_PRINT_PENDING;
}

static flow_print kp_poll(void *ud)
{
    kiosk_print *p = ud;
    if (p->last != FLOW_PRINT_PENDING) return p->last;
    print_result r;
    printer_poll(p->worker, p->job, &r);
    switch (r.state) {
    case PRINT_QUEUED:
    case PRINT_PRINTING:
        return FLOW_PRINT_PENDING;
    case PRINT_DONE:
        return p->last = FLOW_PRINT_DONE;
    case PRINT_FAILED:
    case PRINT_UNKNOWN:
    default:
        blog(BLOG_WARNING, "bapas-kiosk", "slip not printed: %s (%s)", print_reason_name(r.reason),
             r.detail);
        note_failure(p, &r);
        return p->last = FLOW_PRINT_FAILED;
    }
}

/* On the database thread. */
static bk_err kp_audit(void *ud, queue_ctx *q)
{
    kiosk_print *p = ud;
    if (SDL_LockMutex(p->lock) != 0) return BK_ERR_INTERNAL;
    int failed = p->failed;
    int64_t ticket = p->failed_ticket;
    print_result r = p->failure;
    p->failed = 0;
    SDL_UnlockMutex(p->lock);
    if (!failed || !q->st) return BK_OK;
    bk_err e = slip_store_audit_print(q->st, queue_now(q), q->actor ? q->actor : "kiosk", ticket,
                                      &p->target, &r);
    if (e) blog(BLOG_WARNING, "bapas-kiosk", "cannot record the print failure: %s", bk_err_name(e));
    return e;
}

static SDL_Surface *kp_slip(void *ud)
{
    kiosk_print *p = ud;
    if (!p->have_image) return NULL;
    if (!p->surface) p->surface = slip_image_surface(&p->image);
    return p->surface;
}

/* 8 px per module: the screen scales it to the room the layout gives. */
static SDL_Surface *kp_qr(void *ud)
{
    kiosk_print *p = ud;
    if (!p->have_image) return NULL;
    if (!p->qr) {
        slip_image qi;
        memset(&qi, 0, sizeof qi);
        if (slip_qr_image(&p->image.qr, 8, &qi) != BK_OK) return NULL;
        p->qr = slip_image_surface(&qi);
        slip_image_free(&qi);
    }
    return p->qr;
}

bk_err kiosk_print_open(const cfg *c, const char *assets, kiosk_print **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    if (strcmp(c->printer, "none") == 0) return BK_OK;
    kiosk_print *p = calloc(1, sizeof *p);
    if (!p || !(p->scratch = malloc(sizeof *p->scratch))) {
        free(p);
        snprintf(err, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    p->cfg = *c;
    p->lock = SDL_CreateMutex();
    if (!p->lock) {
        snprintf(err, errlen, "SDL_CreateMutex: %s", SDL_GetError());
        free(p->scratch);
        free(p);
        return BK_ERR_INTERNAL;
    }
    const char *why = NULL;
    bk_err e = printer_target_parse(c->printer, &p->target, &why);
    if (e) {
        snprintf(err, errlen, "printer target \"%s\": %s", c->printer, why ? why : "invalid");
        goto fail;
    }
    char dir[2048];
    snprintf(dir, sizeof dir, "%s/i18n", assets);
    if ((e = i18n_load(dir, "id", &p->cat[0])) || (e = i18n_load(dir, "en", &p->cat[1]))) {
        snprintf(err, errlen, "cannot load the catalogs from %s", dir);
        goto fail;
    }
    if ((e = slip_fonts_open(NULL, NULL, &p->fonts, err, errlen))) goto fail;
    printer_opts po = {.timeout_ms = c->printer_timeout_ms, .native_qr = c->printer_native_qr};
    if ((e = printer_start(&p->target, &po, &p->worker))) {
        snprintf(err, errlen, "cannot start the print worker: %s", bk_err_name(e));
        goto fail;
    }
    p->iface.ud = p;
    p->iface.start = kp_start;
    p->iface.poll = kp_poll;
    p->iface.slip = kp_slip;
    p->iface.qr = kp_qr;
    p->iface.audit = kp_audit;
    *out = p;
    return BK_OK;
fail:
    kiosk_print_close(p);
    return e;
}

const kiosk_printer *kiosk_print_iface(kiosk_print *p)
{
    return p ? &p->iface : NULL;
}

void kiosk_print_close(kiosk_print *p)
{
    if (!p) return;
    if (p->worker) printer_stop(p->worker);
    if (p->surface) SDL_FreeSurface(p->surface);
    if (p->qr) SDL_FreeSurface(p->qr);
    if (p->have_image) slip_image_free(&p->image);
    if (p->fonts) slip_fonts_close(p->fonts);
    for (int i = 0; i < 2; i++)
        i18n_free(p->cat[i]);
    if (p->lock) SDL_DestroyMutex(p->lock);
    free(p->scratch);
    free(p);
}
