/* ui_icons.c — the toolkit's icons, drawn from signed distance functions
 * into anti-aliased white surfaces at any size (tinted when drawn). No image
 * files: every icon is a short list of shapes in a unit square. */
#include <math.h>
#include <stdlib.h>

#include "ui.h"

SDL_Surface *ui_icon_surface(ui_icon icon, int size);

typedef enum shape_kind { S_CIRCLE, S_RING, S_BOX, S_SEG, S_TRI } shape_kind;

typedef struct shape {
    shape_kind k;
    int sub;          /* 1 = erase */
    float a, b, c, d; /* circle/ring: cx cy r -; box: x0 y0 x1 y1; seg: x0 y0 x1 y1 */
    float r;          /* box corner radius; ring/seg thickness; circle grow */
    float e, f;       /* triangle third point */
} shape;

#define ADD 0
#define SUB 1

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static float sd_box(float px, float py, const shape *s)
{
    float cx = (s->a + s->c) / 2, cy = (s->b + s->d) / 2;
    float hx = (s->c - s->a) / 2, hy = (s->d - s->b) / 2;
    float r = s->r;
    float qx = fabsf(px - cx) - hx + r, qy = fabsf(py - cy) - hy + r;
    float ox = qx > 0 ? qx : 0, oy = qy > 0 ? qy : 0;
    float in = qx > qy ? qx : qy;
    return sqrtf(ox * ox + oy * oy) + (in < 0 ? in : 0) - r;
}

static float sd_seg(float px, float py, float ax, float ay, float bx, float by)
{
    float pax = px - ax, pay = py - ay, bax = bx - ax, bay = by - ay;
    float den = bax * bax + bay * bay;
    float h = den > 0 ? clampf((pax * bax + pay * bay) / den, 0, 1) : 0;
    float dx = pax - bax * h, dy = pay - bay * h;
    return sqrtf(dx * dx + dy * dy);
}

static float cross(float ax, float ay, float bx, float by)
{
    return ax * by - ay * bx;
}

static float sd_tri(float px, float py, const shape *s)
{
    float x[3] = {s->a, s->c, s->e}, y[3] = {s->b, s->d, s->f};
    float d = 1e9f;
    int pos = 0, neg = 0;
    for (int i = 0; i < 3; i++) {
        int j = (i + 1) % 3;
        float e = sd_seg(px, py, x[i], y[i], x[j], y[j]);
        if (e < d) d = e;
        float c = cross(x[j] - x[i], y[j] - y[i], px - x[i], py - y[i]);
        if (c > 0)
            pos = 1;
        else if (c < 0)
            neg = 1;
    }
    int inside = !(pos && neg);
    return inside ? -d : d;
}

static float sd(const shape *s, float px, float py)
{
    switch (s->k) {
    case S_CIRCLE: {
        float dx = px - s->a, dy = py - s->b;
        return sqrtf(dx * dx + dy * dy) - s->c;
    }
    case S_RING: {
        float dx = px - s->a, dy = py - s->b;
        return fabsf(sqrtf(dx * dx + dy * dy) - s->c) - s->r / 2;
    }
    case S_BOX:
        return sd_box(px, py, s);
    case S_SEG:
        return sd_seg(px, py, s->a, s->b, s->c, s->d) - s->r / 2;
    case S_TRI:
        return sd_tri(px, py, s) - s->r;
    }
    return 1;
}

#define CIRCLE(op, x, y, rad)                                                                      \
    {                                                                                              \
        S_CIRCLE, op, x, y, rad, 0, 0, 0, 0                                                        \
    }
#define RING(op, x, y, rad, t)                                                                     \
    {                                                                                              \
        S_RING, op, x, y, rad, 0, t, 0, 0                                                          \
    }
#define BOX(op, x0, y0, x1, y1, rad)                                                               \
    {                                                                                              \
        S_BOX, op, x0, y0, x1, y1, rad, 0, 0                                                       \
    }
#define SEG(op, x0, y0, x1, y1, t)                                                                 \
    {                                                                                              \
        S_SEG, op, x0, y0, x1, y1, t, 0, 0                                                         \
    }
#define TRI(op, x0, y0, x1, y1, x2, y2, rad)                                                       \
    {                                                                                              \
        S_TRI, op, x0, y0, x1, y1, rad, x2, y2                                                     \
    }

