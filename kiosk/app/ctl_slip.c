/* ctl_slip.c — bapasctl slip (render / reprint a ticket's slip) and lookup
 * (a scanned QR payload to its ticket). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "escpos.h"
#include "i18n.h"
#include "paths.h"
#include "payload.h"
#include "printer.h"
#include "slip.h"
#include "slip_png.h"
#include "slip_store.h"

static int write_file(const char *path, const uint8_t *d, size_t n)
{
    char tmp[CFG_PATH_SZ + 8];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
    FILE *f = fopen(tmp, "wb");
    if (!f) return -1;
    int ok = fwrite(d, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

static const char *paper_name(escpos_paper p)
{
    switch (p) {
    case ESCPOS_PAPER_OK:
        return "ok";
    case ESCPOS_PAPER_LOW:
        return "low";
    case ESCPOS_PAPER_OUT:
        return "out";
    default:
        return "unknown";
    }
}

/* --paper and --lang of slip and print-test, defaulting to the config:
 * 0, or the exit code of the refusal (already reported). */
static int paper_lang(ctl *c, const char *paper_s, int *paper, const char **lang)
{
    if (paper_s) {
        if (strcmp(paper_s, "58") == 0)
            *paper = 58;
        else if (strcmp(paper_s, "80") == 0)
            *paper = 80;
        else
            return ctl_fail(c, BK_ERR_INVALID, "--paper must be 58 or 80 (mm)");
    }
    if (!*lang) *lang = c->cfg.language;
    if (strcmp(*lang, "id") && strcmp(*lang, "en"))
        return ctl_fail(c, BK_ERR_INVALID, "--lang must be id or en");
    return 0;
}

