/* qjson.c — see qjson.h. */
#include "qjson.h"

#include <stdio.h>

#include "otime.h"

static json_t *time_or_null(int64_t t)
{
    if (!t) return json_null();
    char iso[21];
    otime_iso_utc(t, iso);
    return json_string(iso);
}

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* The visit's purposes, the first (tickets.purpose) first, then the others
 * in bk_purpose order; just the first where they were not read. */
static json_t *purposes_json(const store_ticket *t)
{
    json_t *a = json_array();
    if (!a) return NULL;
    unsigned bits = t->purposes | 1u << t->purpose;
    if (json_array_append_new(a, json_string(bk_purpose_name(t->purpose)))) goto fail;
    for (int i = 0; i < BK_PURPOSE__COUNT; i++)
        if (i != (int)t->purpose && (bits & 1u << i) &&
            json_array_append_new(a, json_string(bk_purpose_name((bk_purpose)i))))
            goto fail;
    return a;
fail:
    json_decref(a);
    return NULL;
}

json_t *qjson_view(const queue_view *v)
{
    const store_ticket *t = &v->t;
    json_t *officer = json_null();
    if (v->has_officer)
        officer = json_pack("{s:s, s:s, s:s}", "id", v->officer.id, "name", v->officer.name, "room",
                            v->officer.room);
    json_t *o = json_object();
    if (!o || !officer) {
        json_decref(o);
        json_decref(officer);
        return NULL;
    }
    json_object_set_new(o, "id", json_integer(t->id));
    json_object_set_new(o, "code", json_string(t->code));
    json_object_set_new(o, "token", json_string(t->token));
    json_object_set_new(o, "status", json_string(bk_status_name(t->status)));
    json_object_set_new(o, "purpose", json_string(bk_purpose_name(t->purpose)));
    json_object_set_new(o, "officer", officer);
    json_object_set_new(o, "routed", json_string(bk_routing_name(t->routed)));
    /* schema 11: why a ticket without a client was made ("no_number"), else null */
    json_object_set_new(o, "reason", text_or_null(bk_reason_name(t->reason)));
    json_object_set_new(o, "position", v->position >= 0 ? json_integer(v->position) : json_null());
    json_object_set_new(o, "eta_minutes",
                        v->eta_minutes >= 0 ? json_integer(v->eta_minutes) : json_null());
    json_object_set_new(o, "existing", json_boolean(v->existing));
    /* Extensions. */
    json_object_set_new(o, "office_day", json_string(t->day));
    json_object_set_new(o, "client_no", text_or_null(t->client_no));
    json_object_set_new(o, "assigned", text_or_null(t->assigned));
    json_object_set_new(o, "transferred_from", text_or_null(t->transferred_from));
    json_object_set_new(o, "priority", json_boolean(t->priority));
    json_object_set_new(o, "calls", json_integer(t->calls));
    json_object_set_new(o, "checked_in_at", time_or_null(t->checkin_at));
    json_object_set_new(o, "called_at", time_or_null(t->called_at));
    json_object_set_new(o, "started_at", time_or_null(t->started_at));
    json_object_set_new(o, "finished_at", time_or_null(t->finished_at));
    json_object_set_new(o, "served_by", text_or_null(t->served_by));
    json_object_set_new(o, "outcome", text_or_null(bk_outcome_name(t->outcome)));
    /* schema 9: every purpose of the visit ("purpose" stays the first), and
     * whether this check-in added its purpose to an open visit */
    json_t *purposes = purposes_json(t);
    if (!purposes) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "purposes", purposes);
    json_object_set_new(o, "joined", json_boolean(v->joined));
    return o;
}

static json_t *cell_json(const report *r, size_t row, int j)
{
    const report_cell *c = &r->cells[row * (size_t)r->ncols + (size_t)j];
    if (c->null) return json_null();
    switch (r->cols[j].type) {
    case REPORT_T_TEXT:
        return json_string(c->s ? c->s : "");
    case REPORT_T_INT:
        return json_integer(c->i);
    case REPORT_T_SECONDS:
        if (c->x == (double)(json_int_t)c->x) return json_integer((json_int_t)c->x);
        return json_real(c->x);
    case REPORT_T_SHARE: {
        /* Exact parts, and the fraction rounded to 4 decimals. */
        double v = (double)((c->num * 20000 + c->den) / (2 * c->den)) / 10000.0;
        return json_real(v);
    }
    }
    return json_null();
}

json_t *qjson_report(const report *r)
{
    json_t *cols = json_array(), *rows = json_array(), *total = json_null();
    for (int j = 0; j < r->ncols; j++)
        json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "id", r->cols[j].id, "title",
                                              r->cols[j].title, "type",
                                              r->cols[j].type == REPORT_T_TEXT      ? "text"
                                              : r->cols[j].type == REPORT_T_INT     ? "int"
                                              : r->cols[j].type == REPORT_T_SECONDS ? "seconds"
                                                                                    : "share"));
    size_t data = r->nrows - r->total_rows;
    for (size_t i = 0; i < r->nrows; i++) {
        json_t *o = json_object();
        for (int j = 0; j < r->ncols; j++) {
            json_object_set_new(o, r->cols[j].id, cell_json(r, i, j));
            const report_cell *c = &r->cells[i * (size_t)r->ncols + (size_t)j];
            if (r->cols[j].type == REPORT_T_SHARE && !c->null) {
                char k[80];
                snprintf(k, sizeof k, "%s_num", r->cols[j].id);
                json_object_set_new(o, k, json_integer(c->num));
                snprintf(k, sizeof k, "%s_den", r->cols[j].id);
                json_object_set_new(o, k, json_integer(c->den));
            }
        }
        if (i < data)
            json_array_append_new(rows, o);
        else {
            json_decref(total);
            total = o;
        }
    }
    char gen[21];
    otime_iso_utc(r->p.generated_at, gen);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "report",
                     report_kind_name(r->p.kind), "title", report_title(r->p.kind), "from",
                     r->p.from, "to", r->p.to, "officer", text_or_null(r->p.officer),
                     "generated_at", gen, "columns", cols, "rows", rows, "total", total);
}
