/* test_catalog — the message catalogs assets/i18n/id.txt and en.txt:
 * the same keys in both, no empty texts, the same {placeholders}, no
 * duplicate or malformed lines, every kiosk.* key the code uses present,
 * and standard Indonesian spelling ("antrean", "silakan").
 *
 * usage: test_catalog I18N_DIR KIOSK_SOURCE_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "queue.h"

static const char *i18n_dir, *src_dir;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b) b[n] = 0;
    fclose(f);
    return b;
}

/* The sorted {name} placeholders of a text, joined. */
static void placeholders(const char *s, char *out, size_t n)
{
    char names[16][32];
    int k = 0;
    for (const char *p = s; (p = strchr(p, '{')) != NULL && k < 16; p++) {
        const char *e = strchr(p, '}');
        if (!e || e - p - 1 >= 32) break;
        snprintf(names[k++], 32, "%.*s", (int)(e - p - 1), p + 1);
    }
    qsort(names, (size_t)k, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    out[0] = 0;
    for (int i = 0; i < k; i++) {
        strncat(out, names[i], n - strlen(out) - 1);
        strncat(out, ",", n - strlen(out) - 1);
    }
}

static void test_same_keys(void **state)
{
    (void)state;
    i18n *id = NULL, *en = NULL;
    assert_int_equal(i18n_load(i18n_dir, "id", &id), BK_OK);
    assert_int_equal(i18n_load(i18n_dir, "en", &en), BK_OK);
    assert_true(i18n_count(id) > 50);
    int missing = 0;
    size_t ctl_keys = 0;
    for (size_t i = 0; i < i18n_count(id); i++) {
        const char *k = i18n_key_at(id, i);
        if (strncmp(k, I18N_CODE_PREFIX, strlen(I18N_CODE_PREFIX)) == 0) {
            /* bapasctl's: the English is the code's printf format (i18n_fmt);
             * the text must be a printf format the slug's English can have */
            ctl_keys++;
            const char *v = i18n_get(id, k);
            if (!*v || strstr(v, "%n") || !i18n_fmt_compatible(v, v)) {
                fprintf(stderr, "%s: not a usable format: %s\n", k, v);
                missing++;
            }
            continue;
        }
        if (!i18n_has(en, k)) {
            fprintf(stderr, "en.txt lacks %s\n", k);
            missing++;
            continue;
        }
        char a[256], b[256];
        placeholders(i18n_get(id, k), a, sizeof a);
        placeholders(i18n_get(en, k), b, sizeof b);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "%s: placeholders differ: id {%s} en {%s}\n", k, a, b);
            missing++;
        }
        if (!*i18n_get(id, k) || !*i18n_get(en, k)) {
            fprintf(stderr, "%s: empty text\n", k);
            missing++;
        }
    }
    for (size_t i = 0; i < i18n_count(en); i++) {
        const char *k = i18n_key_at(en, i);
        if (!i18n_has(id, k)) {
            fprintf(stderr, "id.txt lacks %s\n", k);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
    assert_true(ctl_keys > 50);
    assert_int_equal(i18n_count(id) - ctl_keys, i18n_count(en));
    i18n_free(id);
    i18n_free(en);
}

/* Every line is blank, a comment, or `key = value` with a valid key, and no
 * key appears twice (a second one would silently win). */
static void check_file(const char *lang)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.txt", i18n_dir, lang);
    char *text = slurp(path);
    assert_non_null(text);
    char keys[1024][96];
    int nkeys = 0, bad = 0, lineno = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        lineno++;
        while (*line == ' ' || *line == '\t' || *line == '\r')
            line++;
        if (!*line || *line == '#') continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            fprintf(stderr, "%s.txt: a line without '=': %s\n", lang, line);
            bad++;
            continue;
        }
        char key[96];
        int kl = (int)(eq - line);
        while (kl > 0 && (line[kl - 1] == ' ' || line[kl - 1] == '\t'))
            kl--;
        snprintf(key, sizeof key, "%.*s", kl, line);
        for (const char *p = key; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-')) {
                fprintf(stderr, "%s.txt: bad key \"%s\"\n", lang, key);
                bad++;
                break;
            }
        const char *ns[] = {"kiosk.",  "slip.",   "board.", "desk.",   "reception.",
                            "common.", "report.", "ctl.",   "doctor.", "import."};
        int ok_ns = 0;
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
            ok_ns |= strncmp(key, ns[i], strlen(ns[i])) == 0;
        if (!ok_ns) {
            fprintf(stderr, "%s.txt: key outside the namespaces: %s\n", lang, key);
            bad++;
        }
        for (int i = 0; i < nkeys; i++)
            if (strcmp(keys[i], key) == 0) {
                fprintf(stderr, "%s.txt: duplicate key %s\n", lang, key);
                bad++;
            }
        if (nkeys < 1024) snprintf(keys[nkeys++], sizeof keys[0], "%s", key);
    }
    free(text);
    assert_int_equal(bad, 0);
}