int ctl_cmd_slip(ctl *c, int argc, char **argv)
{
    const char *usage = "slip TICKET [--png FILE [--mono]] [--escpos FILE] [--print] "
                        "[--paper 58|80] [--lang id|en] [--native-qr]";
    const char *ticket = NULL, *png = NULL, *esc = NULL, *paper_s = NULL, *lang = NULL;
    int print = 0, mono = 0, native = c->cfg.printer_native_qr;
    char *pos[1] = {0};
    const ctl_opt_def opts[] = {CTL_STRING("--png", &png),        CTL_STRING("--escpos", &esc),
                                CTL_STRING("--paper", &paper_s),  CTL_STRING("--lang", &lang),
                                CTL_FLAG("--print", &print),      CTL_FLAG("--mono", &mono),
                                CTL_FLAG("--native-qr", &native), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NO_DASH, pos, 1};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    ticket = pos[0];
    if (!ticket || (!png && !esc && !print)) return ctl_usage(c, usage);
    int paper = c->cfg.paper_mm;
    int bad_pl = paper_lang(c, paper_s, &paper, &lang);
    if (bad_pl) return bad_pl;
    printer_target target;
    const char *why = NULL;
    if (print && printer_target_parse(c->cfg.printer, &target, &why))
        return ctl_fail(c, BK_ERR_USAGE, "config [printer] target \"%s\": %s", c->cfg.printer, why);

    int rc = ctl_open(c);
    if (rc) return rc;
    int64_t id = 0;
    bk_err e = queue_resolve(&c->q, ticket, &id);
    if (e == BK_ERR_INVALID)
        return ctl_fail(c, e, "ticket must be today's code like A-007 or a numeric id");
    if (e == BK_ERR_NOT_FOUND) return ctl_fail(c, e, "slip: ticket %s not found", ticket);
    if (e) return ctl_fail(c, e, "slip: %s", store_errmsg(c->st));

    slip_info info;
    queue_view view;
    e = slip_store_info(&c->q, &c->cfg, id, &info, &view);
    if (e == BK_ERR_NOT_FOUND) return ctl_fail(c, e, "slip: ticket %s not found", ticket);
    if (e) return ctl_fail(c, e, "slip: reading ticket %s failed: %s", ticket, store_errmsg(c->st));

    if (!payload_token_valid(info.token))
        return ctl_fail(c, BK_ERR_INVALID,
                        "slip: ticket %s has no version-1 slip token (26 characters A-Z 2-7), "
                        "so no QR can be printed for it",
                        view.t.code);

    char dir[CFG_PATH_SZ], err[256] = "";
    i18n *tr = NULL;
    slip_fonts *fonts = NULL;
    slip_layout *layout = NULL;
    slip_image im = {0};
    slip_buf buf = {0};
    json_t *out = NULL;
    rc = 0;
    if (paths_asset("i18n", dir, sizeof dir) || i18n_load(dir, lang, &tr)) {
        rc = ctl_fail(c, BK_ERR_NOT_FOUND,
                      "slip: cannot load the %s catalog from the assets "
                      "directory (set BAPAS_ASSETS)",
                      lang);
        goto out;
    }
    if ((e = slip_fonts_open(NULL, NULL, &fonts, err, sizeof err))) {
        rc = ctl_fail(c, e, "slip: %s", err);
        goto out;
    }
    layout = malloc(sizeof *layout);
    if (!layout) {
        rc = ctl_fail(c, BK_ERR_NOMEM, "slip: out of memory");
        goto out;
    }
    if ((e = slip_make(fonts, tr, &info, paper, layout, &im))) {
        rc = ctl_fail(c, e, "slip: laying out the slip failed (%s)", bk_err_name(e));
        goto out;
    }
    out = json_pack("{s:I, s:s, s:i, s:i, s:i, s:s}", "ticket", (json_int_t)id, "code", view.t.code,
                    "paper_mm", paper, "width", im.width, "height", im.height, "payload",
                    im.qr.payload);
    if (out) {
        /* the date as printed (report visits), and every printed text line */
        json_object_set_new(out, "next_report",
                            info.next_report[0] ? json_string(info.next_report) : json_null());
        json_t *lines = json_array();
        for (int i = 0; lines && i < layout->n_items; i++)
            if (layout->items[i].kind == SLIP_ITEM_TEXT)
                json_array_append_new(lines, json_string(layout->items[i].text));
        if (lines) json_object_set_new(out, "lines", lines);
    }
    if (!out) {
        rc = ctl_fail(c, BK_ERR_NOMEM, "slip: out of memory");
        goto out;
    }
    if (png) {
        if ((e = slip_png_write(&im, mono, png))) {
            rc = ctl_fail(c, e, "slip: cannot write %s: %s", png, strerror(errno));
            goto out;
        }
        json_object_set_new(out, "png", json_string(png));
        if (!c->json)
            printf("slip %s: wrote %s (%dx%d dots, %d mm)\n", view.t.code, png, im.width, im.height,
                   paper);
    }
    if (esc) {
        escpos_opts eo = {.native_qr = native};
        if ((e = escpos_encode(&im, &eo, &buf)) || write_file(esc, buf.data, buf.len)) {
            rc = ctl_fail(c, e ? e : BK_ERR_IO, "slip: cannot write %s: %s", esc,
                          e ? bk_err_name(e) : strerror(errno));
            goto out;
        }
        json_object_set_new(out, "escpos", json_string(esc));
        json_object_set_new(out, "escpos_bytes", json_integer((json_int_t)buf.len));
        if (!c->json)
            printf("slip %s: wrote %s (%zu bytes ESC/POS, %d mm%s)\n", view.t.code, esc, buf.len,
                   paper, native ? ", native QR" : "");
    }
    if (print) {
        printer_opts po = {.timeout_ms = c->cfg.printer_timeout_ms, .native_qr = native};
        print_result r;
        printer_send(&target, &po, &im, &r);
        bk_err ae = slip_store_audit_print(c->st, queue_now(&c->q), c->actor, id, &target, &r);
        json_t *pj = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "target", target.spec, "state",
                               r.state == PRINT_DONE ? "done" : "failed", "reason",
                               print_reason_name(r.reason), "paper", paper_name(r.paper),
                               "elapsed_ms", r.elapsed_ms, "detail", r.detail);
        if (pj) json_object_set_new(out, "print", pj);
        if (ae)
            fprintf(stderr, "bapasctl: could not record the print result in the audit log: %s\n",
                    store_errmsg(c->st));
        if (r.state != PRINT_DONE) {
            const char *hint = print_reason_hint(r.reason);
            rc = ctl_fail(c, r.reason == PRINT_R_DISABLED ? BK_ERR_USAGE : BK_ERR_IO,
                          "slip %s: printing failed (%s): %s.%s%s", view.t.code,
                          print_reason_name(r.reason), r.detail, *hint ? " " : "", hint);
            goto out;
        }
        if (!c->json) {
            printf("slip %s: printed on %s in %d ms (paper: %s)\n", view.t.code, target.spec,
                   r.elapsed_ms, paper_name(r.paper));
            if (r.paper == ESCPOS_PAPER_LOW)
                printf("warning: the printer's paper is running low\n");
        }
    }
    if (c->json) {
        rc = ctl_emit(c, out);
        out = NULL;
    }