static const shape report[] = {
    BOX(ADD, .18f, .14f, .82f, .94f, .08f),  BOX(SUB, .25f, .21f, .75f, .87f, .03f),
    BOX(SUB, .30f, .03f, .70f, .26f, .06f),  BOX(ADD, .35f, .06f, .65f, .23f, .05f),
    SEG(ADD, .33f, .56f, .46f, .69f, .085f), SEG(ADD, .46f, .69f, .68f, .43f, .085f),
};
static const shape counseling[] = {
    BOX(ADD, .36f, .40f, .95f, .80f, .11f), TRI(ADD, .80f, .76f, .90f, .76f, .90f, .94f, 0),
    BOX(SUB, .01f, .07f, .67f, .57f, .14f), TRI(SUB, .07f, .50f, .30f, .50f, .05f, .74f, .04f),
    BOX(ADD, .05f, .11f, .63f, .53f, .11f), TRI(ADD, .12f, .50f, .26f, .50f, .10f, .66f, 0),
    CIRCLE(SUB, .20f, .32f, .045f),         CIRCLE(SUB, .34f, .32f, .045f),
    CIRCLE(SUB, .48f, .32f, .045f),
};
static const shape group[] = {
    CIRCLE(ADD, .21f, .36f, .09f),  BOX(ADD, .04f, .50f, .38f, .86f, .14f),
    CIRCLE(ADD, .79f, .36f, .09f),  BOX(ADD, .62f, .50f, .96f, .86f, .14f),
    CIRCLE(SUB, .50f, .28f, .17f),  BOX(SUB, .23f, .40f, .77f, .96f, .22f),
    CIRCLE(ADD, .50f, .28f, .125f), BOX(ADD, .28f, .45f, .72f, .92f, .18f),
};
static const shape drug_test[] = {
    BOX(ADD, .36f, .10f, .64f, .94f, .14f),  BOX(SUB, .43f, .02f, .57f, .87f, .07f),
    SEG(ADD, .28f, .10f, .72f, .10f, .075f), BOX(ADD, .43f, .50f, .57f, .87f, .07f),
    CIRCLE(ADD, .80f, .30f, .06f),           TRI(ADD, .80f, .14f, .75f, .28f, .85f, .28f, 0),
};
static const shape litmas[] = {
    BOX(ADD, .10f, .06f, .68f, .92f, .06f),  BOX(SUB, .17f, .13f, .61f, .85f, .02f),
    SEG(ADD, .26f, .28f, .52f, .28f, .065f), SEG(ADD, .26f, .42f, .52f, .42f, .065f),
    SEG(ADD, .26f, .56f, .40f, .56f, .065f), CIRCLE(SUB, .66f, .64f, .22f),
    RING(ADD, .66f, .64f, .14f, .07f),       SEG(ADD, .76f, .74f, .91f, .90f, .10f),
};
static const shape other[] = {
    RING(ADD, .50f, .50f, .42f, .07f),
    CIRCLE(ADD, .30f, .50f, .07f),
    CIRCLE(ADD, .50f, .50f, .07f),
    CIRCLE(ADD, .70f, .50f, .07f),
};
static const shape info[] = {
    CIRCLE(ADD, .50f, .50f, .46f),
    CIRCLE(SUB, .50f, .28f, .075f),
    SEG(SUB, .50f, .45f, .50f, .74f, .13f),
};
static const shape warn[] = {
    TRI(ADD, .50f, .10f, .92f, .86f, .08f, .86f, .05f),
    SEG(SUB, .50f, .36f, .50f, .60f, .10f),
    CIRCLE(SUB, .50f, .74f, .06f),
};
static const shape check[] = {
    CIRCLE(ADD, .50f, .50f, .46f),
    SEG(SUB, .29f, .52f, .44f, .67f, .10f),
    SEG(SUB, .44f, .67f, .72f, .37f, .10f),
};
static const shape back[] = {
    SEG(ADD, .18f, .50f, .84f, .50f, .11f),
    SEG(ADD, .18f, .50f, .44f, .24f, .11f),
    SEG(ADD, .18f, .50f, .44f, .76f, .11f),
};
static const shape delete_key[] = {
    SEG(ADD, .05f, .50f, .30f, .20f, .075f), SEG(ADD, .30f, .20f, .94f, .20f, .075f),
    SEG(ADD, .94f, .20f, .94f, .80f, .075f), SEG(ADD, .94f, .80f, .30f, .80f, .075f),
    SEG(ADD, .30f, .80f, .05f, .50f, .075f), SEG(ADD, .49f, .37f, .75f, .63f, .075f),
    SEG(ADD, .75f, .37f, .49f, .63f, .075f),
};
static const shape printer[] = {
    BOX(ADD, .06f, .34f, .94f, .74f, .08f), BOX(SUB, .20f, .56f, .80f, .98f, .02f),
    BOX(ADD, .26f, .62f, .74f, .94f, .02f), BOX(SUB, .32f, .68f, .68f, .88f, .0f),
    BOX(ADD, .26f, .06f, .74f, .30f, .02f), CIRCLE(SUB, .80f, .45f, .04f),
};
static const shape person[] = {
    CIRCLE(ADD, .50f, .28f, .18f),
    BOX(ADD, .16f, .54f, .84f, .98f, .26f),
};
static const shape door[] = {
    BOX(ADD, .22f, .06f, .78f, .92f, .04f),
    BOX(SUB, .29f, .13f, .71f, .92f, .0f),
    CIRCLE(ADD, .62f, .52f, .05f),
    SEG(ADD, .08f, .93f, .92f, .93f, .07f),
};
static const shape clock[] = {
    RING(ADD, .50f, .50f, .41f, .08f),
    SEG(ADD, .50f, .50f, .50f, .26f, .08f),
    SEG(ADD, .50f, .50f, .68f, .60f, .08f),
};
static const shape cross_mark[] = {
    CIRCLE(ADD, .50f, .50f, .46f),
    SEG(SUB, .33f, .33f, .67f, .67f, .10f),
    SEG(SUB, .67f, .33f, .33f, .67f, .10f),
};

