/*
 * netref CLI: JSON output with each number in its shortest form.
 *
 * jansson writes every real of a document with one precision
 * (JSON_REAL_PRECISION, 17 digits by default): 0.684 comes out as
 * 0.68400000000000005, and a smaller precision would lose the values
 * that need all 17 digits. So the containers are written here, in
 * jansson's own indented layout, and each scalar by jansson
 * (JSON_ENCODE_ANY): strings with its escaping, and each real with the
 * fewest significant digits that read back as the same double, the way
 * Python's repr() and JavaScript print numbers.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* %.17g always reads back exactly (DBL_DECIMAL_DIG). */
#define MAX_REAL_DIGITS 17

/* The fewest significant digits (1 to 17) whose %g text of v reads back
 * as v. */
static int shortest_digits(double v)
{
    char buf[64];
    int p;
    for (p = 1; p < MAX_REAL_DIGITS; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return p;
    }
    return MAX_REAL_DIGITS;
}

/* A scalar as jansson writes it; a real with its shortest digits. */
static int put_scalar(json_t *j, FILE *out)
{
    size_t flags = JSON_ENCODE_ANY | JSON_COMPACT;
    char *text;
    int rc;
    if (json_is_real(j))
        flags |= JSON_REAL_PRECISION(shortest_digits(json_real_value(j)));
    text = json_dumps(j, flags);
    if (!text)
        return -1;
    rc = fputs(text, out) < 0 ? -1 : 0;
    free(text);
    return rc;
}

static void newline_indent(int depth, FILE *out)
{
    fprintf(out, "\n%*s", 2 * depth, "");
}

static int put_value(json_t *j, int depth, FILE *out);

static int put_array(json_t *j, int depth, FILE *out)
{
    size_t i, n = json_array_size(j);
    if (n == 0)
        return fputs("[]", out) < 0 ? -1 : 0;
    fputc('[', out);
    for (i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        newline_indent(depth + 1, out);
        if (put_value(json_array_get(j, i), depth + 1, out) != 0)
            return -1;
    }
    newline_indent(depth, out);
    return fputc(']', out) == EOF ? -1 : 0;
}

/* Keys in the order they were set (jansson keeps insertion order). */
static int put_object(json_t *j, int depth, FILE *out)
{
    const char *key;
    json_t *value;
    int first = 1;
    if (json_object_size(j) == 0)
        return fputs("{}", out) < 0 ? -1 : 0;
    fputc('{', out);
    json_object_foreach(j, key, value) {
        json_t *k = json_string(key);
        int rc;
        if (!first)
            fputc(',', out);
        first = 0;
        newline_indent(depth + 1, out);
        rc = k ? put_scalar(k, out) : -1;
        json_decref(k);
        if (rc != 0 || fputs(": ", out) < 0 ||
            put_value(value, depth + 1, out) != 0)
            return -1;
    }
    newline_indent(depth, out);
    return fputc('}', out) == EOF ? -1 : 0;
}

static int put_value(json_t *j, int depth, FILE *out)
{
    if (!j)
        return -1; /* a value that could not be made (out of memory) */
    if (json_is_object(j))
        return put_object(j, depth, out);
    if (json_is_array(j))
        return put_array(j, depth, out);
    return put_scalar(j, out);
}

int json_write(json_t *j, FILE *out)
{
    if (put_value(j, 0, out) != 0 || fputc('\n', out) == EOF)
        return -1;
    return ferror(out) ? -1 : 0;
}