out:
    json_decref(out);
    slip_buf_free(&buf);
    slip_image_free(&im);
    free(layout);
    slip_fonts_close(fonts);
    i18n_free(tr);
    return rc;
}

int ctl_cmd_lookup(ctl *c, int argc, char **argv)
{
    const char *usage = "lookup PAYLOAD|-   (the scanned QR text; - reads one line from stdin)";
    if (argc != 2 || c->help) return ctl_usage(c, usage);
    char line[512];
    const char *s = argv[1];
    size_t n = strlen(s);
    if (strcmp(s, "-") == 0) {
        n = fread(line, 1, sizeof line - 1, stdin);
        line[n] = 0;
        s = line;
    }
    /* Keyboard-wedge scanners end the scan with Enter: drop one line ending. */
    if (n && s[n - 1] == '\n') n--;
    if (n && s[n - 1] == '\r') n--;
    char token[PAYLOAD_TOKEN_LEN + 1];
    const char *why = NULL;
    if (payload_parse(s, n, token, &why))
        return ctl_fail(c, BK_ERR_INVALID,
                        "lookup: not a Bapas slip code (%s); expected BPK1: followed by 26 "
                        "characters A-Z 2-7",
                        why);
    int rc = ctl_open(c);
    if (rc) return rc;
    store_ticket t;
    bk_err e = store_ticket_by_token(c->st, token, &t);
    if (e == BK_ERR_NOT_FOUND)
        return ctl_fail(c, e,
                        "lookup: no ticket has this code (forged, mistyped, or from "
                        "another office's database)");
    if (e) return ctl_fail(c, e, "lookup failed: %s", store_errmsg(c->st));
    queue_view v;
    if ((e = queue_get(&c->q, t.id, &v)))
        return ctl_fail(c, e, "lookup failed: %s", store_errmsg(c->st));
    if (c->json) return ctl_emit(c, ctl_view_json(&v));
    ctl_view_print(&v);
    return 0;
}

/* bapasctl print-test [--printer TARGET] [--paper 58|80] [--lang id|en]
 * [--native-qr]: a test slip (slip_test_build: office, "TES CETAK", the
 * target, the time, a sample QR; no client data) sent through the same
 * render, ESC/POS and printer path as a ticket's slip. The database is not
 * opened. Exit: 0 printed; 2 no usable target in the config (or none);
 * 4 a --printer/--paper/--lang value refused; 1 printing failed (the
 * reason and what to do are printed). */