static void test_files_clean(void **state)
{
    (void)state;
    check_file("id");
    check_file("en");
}

/* Every "kiosk.*" literal in the kiosk's sources is in both catalogs. */
static void test_code_keys_present(void **state)
{
    (void)state;
    i18n *id = NULL, *en = NULL;
    assert_int_equal(i18n_load(i18n_dir, "id", &id), BK_OK);
    assert_int_equal(i18n_load(i18n_dir, "en", &en), BK_OK);
    DIR *d = opendir(src_dir);
    assert_non_null(d);
    struct dirent *de;
    int used = 0, missing = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 3 || strcmp(de->d_name + n - 2, ".c") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", src_dir, de->d_name);
        char *text = slurp(path);
        assert_non_null(text);
        for (char *p = text; (p = strstr(p, "\"kiosk.")) != NULL; p++) {
            char key[128];
            size_t kl = strcspn(p + 1, "\"");
            snprintf(key, sizeof key, "%.*s", (int)kl, p + 1);
            size_t len = strlen(key);
            if (key[len - 1] == '.' || strchr(key, '%'))
                continue; /* a prefix built at run time: checked below */
            if (len > 2 && key[len - 2] == '.' && (key[len - 1] == 'h' || key[len - 1] == 'c'))
                continue; /* #include "kiosk.h" */
            used++;
            if (!i18n_has(id, key) || !i18n_has(en, key)) {
                fprintf(stderr, "%s uses %s, missing from a catalog\n", de->d_name, key);
                missing++;
            }
        }
        free(text);
    }
    closedir(d);
    for (int i = 0; i < BK_PURPOSE__COUNT; i++) {
        char key[64];
        snprintf(key, sizeof key, "kiosk.purpose.%s", bk_purpose_name((bk_purpose)i));
        used++;
        missing += !i18n_has(id, key) || !i18n_has(en, key);
    }
    assert_true(used > 40);
    assert_int_equal(missing, 0);
    i18n_free(id);
    i18n_free(en);
}

/* Standard Indonesian spelling in id.txt. */
static void test_spelling(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/id.txt", i18n_dir);
    char *text = slurp(path);
    assert_non_null(text);
    /* compare in lower case */
    char *low = strdup(text);
    assert_non_null(low);
    for (char *p = low; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    const char *wrong[] = {"antrian", "silahkan", "nomer ", "resepsionist", NULL};
    int bad = 0;
    for (int i = 0; wrong[i]; i++) {
        if (strstr(low, wrong[i])) {
            fprintf(stderr, "id.txt: non-standard spelling \"%s\"\n", wrong[i]);
            bad++;
        }
    }
    free(low);
    assert_non_null(strstr(text, "antrean"));
    assert_non_null(strstr(text, "Silakan"));
    free(text);
    assert_int_equal(bad, 0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_catalog I18N_DIR KIOSK_SOURCE_DIR\n");
        return 2;
    }
    i18n_dir = argv[1];
    src_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_keys),
        cmocka_unit_test(test_files_clean),
        cmocka_unit_test(test_code_keys_present),
        cmocka_unit_test(test_spelling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