static const shape card[] = {
    BOX(ADD, .04f, .18f, .96f, .82f, .08f),  BOX(SUB, .10f, .24f, .90f, .76f, .04f),
    CIRCLE(ADD, .29f, .42f, .085f),          BOX(ADD, .17f, .54f, .41f, .70f, .06f),
    SEG(ADD, .52f, .38f, .82f, .38f, .065f), SEG(ADD, .52f, .52f, .82f, .52f, .065f),
    SEG(ADD, .52f, .65f, .70f, .65f, .065f),
};
static const shape letter[] = {
    BOX(ADD, .06f, .20f, .94f, .80f, .06f),
    BOX(SUB, .12f, .26f, .88f, .74f, .02f),
    SEG(ADD, .13f, .29f, .50f, .56f, .07f),
    SEG(ADD, .50f, .56f, .87f, .29f, .07f),
};

typedef struct icon_def {
    const shape *s;
    int n;
} icon_def;

#define DEF(a)                                                                                     \
    {                                                                                              \
        a, (int)(sizeof a / sizeof a[0])                                                           \
    }
static const icon_def defs[UI__ICONS] = {
    [UI_ICON_REPORT] = DEF(report),     [UI_ICON_COUNSELING] = DEF(counseling),
    [UI_ICON_GROUP] = DEF(group),       [UI_ICON_DRUG_TEST] = DEF(drug_test),
    [UI_ICON_LITMAS] = DEF(litmas),     [UI_ICON_OTHER] = DEF(other),
    [UI_ICON_INFO] = DEF(info),         [UI_ICON_WARN] = DEF(warn),
    [UI_ICON_CHECK] = DEF(check),       [UI_ICON_BACK] = DEF(back),
    [UI_ICON_DELETE] = DEF(delete_key), [UI_ICON_PRINTER] = DEF(printer),
    [UI_ICON_PERSON] = DEF(person),     [UI_ICON_DOOR] = DEF(door),
    [UI_ICON_CLOCK] = DEF(clock),       [UI_ICON_CARD] = DEF(card),
    [UI_ICON_LETTER] = DEF(letter),     [UI_ICON_CROSS] = DEF(cross_mark),
};

/* A white icon with anti-aliased alpha, size x size pixels; NULL on failure. */
SDL_Surface *ui_icon_surface(ui_icon icon, int size)
{
    if (icon <= UI_ICON_NONE || icon >= UI__ICONS || !defs[icon].s || size < 1) return NULL;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) return NULL;
    const icon_def *d = &defs[icon];
    float px = 1.f / (float)size; /* one pixel in unit coordinates */
    for (int y = 0; y < size; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < size; x++) {
            float ux = ((float)x + .5f) * px, uy = ((float)y + .5f) * px;
            float a = 0;
            for (int i = 0; i < d->n; i++) {
                float cov = clampf(.5f - sd(&d->s[i], ux, uy) / px, 0, 1);
                if (d->s[i].sub)
                    a = a < 1 - cov ? a : 1 - cov;
                else
                    a = a > cov ? a : cov;
            }
            Uint32 al = (Uint32)lroundf(a * 255);
            row[x] = (al << 24) | 0xFFFFFFu;
        }
    }
    return s;
}