int ctl_cmd_print_test(ctl *c, int argc, char **argv)
{
    const char *usage =
        "print-test [--printer TARGET] [--paper 58|80] [--lang id|en] [--native-qr]";
    const char *target_s = NULL, *paper_s = NULL, *lang = NULL;
    int native = c->cfg.printer_native_qr;
    const ctl_opt_def opts[] = {CTL_STRING("--printer", &target_s), CTL_STRING("--paper", &paper_s),
                                CTL_STRING("--lang", &lang), CTL_FLAG("--native-qr", &native),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NO_DASH, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    int paper = c->cfg.paper_mm;
    int bad_pl = paper_lang(c, paper_s, &paper, &lang);
    if (bad_pl) return bad_pl;
    printer_target target;
    const char *why = NULL;
    if (target_s) {
        if (printer_target_parse(target_s, &target, &why))
            return ctl_fail(c, BK_ERR_INVALID,
                            "--printer \"%s\" is not a printer target (%s); use %s", target_s,
                            why ? why : "unknown target", PRINTER_TARGET_FORMS);
    } else if (printer_target_parse(c->cfg.printer, &target, &why)) {
        return ctl_fail(c, BK_ERR_USAGE,
                        "config [printer] target \"%s\" is not a printer target (%s); use %s",
                        c->cfg.printer, why ? why : "unknown target", PRINTER_TARGET_FORMS);
    }
    if (target.kind == PRINTER_NONE)
        return ctl_fail(c, BK_ERR_USAGE,
                        "printing is turned off ([printer] target = none): set the target, or "
                        "try one with --printer TARGET (%s)",
                        PRINTER_TARGET_FORMS);

    slip_test_info info = {.printed_at = queue_now(&c->q), .utc_offset_min = c->cfg.utc_offset_min};
    snprintf(info.office, sizeof info.office, "%s", c->cfg.office_name);
    snprintf(info.target, sizeof info.target, "%s", target.spec);
    char dir[CFG_PATH_SZ], err[256] = "";
    i18n *tr = NULL;
    slip_fonts *fonts = NULL;
    slip_layout *layout = NULL;
    slip_image im = {0};
    int rc = 0;
    bk_err e;
    if (paths_asset("i18n", dir, sizeof dir) || i18n_load(dir, lang, &tr)) {
        rc = ctl_fail(c, BK_ERR_NOT_FOUND,
                      "print-test: cannot load the %s catalog from the assets directory (set "
                      "BAPAS_ASSETS)",
                      lang);
        goto out;
    }
    if ((e = slip_fonts_open(NULL, NULL, &fonts, err, sizeof err))) {
        rc = ctl_fail(c, e, "print-test: %s", err);
        goto out;
    }
    if (!(layout = malloc(sizeof *layout))) {
        rc = ctl_fail(c, BK_ERR_NOMEM, "print-test: out of memory");
        goto out;
    }
    if ((e = slip_test_build(fonts, tr, &info, paper, layout)) ||
        (e = slip_render(fonts, layout, &im))) {
        rc = ctl_fail(c, e, "print-test: laying out the test slip failed (%s)", bk_err_name(e));
        goto out;
    }
    printer_opts po = {.timeout_ms = c->cfg.printer_timeout_ms, .native_qr = native};
    print_result r;
    printer_send(&target, &po, &im, &r);
    if (r.state != PRINT_DONE) {
        const char *hint = print_reason_hint(r.reason);
        rc = ctl_fail(c, BK_ERR_IO, "print-test: printing on %s failed (%s): %s.%s%s", target.spec,
                      print_reason_name(r.reason), r.detail, *hint ? " " : "", hint);
        goto out;
    }
    if (c->json) {
        rc = ctl_emit(c, json_pack("{s:s, s:s, s:s, s:i, s:i, s:I, s:s}", "target", target.spec,
                                   "state", "done", "paper", paper_name(r.paper), "paper_mm", paper,
                                   "elapsed_ms", r.elapsed_ms, "bytes", (json_int_t)r.bytes_sent,
                                   "payload", im.qr.payload));
    } else {
        printf("print-test: printed a test slip on %s in %d ms (%d mm, paper: %s)\n", target.spec,
               r.elapsed_ms, paper, paper_name(r.paper));
        if (r.paper == ESCPOS_PAPER_LOW) printf("warning: the printer's paper is running low\n");
    }
out:
    slip_image_free(&im);
    free(layout);
    slip_fonts_close(fonts);
    i18n_free(tr);
    return rc;
}
