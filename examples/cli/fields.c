/*
 * The fields of a write (netref_fields) from command-line options: an
 * option given with a value sets its field, given as "" clears it (not
 * a real number: none can be cleared), and
 * left out leaves the field alone (a new record gets the default, an
 * existing one keeps its value). The library checks each value as it is
 * set; a value it refuses is a usage error (exit 2), found before the
 * database is opened.
 */
#include <stdlib.h>

#include "cli.h"

/* Set one field from its option's text. */
static int set_field(const args_t *a, const field_option *f,
                     netref_fields *fields)
{
    const char *text = a->val[f->opt];
    int rc, status;
    if (!*text && f->type == 'r')
        return usage_error(a->cmd, "--%s: '' is not a number",
                           optdefs[f->opt].name);
    if (!*text)
        rc = netref_fields_clear(fields, f->field);
    else if (f->type == 'r') {
        double v;
        if ((status = parse_double(a, f->opt, &v)) != EXIT_OK)
            return status;
        rc = netref_fields_set_real(fields, f->field, v);
    } else if (f->type == 'i') {
        int v;
        if ((status = parse_int(a, f->opt, &v)) != EXIT_OK)
            return status;
        rc = netref_fields_set_int(fields, f->field, v);
    } else {
        rc = netref_fields_set_text(fields, f->field, text);
    }
    if (rc == NETREF_ENOMEM) {
        err("out of memory");
        return EXIT_FAIL;
    }
    if (rc != NETREF_OK)
        return usage_error(a->cmd, "--%s: %s", optdefs[f->opt].name,
                           netref_errmsg(NULL));
    return EXIT_OK;
}

int fields_from_options(const args_t *a, const field_option *map, size_t n,
                        netref_fields **out)
{
    size_t i;
    int status = EXIT_OK;
    *out = NULL;
    if (netref_fields_new(out) != NETREF_OK) {
        err("out of memory");
        return EXIT_FAIL;
    }
    for (i = 0; status == EXIT_OK && i < n; i++)
        if (a->set[map[i].opt])
            status = set_field(a, &map[i], *out);
    if (status != EXIT_OK) {
        netref_fields_free(*out);
        *out = NULL;
    }
    return status;
}
