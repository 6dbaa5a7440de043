/* ctl_migrate.c — bapasctl migrate-to URI: give an office's database (usually
 * its SQLite file) to a PostgreSQL server.
 *
 * Opens the destination (creating the schema in it), copies every office
 * table in one transaction under one snapshot of the source
 * (store_data_copy), then verifies: the row count of every copied table and
 * of each view for other systems must be the same on both sides. An audit
 * row records the move in the destination. Exit 0 only when verified. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "paths.h"
#include "store_data.h"

#define MIG_MAX 32

typedef struct mig_counts {
    int n;
    char name[MIG_MAX][40];
    int64_t rows[MIG_MAX];
} mig_counts;

static bk_err mig_count(void *ud, const char *name, int64_t rows)
{
    mig_counts *m = ud;
    if (m->n >= MIG_MAX) return BK_ERR_INTERNAL;
    snprintf(m->name[m->n], sizeof m->name[m->n], "%s", name);
    m->rows[m->n++] = rows;
    return BK_OK;
}

static int64_t mig_find(const mig_counts *m, const char *name)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->name[i], name) == 0) return m->rows[i];
    return -1;
}

int ctl_cmd_migrate_to(ctl *c, int argc, char **argv)
{
    const char *usage = "migrate-to postgresql://... (an empty PostgreSQL database)";
    if (argc != 2 || argv[1][0] == '-') return ctl_usage(c, usage);
    const char *uri = argv[1];
    if (strncmp(uri, "postgresql://", 13) != 0 && strncmp(uri, "postgres://", 11) != 0)
        return ctl_fail(c, BK_ERR_USAGE, "the destination must be a postgresql:// URI");
    char safe[512], from[512];
    paths_display(uri, safe, sizeof safe);
    paths_display(c->db_path, from, sizeof from);
    int rc = ctl_open(c);
    if (rc) return rc;
    store *to = NULL;
    store_opts o = {.busy_timeout_ms = c->cfg.busy_timeout_ms,
                    .utc_offset_min = c->cfg.utc_offset_min};
    char err[512];
    bk_err e = store_open(uri, &o, &to, err, sizeof err);
    if (e) return ctl_fail(c, e, "cannot open %s: %s", safe, err);
    static mig_counts copied, src_t, dst_t, src_v, dst_v;
    memset(&copied, 0, sizeof copied);
    if ((e = store_data_copy(c->st, to, mig_count, &copied))) {
        rc = ctl_fail(c, e, "copy failed, nothing was copied: %s", store_errmsg(to));
        store_close(to);
        return rc;
    }
    memset(&src_t, 0, sizeof src_t);
    memset(&dst_t, 0, sizeof dst_t);
    memset(&src_v, 0, sizeof src_v);
    memset(&dst_v, 0, sizeof dst_v);
    if ((e = store_data_table_counts(c->st, mig_count, &src_t)) ||
        (e = store_data_view_counts(c->st, mig_count, &src_v))) {
        store_close(to);
        return ctl_fail(c, e, "counting the source: %s", store_errmsg(c->st));
    }
    if ((e = store_data_table_counts(to, mig_count, &dst_t)) ||
        (e = store_data_view_counts(to, mig_count, &dst_v))) {
        rc = ctl_fail(c, e, "counting the destination: %s", store_errmsg(to));
        store_close(to);
        return rc;
    }
    /* Every table of the source (the source may have been written to since
     * the snapshot: compare against what was copied where they differ). */
    int bad = 0;
    json_t *tables = json_object(), *views = json_object(), *problems = json_array();
    for (int i = 0; i < copied.n; i++) {
        int64_t d = mig_find(&dst_t, copied.name[i]);
        if (d != copied.rows[i])
            bad++, json_array_append_new(problems,
                                         json_sprintf("%s: %lld copied, %lld there", copied.name[i],
                                                      (long long)copied.rows[i], (long long)d));
        json_object_set_new(tables, copied.name[i], json_integer(copied.rows[i]));
        if (!c->json) printf("  %-20s %lld rows\n", copied.name[i], (long long)copied.rows[i]);
    }
    for (int i = 0; i < src_t.n; i++)
        if (mig_find(&copied, src_t.name[i]) < 0)
            bad++, json_array_append_new(
                       problems, json_sprintf("%s: a source table not copied", src_t.name[i]));
    for (int i = 0; i < src_v.n; i++) {
        int64_t d = mig_find(&dst_v, src_v.name[i]);
        if (d != src_v.rows[i])
            bad++, json_array_append_new(
                       problems, json_sprintf("%s: %lld rows here, %lld there", src_v.name[i],
                                              (long long)src_v.rows[i], (long long)d));
        json_object_set_new(views, src_v.name[i], json_integer(src_v.rows[i]));
        if (!c->json) printf("  %-20s %lld rows (view)\n", src_v.name[i], (long long)src_v.rows[i]);
    }
    if (!bad) {
        char d[STORE_TEXT_SZ];
        snprintf(d, sizeof d, "migrated from %.500s to %.500s", from, safe);
        queue_ctx q = c->q;
        q.st = to;
        if ((e = store_begin(to, STORE_TX_WRITE)) ||
            (e = store_audit_add(to, queue_now(&q), c->actor, "migrate", 0, NULL, d)) ||
            (e = store_commit(to))) {
            store_rollback(to);
            fprintf(stderr,
                    "bapasctl: warning: the copy is complete but the audit row failed: %s\n",
                    store_errmsg(to));
        }
    }
    store_close(to);
    if (bad) {
        for (size_t i = 0; i < json_array_size(problems); i++)
            fprintf(stderr, "bapasctl: %s\n", json_string_value(json_array_get(problems, i)));
    }
    if (c->json) {
        rc = ctl_emit(c, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}", "from", from, "to", safe,
                                   "verified", !bad, "tables", tables, "views", views, "problems",
                                   problems));
        return bad ? 1 : rc;
    }
    json_decref(tables);
    json_decref(views);
    json_decref(problems);
    if (bad) return ctl_fail(c, BK_ERR_INTERNAL, "verification failed: %d difference(s)", bad);
    printf("migrated %s to %s: verified\n", from, safe);
    return 0;
}
